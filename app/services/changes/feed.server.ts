import { sql } from "drizzle-orm";
import type { Db } from "../db.server";
import { exec, first, rows as raw } from "../data/raw.server";
import { dialectOf } from "../data/dialect.server";

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
  /**
   * Applies changes (the subscriber re-reads the rows it needs: the log says what, not how). On
   * PostgreSQL (followNow) a returned promise is awaited; SQLite's synchronous follow() does not wait.
   */
  apply: (db: Db, changes: Changes) => void | Promise<void>;
  /** Forgets everything derived: it is rebuilt on next use. */
  reset: (db: Db) => void | Promise<void>;
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
    for (const [topic, ch] of byTopic) void subscribers.get(topic)?.apply(db, ch);
    applied += rows.length;
    if (rows.length < BATCH) return applied;
  }
}

function resetAll(db: Db, c: Cursor) {
  c.last = topSeq(db);
  c.resets++;
  for (const s of subscribers.values()) void s.reset(db);
}

// ── PostgreSQL: the same polling follower, awaited ──────────────────────────────────────────────
// PostgreSQL's change_log has the same rows (db/pg/migrations/0001_pg_extras.sql), but it can only be
// read asynchronously, and its seqs may have gaps (an identity value is not given back on rollback), so
// "a hole after the cursor" does not mean "pruned": there a cursor behind the oldest row left means it.

/** Where this connection stands (creating the cursor at the newest row on first use), on either engine. */
export async function cursorNow(db: Db): Promise<void> {
  if (dialectOf(db) === "sqlite") {
    cursor(db);
    return;
  }
  if (!cursors.has(db)) {
    const top = await topSeqPg(db);
    if (!cursors.has(db)) cursors.set(db, { last: top, checkedAt: 0, resets: 0 });
  }
}

async function topSeqPg(db: Db): Promise<number> {
  return Number((await first<{ n: number | string }>(db, sql`SELECT coalesce(max(seq), 0) AS n FROM change_log`))?.n ?? 0);
}

/** follow() on either engine: on PostgreSQL the rows are read with an await and each subscriber's apply awaited. */
export async function followNow(db: Db, minIntervalMs = FOLLOW_EVERY_MS): Promise<number> {
  if (dialectOf(db) === "sqlite") return follow(db, minIntervalMs);
  await cursorNow(db);
  const c = cursors.get(db)!;
  const now = Date.now();
  if (minIntervalMs > 0 && now - c.checkedAt < minIntervalMs) return 0;
  c.checkedAt = now;
  let applied = 0;
  for (;;) {
    const from = c.last;
    const got = (
      await raw<{ seq: number | string; topic: Topic; rowId: number; oldest: number | string }>(
        db,
        sql`SELECT seq, topic, row_id AS "rowId", (SELECT min(seq) FROM change_log) AS oldest
            FROM change_log WHERE seq > ${from} ORDER BY seq LIMIT ${BATCH}`,
      )
    ).map((r) => ({ seq: Number(r.seq), topic: r.topic, rowId: Number(r.rowId), oldest: Number(r.oldest) }));
    if (got.length && got[0]!.oldest > from + 1 && got[0]!.seq === got[0]!.oldest && from > 0) {
      // Rows after the cursor were pruned (or the oldest left is a rolled-back hole's neighbour: a
      // rebuild then is merely early).
      c.last = await topSeqPg(db);
      c.resets++;
      for (const s of subscribers.values()) await s.reset(db);
      return -1;
    }
    if (!got.length) return applied;
    const byTopic = new Map<Topic, Changes>();
    for (const r of got) {
      let ch = byTopic.get(r.topic);
      if (!ch) byTopic.set(r.topic, (ch = { ids: new Set(), lastSeq: r.seq }));
      ch.ids.add(r.rowId);
      ch.lastSeq = r.seq;
    }
    // Another call may have moved on meanwhile: the cursor only goes forward.
    c.last = Math.max(c.last, got[got.length - 1]!.seq);
    for (const [topic, ch] of byTopic) {
      const s = subscribers.get(topic);
      try {
        await s?.apply(db, ch);
      } catch (err) {
        // A subscriber that cannot apply here forgets what it derived (rebuilt on next use): slower, never stale.
        console.error(`change feed: ${topic} could not apply ${ch.ids.size} changes; reset`, err);
        await s?.reset(db);
      }
    }
    applied += got.length;
    if (got.length < BATCH) return applied;
  }
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
