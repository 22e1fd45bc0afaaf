import type { ReplicaPool } from "../../db/pg/replica";
import { getDb, getReadDb, type Db } from "./db.server";
import { readCookie, serializeCookie, SESSION_COOKIE } from "./session.server";

/**
 * Which database answers a request's reads (issue 13: read-only requests may go to a streaming
 * replica; docs/decisions/0023-postgresql-at-run-time.md). The one place that decides it.
 *
 * The replica (DATABASE_REPLICA_URL) answers only requests that cannot be hurt by reading a moment
 * into the past, which are also the bulk of the traffic:
 *  - GET or HEAD (an action's reads must see what it is about to write and check);
 *  - of a page whose loader asks for it (`readContext`): home, board, card, search, /api/search,
 *    interest and profile pages — public pages, not sign-in, sign-up, reset or invitation links,
 *    whose tokens were written a moment ago;
 *  - by a visitor: a request with a session cookie stays on the primary, always. A signed-in person
 *    sees her own boards, drafts and cards, and would see a page without her last write on a lagging
 *    copy; a session that was just signed out everywhere must stop working at once. Tracking each
 *    person's last write instead would save the primary little (signed-in pages are the minority) for
 *    more moving parts;
 *  - that has not submitted a form in the last pinSeconds(): a visitor who hides a card, picks topics
 *    or signs out gets a short `tablero_wrote` cookie (no identifier, just "1"), so the page they come
 *    back to is read from the primary and shows what they did. Engagement beacons (JSON) set no pin:
 *    they change nothing a page shows at once, and every page sends them.
 *
 * The replica's handle itself falls back to the primary while the replica is down or lags more than
 * its limit (db/pg/replica.ts). Whatever a replica-read page queues for writing, and the in-memory
 * index and graph it consults, belong to the primary (data/primary.server.ts).
 */
export const WROTE_COOKIE = "tablero_wrote";

/** Extra seconds the pin lasts beyond the replica's worst-case staleness. */
export const PIN_MARGIN_S = 5;

/** How long a visitor's pages stay on the primary after a form: longer than a replica read can be stale. */
export function pinSeconds(limits: ReplicaPool["limits"]): number {
  return Math.ceil((limits.maxLagMs + limits.staleAfterMs) / 1000) + PIN_MARGIN_S;
}

/** The replica's pool when one is configured, else null (SQLite, or PostgreSQL without a replica). */
function replica(): { db: Db; pool: ReplicaPool } | null {
  const read = getReadDb();
  if (read === getDb()) return null;
  return { db: read, pool: read.$client as unknown as ReplicaPool };
}

const isRead = (method: string) => method === "GET" || method === "HEAD";

/** The handle a page loader reads with: the replica's only for a visitor's GET with no recent form. */
export function readDbFor(request: Request): Db {
  const r = replica();
  if (!r || !isRead(request.method)) return getDb();
  if (readCookie(request, SESSION_COOKIE) !== undefined || readCookie(request, WROTE_COOKIE) !== undefined) return getDb();
  return r.db;
}

/** How long the `tablero_wrote` pin lasts, in seconds, when a replica is configured; null when no such cookie is ever set. */
export function wroteCookieSeconds(): number | null {
  const r = replica();
  return r ? pinSeconds(r.pool.limits) : null;
}

/**
 * The Set-Cookie that pins the sender to the primary for a while, for a form submitted while a
 * replica is configured; null otherwise (no cookie at all on SQLite or without a replica).
 */
export function pinAfterWrite(request: Request): string | null {
  const r = replica();
  if (!r || isRead(request.method)) return null;
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) return null;
  return serializeCookie(request, WROTE_COOKIE, "1", pinSeconds(r.pool.limits));
}
