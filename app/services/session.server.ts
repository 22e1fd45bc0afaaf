import { createHash, randomBytes } from "node:crypto";
import { redirect } from "@remix-run/node";
import { and, eq, lt, ne } from "drizzle-orm";
import { sessions, users, type User } from "../../db/tables";
import type { Tx } from "../../db/client";
import { changed } from "./data/raw.server";
import type { Db } from "./db.server";

const COOKIE = "tablero_session";
/** The session cookie's name: read-routing.server.ts keeps every request that carries one on the primary. */
export const SESSION_COOKIE = COOKIE;
const MAX_AGE_S = 30 * 24 * 3600;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get("Cookie") ?? "";
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k !== name) continue;
    try {
      return decodeURIComponent(v.join("="));
    } catch {
      return undefined; // a malformed cookie is no cookie, never a server error
    }
  }
  return undefined;
}

/**
 * Secure only when the request really came over https. The server builds the URL's scheme from
 * X-Forwarded-Proto only when the proxy is trusted (TABLERO_TRUST_PROXY), so the header is not read here.
 */
function isHttps(request: Request): boolean {
  return new URL(request.url).protocol === "https:";
}

export function serializeCookie(request: Request, name: string, value: string, maxAgeS: number, httpOnly = true) {
  return [
    `${name}=${encodeURIComponent(value)}`,
    "Path=/",
    `Max-Age=${maxAgeS}`,
    "SameSite=Lax",
    httpOnly ? "HttpOnly" : "",
    isHttps(request) ? "Secure" : "",
  ]
    .filter(Boolean)
    .join("; ");
}

export { readCookie };

/** Starts a session and returns the Set-Cookie header that carries it. */
export async function createSession(db: Db, request: Request, userId: number): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await db.insert(sessions).values({ id: hashToken(token), userId, expiresAt: new Date(Date.now() + MAX_AGE_S * 1000) });
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
  return serializeCookie(request, COOKIE, token, MAX_AGE_S);
}

export async function getUser(db: Db, request: Request): Promise<User | null> {
  const token = readCookie(request, COOKIE);
  if (!token) return null;
  const [row] = await db
    .select({ user: users, expiresAt: sessions.expiresAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, hashToken(token)))
    .limit(1);
  if (!row || row.expiresAt.getTime() < Date.now()) return null;
  return row.user;
}

/** The signed-in user, or a redirect to sign-in that comes back here afterwards. */
export async function requireUser(db: Db, request: Request): Promise<User> {
  const user = await getUser(db, request);
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return user;
}

export async function destroySession(db: Db, request: Request): Promise<string> {
  const token = readCookie(request, COOKIE);
  if (token) await db.delete(sessions).where(eq(sessions.id, hashToken(token)));
  return serializeCookie(request, COOKIE, "", 0);
}

/**
 * Ends every session of this person except the one making the request (after a password change: a
 * thief who had the old password is signed out, the person who changed it is not).
 */
export async function endOtherSessions(db: Db, request: Request, userId: number): Promise<number> {
  const token = readCookie(request, COOKIE);
  const keep = token ? hashToken(token) : "";
  return changed(await db.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.id, keep))));
}

/** Ends every session of this person, on every device, this one included. Sessions live only in the database. */
export async function endAllSessions(db: Db | Tx, userId: number): Promise<number> {
  return changed(await db.delete(sessions).where(eq(sessions.userId, userId)));
}

/** The Set-Cookie header that clears the session cookie in this browser. */
export function clearSessionCookie(request: Request): string {
  return serializeCookie(request, COOKIE, "", 0);
}

/** Only same-site paths: an open redirect would let a link send people elsewhere after sign-in. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//")) return fallback;
  // Browsers drop tabs and newlines and read "\" as "/": "/\t/evil" would become "//evil".
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (/[\u0000-\u001f\u007f\\]/.test(to)) return fallback;
  try {
    return new URL(to, "http://local.invalid").origin === "http://local.invalid" ? to : fallback;
  } catch {
    return fallback;
  }
}
