import { randomBytes } from "node:crypto";
import { LOCALES, type Locale, type User } from "../../db/tables";
import { MAX_SEARCH_CHARS } from "~/lib/search-limits";
import { getDb, type Db } from "./db.server";
import { getPipeline } from "./pipeline.server";
import { search, SEARCH_KINDS, type SearchKind } from "./search.server";
import { newRequestId } from "./discovery/ranking.server";
import { readCookie, serializeCookie } from "./session.server";
import { visitorSource } from "./client-key.server";
import { clientKey } from "./request.server";

export type SearchParams = { q: string; lang?: Locale; kind: SearchKind; limit: number };
export type ParamError = "search.errors.badLang" | "search.errors.badKind" | "search.errors.badLimit" | "search.errors.tooLong";

/** Reads ?q=&lang=&kind=&limit=; anything unknown is an error the caller shows, never a crash. */
export function parseSearchParams(
  url: URL,
  defaults: { limit: number },
): { ok: true; params: SearchParams } | { ok: false; error: ParamError; q: string } {
  const q = url.searchParams.get("q") ?? "";
  const lang = url.searchParams.get("lang") || undefined;
  const kind = url.searchParams.get("kind") || "all";
  const limitRaw = url.searchParams.get("limit");
  // Counted as shown: spaces collapsed, in characters (code points), not UTF-16 units.
  if ([...q.replace(/\s+/g, " ").trim()].length > MAX_SEARCH_CHARS) return { ok: false, error: "search.errors.tooLong", q };
  if (lang && !(LOCALES as readonly string[]).includes(lang)) return { ok: false, error: "search.errors.badLang", q };
  if (!(SEARCH_KINDS as readonly string[]).includes(kind)) return { ok: false, error: "search.errors.badKind", q };
  const limit = limitRaw === null || limitRaw === "" ? defaults.limit : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return { ok: false, error: "search.errors.badLimit", q };
  return { ok: true, params: { q, lang: lang as Locale | undefined, kind: kind as SearchKind, limit } };
}

const SK_COOKIE = "tablero_sk";

/**
 * A key that groups one person's searches and engagement into a session: the account, else the
 * visitor's own cookie when they have one, else their hashed address of the day (client-key.server.ts).
 * No cookie is set here: a visitor gets one only when they pick topics (visitorKeyCookie), so nobody is
 * tracked by a cookie they did not ask for (issue 12, privacy).
 */
export async function sessionKeyFor(request: Request, user: User | null): Promise<{ key: string }> {
  if (user) return { key: `u:${user.id}` };
  const existing = readCookie(request, SK_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{16,64}$/.test(existing)) return { key: `v:${existing}` };
  return { key: `a:${(await visitorSourceFor(request)).slice(3)}` };
}

/** Who a visitor counts as for popularity and rate limits: their address, never their cookie. */
export function visitorSourceFor(request: Request): Promise<string> {
  return visitorSource(getDb(), clientKey(request));
}

/**
 * A new session key for a visitor who has none, with the cookie that keeps it: set when they pick
 * topics or hide a card (their choice to be remembered; a hide must not apply to everyone behind the
 * same address). Null when they already have one.
 */
export function mintVisitorKey(request: Request): { key: string; setCookie: string } | null {
  const existing = readCookie(request, SK_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{16,64}$/.test(existing)) return null;
  const fresh = randomBytes(16).toString("base64url");
  return { key: `v:${fresh}`, setCookie: serializeCookie(request, SK_COOKIE, fresh, 180 * 24 * 3600) };
}

/** The visitor's session cookie when they pick topics (undefined when they have one). */
export function visitorKeyCookie(request: Request): string | undefined {
  return mintVisitorKey(request)?.setCookie;
}

/** `db`: the request's (readContext: the replica for a visitor's page); the served list is written to the primary. */
export async function runSearch(
  db: Db,
  params: SearchParams & { uiLang: Locale; viewer: User | null; sessionKey?: string; filterLang?: Locale },
) {
  return search(db, await getPipeline(), {
    q: params.q,
    uiLang: params.uiLang,
    viewer: params.viewer,
    limit: params.limit,
    kind: params.kind,
    langFilter: params.filterLang,
    sessionKey: params.sessionKey,
    // The page's list is logged with its features (the JSON API's callers report no engagement).
    served: params.sessionKey ? { requestId: newRequestId(), userId: params.viewer?.id ?? null, sessionKey: params.sessionKey } : undefined,
  });
}
