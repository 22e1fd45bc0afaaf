import { createHash, randomBytes } from "node:crypto";

/** A link token: 32 random bytes for the URL, and its sha256, the only form the database keeps. */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashToken(token) };
}

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Tokens in URLs are base64url of 32 bytes; anything else is not worth a database lookup. */
export const isTokenShaped = (token: string | undefined): token is string => !!token && /^[A-Za-z0-9_-]{43}$/.test(token);
