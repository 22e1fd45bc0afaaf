import type { User } from "../../db/schema";
import { getDb, type Db } from "./db.server";
import { resolveLocale, resolvePrefs } from "./preferences.server";
import { getUser, requireUser } from "./session.server";

/** What almost every loader and action starts with: the database, who is asking, in which language. */
export function context(request: Request) {
  const db = getDb();
  const user = getUser(db, request);
  return { db, user, locale: resolveLocale(request, user) };
}

export function signedIn(request: Request): { db: Db; user: User } {
  const db = getDb();
  return { db, user: requireUser(db, request) };
}

export { resolvePrefs };

/** Route params that must be positive integers; anything else is a 404, not a crash. */
export function idParam(value: string | undefined): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Response("Not found", { status: 404 });
  return n;
}

/** An id posted in a form field: missing or malformed is the client's mistake (400), not a 404. */
export function formId(form: FormData, name: string): number {
  const n = Number(form.get(name));
  if (!Number.isSafeInteger(n) || n <= 0) throw new Response("Bad request", { status: 400 });
  return n;
}

/** Best-effort client address for throttling sign-in failures. */
export function clientKey(request: Request): string | null {
  // X-Forwarded-For is anyone's to write unless a proxy we trust sets it (TABLERO_TRUST_PROXY=1);
  // without one there is no address worth keying on (one shared key would let anyone lock everyone out).
  if (!process.env.TABLERO_TRUST_PROXY) return null;
  return request.headers.get("X-Forwarded-For")?.split(",")[0]?.trim() || null;
}
