import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dataDir } from "../../db/paths";
import { readCookie, serializeCookie } from "./session.server";

/**
 * OWASP's "device cookie": after a successful sign-in this browser gets a signed token that says "this
 * device has signed in to this account before". A device that shows one for the account it is signing
 * in to is not held back by the per-account or per-address limits (only by its own), so a stranger
 * guessing at someone's password cannot lock the owner out of their usual devices.
 *
 * A token is `deviceId.signature`, the signature an HMAC of the device id and the account's email: it
 * names no account, cannot be forged, and is worth nothing for another account. A shared family
 * computer keeps one token for each of up to MAX_TOKENS accounts.
 */
export const DEVICE_COOKIE = "tablero_device";
const MAX_TOKENS = 5;
const MAX_AGE_S = 365 * 24 * 3600;

let secret: Buffer | undefined;

/** TABLERO_SECRET, else a random key made once in the data folder (shared by every worker, kept across restarts). */
function key(): Buffer {
  if (secret) return secret;
  if (process.env.TABLERO_SECRET) return (secret = Buffer.from(process.env.TABLERO_SECRET, "utf8"));
  const file = join(dataDir(), "secret.key");
  try {
    mkdirSync(dataDir(), { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64"), { flag: "wx", mode: 0o600 });
  } catch (e) {
    if ((e as { code?: string }).code !== "EEXIST") throw e;
  }
  return (secret = Buffer.from(readFileSync(file, "utf8").trim(), "base64"));
}

const sign = (deviceId: string, email: string) =>
  createHmac("sha256", key()).update(`device:${deviceId}:${email.toLowerCase()}`).digest("base64url");

function tokens(request: Request): string[] {
  return (readCookie(request, DEVICE_COOKIE) ?? "").split("~").filter((t) => /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/.test(t));
}

/** The device id this browser proved for `email`, or null. */
export function trustedDevice(request: Request, email: string): string | null {
  for (const token of tokens(request)) {
    const [id, sig] = token.split(".") as [string, string];
    const expected = Buffer.from(sign(id, email));
    const given = Buffer.from(sig);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return id;
  }
  return null;
}

/** Set-Cookie after a successful sign-in: this account's token first, others kept, oldest dropped. */
export function deviceCookie(request: Request, email: string): string {
  const id = trustedDevice(request, email) ?? randomBytes(16).toString("base64url");
  const mine = `${id}.${sign(id, email)}`;
  const others = tokens(request).filter((t) => t !== mine);
  return serializeCookie(request, DEVICE_COOKIE, [mine, ...others].slice(0, MAX_TOKENS).join("~"), MAX_AGE_S);
}
