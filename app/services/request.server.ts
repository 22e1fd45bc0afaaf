import type { User } from "../../db/tables";
import type { UiLocale } from "../../db/enums";
import { getDb, type Db } from "./db.server";
import { resolveLocale, resolvePrefs } from "./preferences.server";
import { currentRequest } from "./http/request-context";
import { getUser, requireUser } from "./session.server";
import { readDbFor } from "./read-routing.server";

/** What almost every loader and action starts with: the database, who is asking, in which language. */
export async function context(request: Request) {
  const db = getDb();
  const user = await getUser(db, request);
  return { db, user, locale: resolveLocale(request, user) };
}

/**
 * The language of a page drawn without root's loader (an action's error caught by root's boundary,
 * root-data.ts): the account's, else the visitor's choice or browser's. When even that cannot be read
 * (the database is down), the cookie and Accept-Language still can.
 */
export async function errorPageLocale(request: Request): Promise<UiLocale> {
  try {
    return (await context(request)).locale;
  } catch {
    return resolveLocale(request, null);
  }
}

/**
 * context() for the loaders of public pages that may be read from a streaming replica (home, board,
 * card, search, /api/search, interest and profile pages): read-routing.server.ts decides whether this
 * request may (a visitor's GET with no form submitted in the last few seconds), else it is the primary.
 */
export async function readContext(request: Request) {
  const db = readDbFor(request);
  const user = await getUser(db, request);
  return { db, user, locale: resolveLocale(request, user) };
}

export async function signedIn(request: Request): Promise<{ db: Db; user: User }> {
  const db = getDb();
  return { db, user: await requireUser(db, request) };
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

/**
 * The client's address for rate limits, as the HTTP server resolved it (X-Forwarded-For only from a
 * proxy TABLERO_TRUST_PROXY names: app/services/http/forwarded.ts). Null without that server (dev
 * server, unit tests): no address is better than one anyone can write.
 */
export function clientKey(_request: Request): string | null {
  return currentRequest()?.ip ?? null;
}
