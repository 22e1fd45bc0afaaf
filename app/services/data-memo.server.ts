import { sql } from "drizzle-orm";
import { cursor, cursorNow, follow } from "./changes/feed.server";
import { first } from "./data/raw.server";
import type { Db } from "./db.server";
import { dialectOf } from "./data/dialect.server";

/**
 * Results of read-only work kept until the database changes (issue 13): a page's loaders ask the same
 * questions of unchanged data on every request (a board and its stories, a card's "more like this", a
 * visitor's home feed, a repeated JSON search).
 *
 * "Changed" is what SQLite itself reports, not a clock: `total_changes()` counts this connection's
 * own writes, and `PRAGMA data_version` moves when any OTHER connection commits, another worker
 * process on the same file included. Both are read in one prepared statement, a few microseconds, on
 * every lookup. Any write anywhere therefore drops every entry, which is coarse but never stale (the
 * served-list log writes about four times a second under load, so a busy page still computes a few
 * times a second rather than on every request).
 *
 * Values are shared between requests: callers must treat them as read-only. Inside a transaction
 * nothing is kept or reused (its uncommitted writes may still roll back). Entries also expire after
 * `maxAgeMs` (default one minute), for work that reads the clock (recency in feed ranking).
 */

type Entry = { version: string; at: number; value: unknown };
const MAX_ENTRIES = 1000;
const memos = new WeakMap<Db, Map<string, Entry>>();
/** Per connection: how many of its own row changes were declared unread by any kept work (unreadWrites). */
const unread = new WeakMap<Db, number>();

/**
 * A token that differs whenever this connection or any other one has written to the database since.
 * SQLite only (total_changes, PRAGMA data_version) and synchronous on purpose: it is read on every
 * lookup, before the kept value is handed out, so a kept promise can never outlive a write. PostgreSQL's
 * version takes a query: pgDataVersion below.
 */
export function dataVersion(db: Db): string {
  // What is kept also derives from in-memory state that follows the data through the change feed (the
  // vector index, the Pixie graph), which can lag another worker's commit by up to FOLLOW_EVERY_MS: a
  // result computed before the feed was applied must not outlive it, so the feed's cursor is part of
  // the version (caught up first, at most every FOLLOW_EVERY_MS).
  follow(db);
  const feed = cursor(db);
  const r = db.$client.prepare("SELECT total_changes() AS c, data_version AS v FROM pragma_data_version").get() as { c: number; v: number };
  return `${r.c - (unread.get(db) ?? 0)}:${r.v}:${feed.last}:${feed.resets}`;
}

/**
 * Runs `write`, whose rows no kept work reads (the served-list log, which only training reads), without
 * dropping what is kept: this connection's changes made inside do not count. Only for this
 * connection's own writes; the same write by another process still moves `data_version`.
 */
export function unreadWrites<T>(db: Db, write: () => T): T {
  if (dialectOf(db) === "pg") return write(); // there every commit moves the version (pgDataVersion)
  const changes = () => (db.$client.prepare("SELECT total_changes() AS c").get() as { c: number }).c;
  const before = changes();
  try {
    return write();
  } finally {
    unread.set(db, (unread.get(db) ?? 0) + changes() - before);
  }
}

/**
 * `compute()`'s value for `key`, computed again only when the database changed (or the entry is older
 * than `maxAgeMs`). A thrown error is not kept; a rejected promise is dropped when it rejects.
 * Asynchronous work (the feed's choices, since issue 13's async data layer) is kept as its promise:
 * callers arriving while it runs share it, and the version is read before it starts, so a write
 * committed meanwhile makes the next lookup compute afresh. On PostgreSQL the answer is always a promise
 * (the version is read first), which every caller awaits.
 */
export function memoByData<T>(db: Db, key: string, compute: () => T, o: { maxAgeMs?: number; now?: number } = {}): T {
  if (dialectOf(db) === "pg") return memoByDataPg(db, key, compute, o);
  if (db.$client.inTransaction) return compute();
  return keep(db, key, dataVersion(db), compute, o.now ?? Date.now(), o.maxAgeMs);
}

/** The lookup both engines share: the kept value when its version and age allow, else compute() kept. */
function keep<T>(db: Db, key: string, version: string, compute: () => T, now: number, maxAgeMs = 60_000): T {
  let map = memos.get(db);
  if (!map) memos.set(db, (map = new Map()));
  const hit = map.get(key);
  if (hit && hit.version === version && now - hit.at <= maxAgeMs) {
    map.delete(key);
    map.set(key, hit);
    return hit.value as T;
  }
  const value = compute();
  const entry: Entry = { version, at: now, value };
  map.delete(key);
  map.set(key, entry);
  if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value as string);
  if (value instanceof Promise) {
    value.catch(() => {
      if (map.get(key) === entry) map.delete(key);
    });
  }
  return value;
}

/**
 * PostgreSQL's version of the data a handle reads: where its write-ahead log stands, plus this node's
 * change-feed cursor (the in-memory vector index and graph, as on SQLite). Every commit, on any node,
 * writes a commit record and so moves the primary's WAL insert position before its rows become
 * visible; a replica shows exactly what it has replayed. A version read before a page's queries
 * therefore differs from one read after any commit those queries might have missed: never stale,
 * only conservative (other databases of the cluster, vacuum and the served-list log's flushes, every
 * 250 ms, also move it). One round trip, a fraction of a millisecond.
 */
export async function pgDataVersion(db: Db): Promise<string> {
  const r = await first<{ lsn: string }>(
    db,
    sql`SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_insert_lsn() END)::text AS lsn`,
  );
  await cursorNow(db);
  const feed = cursor(db);
  return `${r?.lsn ?? ""}:${feed.last}:${feed.resets}`;
}

/**
 * memoByData on PostgreSQL: the version takes a query, so only asynchronous work is kept (every loader's
 * is); its promise is handed to callers arriving while the version is read, so a burst of requests for
 * one page computes it once.
 */
function memoByDataPg<T>(db: Db, key: string, compute: () => T, o: { maxAgeMs?: number; now?: number }): T {
  const now = o.now ?? Date.now();
  return (async () => {
    const version = await pgDataVersion(db);
    const value = keep(db, key, version, compute, now, o.maxAgeMs);
    return await value;
  })() as T;
}
