import { sql } from "drizzle-orm";
import type { Db } from "../db.server";
import { exec } from "../data/raw.server";

/**
 * Following the change feed (change_log, migration 0013): each process keeps structures in memory
 * that are derived from tables any worker may write — the card vector index (vectors.server.ts) and
 * the Pixie graph (graph.server.ts). Triggers append a row per change; each process reads the rows
 * after the last one it applied and hands them to the subscriber of their topic. Reading is one
 * range scan on the primary key, done at most every FOLLOW_EVERY_MS by the request that needs the
 * structure, and by a timer in the server (startup.server.ts) so an idle worker keeps up too.
 *
 * Rows are pruned after a while (pruneChanges). Sequence numbers have no gaps (AUTOINCREMENT, one
 * writer at a time, a rolled-back insert gives its number back), so a process that finds a hole
 * after its cursor knows it fell behind the pruned horizon: every subscriber rebuilds from scratch.
 */

export type Topic = "pin_vec" | "graph";

/** What changed since the last read, per topic: the row ids (cards for pin_vec, boards for graph). */
export type Changes = { ids: Set<number>; lastSeq: number };

export type Subscriber = {
  /** Applies changes (the subscriber re-reads the rows it needs: the log says what, not how). */
  apply: (db: Db, changes: Changes) => void;
  /** Forgets everything derived: it is rebuilt on next use. */
  reset: (db: Db) => void;
};

export const FOLLOW_EVERY_MS = 250;
/** Rows read per catch-up; a longer backlog is read on the next call (or the subscriber resets). */
const BATCH = 5000;

const subscribers = new Map<Topic, Subscriber>();
type Cursor = { last: number; checkedAt: number; resets: number };
const cursors = new WeakMap<Db, Cursor>();

export function subscribe(topic: Topic, s: Subscriber) {
  subscribers.set(topic, s);
}

// pg: the polling below (cursor, follow) is SQLite's follower and stays synchronous on purpose: callers
// that are not yet asynchronous (vectors.server.ts' pinIndex, graph.server.ts' loadGraph) rely on the
// index being current when it returns, and sqlite_sequence exists only in SQLite. On PostgreSQL the
// follower is db/pg's followChanges (LISTEN/NOTIFY, decision 0021, plan item 4), which hands the same
// subscribers their changes; these functions are not called there.
function topSeq(db: Db): number {
  const row = db.$client.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'change_log'").get() as { seq: number } | undefined;
  return row?.seq ?? 0;
}

/**
 * Where this connection stands in the feed. The first call starts at the newest row: whatever is
 * built after it reads the tables themselves, and later changes arrive through the feed.
 */
export function cursor(db: Db): Cursor {
  let c = cursors.get(db);
  if (!c) cursors.set(db, (c = { last: topSeq(db), checkedAt: 0, resets: 0 }));
  return c;
}

/**
 * Applies what other connections (and this one) wrote since the last call, unless that was less than
 * `minIntervalMs` ago. Returns how many rows were applied (-1: fell behind, everything reset).
 */
export function follow(db: Db, minIntervalMs = FOLLOW_EVERY_MS): number {
  const c = cursor(db);
  const now = Date.now();
  if (minIntervalMs > 0 && now - c.checkedAt < minIntervalMs) return 0;
  c.checkedAt = now;
  let applied = 0;
  for (;;) {
    const rows = db.$client
      .prepare("SELECT seq, topic, row_id AS rowId FROM change_log WHERE seq > ? ORDER BY seq LIMIT ?")
      .all(c.last, BATCH) as { seq: number; topic: Topic; rowId: number }[];
    const behind = rows.length ? rows[0]!.seq !== c.last + 1 : topSeq(db) > c.last;
    if (behind) {
      resetAll(db, c);
      return -1;
    }
    if (!rows.length) return applied;
    const byTopic = new Map<Topic, Changes>();
    for (const r of rows) {
      let ch = byTopic.get(r.topic);
      if (!ch) byTopic.set(r.topic, (ch = { ids: new Set(), lastSeq: r.seq }));
      ch.ids.add(Number(r.rowId));
      ch.lastSeq = r.seq;
    }
    c.last = rows[rows.length - 1]!.seq;
    for (const [topic, ch] of byTopic) subscribers.get(topic)?.apply(db, ch);
    applied += rows.length;
    if (rows.length < BATCH) return applied;
  }
}

function resetAll(db: Db, c: Cursor) {
  c.last = topSeq(db);
  c.resets++;
  for (const s of subscribers.values()) s.reset(db);
}

/** How often this connection fell behind the pruned horizon and rebuilt (tests, logs). */
export function resets(db: Db): number {
  return cursor(db).resets;
}

/** Rows are kept at least this long, and at least the last KEEP_ROWS of them. */
export const KEEP_MS = 10 * 60_000;
export const KEEP_ROWS = 10_000;

/** Deletes rows both older than KEEP_MS and more than KEEP_ROWS behind the newest; returns how many. */
export async function pruneChanges(db: Db, o: { now?: number; keepMs?: number; keepRows?: number } = {}): Promise<number> {
  const cutoff = (o.now ?? Date.now()) - (o.keepMs ?? KEEP_MS);
  return exec(
    db,
    sql`DELETE FROM change_log WHERE at < ${cutoff} AND seq <= (SELECT coalesce(max(seq), 0) FROM change_log) - ${o.keepRows ?? KEEP_ROWS}`,
  );
}
