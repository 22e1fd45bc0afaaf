import { createHash } from "node:crypto";
import type { EntryContext } from "@remix-run/node";

/**
 * Rendered pages kept by what they were rendered from (issue 13). React's server render was the
 * largest share of a page's CPU, and a page is a pure function of its address and its loaders' data:
 * components read nothing else (no clock, no randomness, no request: checked when this was written).
 * So the key is the address plus the loaders' data itself, never a guess about freshness: a write that
 * changes what a loader returns changes the key, in this process or any other, and nothing stale can
 * be served. Loaders still run on every request; only the render of identical data is skipped.
 *
 * Two things differ on every response although the data does not, and are put back in on a hit:
 *   - the CSP nonce (entry.server.tsx), so every response still carries its own;
 *   - served-list ids (`requestId` in loader data, a fresh UUID per request: the engagement log ties
 *     clicks to the list that was shown), so every response keeps its own list id.
 * Both are random 128-bit strings, so replacing them in the HTML cannot touch anything else.
 *
 * Pages whose data holds anything JSON cannot tell apart (a Map, a class instance, a promise) and
 * pages with errors or action data are not kept. An entry also expires after MAX_AGE_MS, a guard
 * against any input a future component might read that is not in the key.
 */

const MAX_AGE_MS = 60_000;
const MAX_ENTRIES = 500;
/** Total characters kept (UTF-16, so roughly twice as many bytes): about 64 MB at most. */
const MAX_CHARS = 32_000_000;

type Entry = { html: string; nonce: string; tokens: string[]; at: number };
type State = { entries: Map<string, Entry>; chars: number; hits: number; misses: number };

// On globalThis, like the database: one cache per process even if the build is loaded twice.
const g = globalThis as unknown as { __tableroRenderCache?: State };
const state = (g.__tableroRenderCache ??= { entries: new Map(), chars: 0, hits: 0, misses: 0 });

/** A page's cache key and its per-response tokens (served-list ids, in data order). */
export type RenderKey = { key: string; tokens: string[] };

const TOKEN = "\u0000token";
/** newRequestId (discovery/ranking.server.ts) makes UUIDs; anything else under `requestId` is data. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The key for this render, or null when the page must be rendered afresh and not kept. */
export function renderKey(request: Request, status: number, context: EntryContext, nonce: string): RenderKey | null {
  if (request.method !== "GET" || status !== 200 || !nonce) return null;
  const handler = context.staticHandlerContext;
  if (handler.errors || handler.actionData) return null;
  const tokens: string[] = [];
  let plain = true;
  const json = JSON.stringify(handler.loaderData, function (this: unknown, k: string, v: unknown) {
    if (typeof v === "string") {
      if (k === "requestId" && UUID.test(v)) {
        tokens.push(v);
        return TOKEN;
      }
      return v;
    }
    if (v === null || typeof v !== "object") {
      if (typeof v === "bigint" || typeof v === "function" || typeof v === "symbol") plain = false;
      return v;
    }
    if (Array.isArray(v)) return v;
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) plain = false;
    return v;
  });
  if (!plain || json === undefined) return null;
  const key = createHash("sha256").update(request.url).update("\u0000").update(json).digest("base64");
  return { key, tokens };
}

/** The kept page for this key with this response's nonce and tokens put in, or null. */
export function cachedPage(k: RenderKey, nonce: string, now = Date.now()): string | null {
  const entry = state.entries.get(k.key);
  if (!entry || now - entry.at > MAX_AGE_MS || entry.tokens.length !== k.tokens.length) {
    state.misses++;
    return null;
  }
  // Most recently used last (Map keeps insertion order; the first key is the one to drop).
  state.entries.delete(k.key);
  state.entries.set(k.key, entry);
  state.hits++;
  let html = entry.html.split(entry.nonce).join(nonce);
  for (let i = 0; i < entry.tokens.length; i++) {
    const was = entry.tokens[i]!;
    if (was !== k.tokens[i]) html = html.split(was).join(k.tokens[i]!);
  }
  return html;
}

/** Keeps a page rendered with `nonce` for its key. */
export function keepPage(k: RenderKey, html: string, nonce: string, now = Date.now()): void {
  const old = state.entries.get(k.key);
  if (old) {
    state.chars -= old.html.length;
    state.entries.delete(k.key);
  }
  if (html.length > MAX_CHARS / 8) return;
  state.entries.set(k.key, { html, nonce, tokens: k.tokens, at: now });
  state.chars += html.length;
  while (state.entries.size > MAX_ENTRIES || state.chars > MAX_CHARS) {
    const [oldest, e] = state.entries.entries().next().value as [string, Entry];
    state.entries.delete(oldest);
    state.chars -= e.html.length;
  }
}

/** Hits and misses since start (for tests and the bench's notes). */
export function renderCacheStats(): { hits: number; misses: number; entries: number } {
  return { hits: state.hits, misses: state.misses, entries: state.entries.size };
}

/** Empties the cache (tests). */
export function clearRenderCache(): void {
  state.entries.clear();
  state.chars = 0;
  state.hits = 0;
  state.misses = 0;
}
