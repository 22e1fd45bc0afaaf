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
const MAX_ENTRIES = 300;
/** Total characters kept (UTF-16, so roughly twice as many bytes): about 32 MB at most. */
const MAX_CHARS = 16_000_000;

/**
 * A kept page cut where its nonce and tokens were: `parts[i]` is followed by the value of `slots[i]`
 * (-1: the nonce; n: the n-th token), so a hit is one join, not a search through the page.
 */
type Entry = { parts: string[]; slots: number[]; tokenCount: number; chars: number; at: number };
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
  if (!entry || now - entry.at > MAX_AGE_MS || entry.tokenCount !== k.tokens.length) {
    state.misses++;
    return null;
  }
  // Most recently used last (Map keeps insertion order; the first key is the one to drop).
  state.entries.delete(k.key);
  state.entries.set(k.key, entry);
  state.hits++;
  const out: string[] = [];
  for (let i = 0; i < entry.slots.length; i++) {
    out.push(entry.parts[i]!);
    const slot = entry.slots[i]!;
    out.push(slot < 0 ? nonce : k.tokens[slot]!);
  }
  out.push(entry.parts[entry.parts.length - 1]!);
  return out.join("");
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** Keeps a page rendered with `nonce` (and `k`'s tokens) for its key. */
export function keepPage(k: RenderKey, html: string, nonce: string, now = Date.now()): void {
  const old = state.entries.get(k.key);
  if (old) {
    state.chars -= old.chars;
    state.entries.delete(k.key);
  }
  if (html.length > MAX_CHARS / 8) return;
  const values = [nonce, ...k.tokens];
  const find = new RegExp(values.map(escape).join("|"), "g");
  const parts: string[] = [];
  const slots: number[] = [];
  let from = 0;
  for (let m = find.exec(html); m; m = find.exec(html)) {
    parts.push(html.slice(from, m.index));
    slots.push(values.indexOf(m[0]) - 1);
    from = m.index + m[0].length;
  }
  parts.push(html.slice(from));
  state.entries.set(k.key, { parts, slots, tokenCount: k.tokens.length, chars: html.length, at: now });
  state.chars += html.length;
  while (state.entries.size > MAX_ENTRIES || state.chars > MAX_CHARS) {
    const [oldest, e] = state.entries.entries().next().value as [string, Entry];
    state.entries.delete(oldest);
    state.chars -= e.chars;
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
