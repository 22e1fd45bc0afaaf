import { cursor, follow } from "./changes/feed.server";
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
 * pg: SQLite only (total_changes, PRAGMA data_version) and synchronous on purpose: it is read on every
 * lookup, before the kept value is handed out, so a kept promise can never outlive a write. PostgreSQL
 * has no equivalent; there the version would be the change feed's last sequence number (followChanges).
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
 * committed meanwhile makes the next lookup compute afresh.
 */
export function memoByData<T>(db: Db, key: string, compute: () => T, o: { maxAgeMs?: number; now?: number } = {}): T {
  // PostgreSQL has no synchronous data version yet (see dataVersion): nothing is kept there, every
  // lookup computes. Correct, only not cached; the version would come from the change feed's seq.
  if (dialectOf(db) === "pg") return compute();
  if (db.$client.inTransaction) return compute();
  const version = dataVersion(db);
  const now = o.now ?? Date.now();
  let map = memos.get(db);
  if (!map) memos.set(db, (map = new Map()));
  const hit = map.get(key);
  if (hit && hit.version === version && now - hit.at <= (o.maxAgeMs ?? 60_000)) {
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
