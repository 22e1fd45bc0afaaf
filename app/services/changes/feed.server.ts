import { sql } from "drizzle-orm";
import type pg from "pg";
import type { Db } from "../db.server";
import { dialectOf } from "../data/dialect.server";
import { exec, first } from "../data/raw.server";
import { followChanges, type Follower } from "../pg/change-feed.server";
import { primaryOf } from "../data/primary.server";

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
   * Applies changes (the subscriber re-reads the rows it needs: the log says what, not how). On SQLite
   * it is called synchronously from follow(); on PostgreSQL from the LISTEN/NOTIFY follower, which
   * awaits it (re-reading rows there is asynchronous).
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

// SQLite: the polling below (cursor, follow) is synchronous on purpose: a caller that builds or reads
// an in-memory structure gets it current when follow() returns, and sqlite_sequence exists only in
// SQLite. PostgreSQL: a NOTIFY-driven follower per connection pool (pg/change-feed.server.ts) pushes
// the same rows to the same subscribers as they commit; follow() only reports where it stands.
function topSeq(db: Db): number {
  const row = db.$client.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'change_log'").get() as { seq: number } | undefined;
  return row?.seq ?? 0;
}

/**
 * Where this connection stands in the feed. The first call starts at the newest row: whatever is
 * built after it reads the tables themselves, and later changes arrive through the feed.
 */
export function cursor(db: Db): Cursor {
  if (dialectOf(db) === "pg") return pgCursor(db);
  let c = cursors.get(db);
  if (!c) cursors.set(db, (c = { last: topSeq(db), checkedAt: 0, resets: 0 }));
  return c;
}

/**
 * Applies what other connections (and this one) wrote since the last call, unless that was less than
 * `minIntervalMs` ago. Returns how many rows were applied (-1: fell behind, everything reset).
 */
export function follow(db: Db, minIntervalMs = FOLLOW_EVERY_MS): number {
  if (dialectOf(db) === "pg") {
    pgFollow(db); // started once; it pushes changes as they commit
    return 0;
  }
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

/** How often this connection fell behind the pruned horizon and rebuilt (tests, logs). */
export function resets(db: Db): number {
  return cursor(db).resets;
}

/** Where this connection stands, on either engine (PostgreSQL: once the follower knows its first row). */
export async function cursorNow(db: Db): Promise<void> {
  await startFollowing(db);
}

/**
 * follow() on either engine, awaitable. On PostgreSQL the NOTIFY-driven follower applies changes as
 * they commit; this also makes it catch up now (at most every `minIntervalMs`), so a reader that needs
 * a structure current to the last commit (the graph after a write) can wait for it.
 */
export async function followNow(db: Db, minIntervalMs = FOLLOW_EVERY_MS): Promise<number> {
  if (dialectOf(db) === "sqlite") return follow(db, minIntervalMs);
  const f = pgFollow(db);
  await f.ready;
  const now = Date.now();
  if (minIntervalMs > 0 && now - f.cursor.checkedAt < minIntervalMs) return 0;
  f.cursor.checkedAt = now;
  const before = f.cursor.last;
  await f.follower?.sync();
  return f.cursor.last - before;
}

// ── PostgreSQL ───────────────────────────────────────────────────────────────────────────────────

type PgFollow = { follower: Follower | null; ready: Promise<void>; cursor: Cursor };
const pgFollowers = new WeakMap<object, PgFollow>();

/**
 * Starts (once per pool) following the feed from its newest row. What the subscribers build after
 * `startFollowing()` resolved reads the tables themselves; later changes arrive through the follower.
 */
function pgFollow(reader: Db): PgFollow {
  // A replica cannot LISTEN, and what follows the feed serves the whole node: always the primary.
  const db = primaryOf(reader);
  const pool = db.$client as unknown as pg.Pool;
  let f = pgFollowers.get(pool);
  if (f) return f;
  const c: Cursor = { last: 0, checkedAt: 0, resets: 0 };
  const state: PgFollow = { follower: null, cursor: c, ready: Promise.resolve() };
  state.ready = (async () => {
    const top = await first<{ seq: number | null }>(db, sql`SELECT max(seq) AS seq FROM change_log`);
    c.last = Number(top?.seq ?? 0);
    const url = (pool as unknown as { options: { connectionString?: string } }).options.connectionString;
    if (!url) throw new Error("change feed: the PostgreSQL pool has no connection string to LISTEN with");
    state.follower = followChanges({
      url,
      pool,
      from: c.last,
      pollMs: 5_000,
      onError: (e) => console.error("change feed (PostgreSQL): follow failed", e),
      // Cut off longer than change_log keeps rows: what was pruned is unknown, so everything derived
      // is forgotten and rebuilt from the tables on next use, as SQLite's poller does (resetAll).
      onGap: async ({ last, oldest }) => {
        console.warn(`change feed (PostgreSQL): changes ${last + 1}–${oldest - 1} were pruned before this node read them; rebuilding`);
        c.resets++;
        for (const s of subscribers.values()) await s.reset(db);
      },
      onChange: async (ch) => {
        await subscribers.get(ch.topic)?.apply(db, { ids: new Set([Number(ch.rowId)]), lastSeq: ch.seq });
        c.last = ch.seq;
      },
    });
  })();
  state.ready.catch((e: unknown) => {
    console.error("change feed (PostgreSQL): could not start", e);
    pgFollowers.delete(pool); // tried again on next use
  });
  pgFollowers.set(pool, (f = state));
  return f;
}

function pgCursor(db: Db): Cursor {
  return pgFollow(db).cursor;
}

/**
 * Where a subscriber begins before it builds from the tables: on SQLite the cursor is taken at once;
 * on PostgreSQL this waits until the follower knows its starting row (a change committed while the
 * structure is then built is applied again afterwards, which is harmless).
 */
export async function startFollowing(db: Db): Promise<void> {
  if (dialectOf(db) === "pg") return pgFollow(db).ready;
  cursor(db);
}

/** Waits until every change committed before this call has been applied (PostgreSQL; tests). */
export async function caughtUp(db: Db): Promise<void> {
  if (dialectOf(db) !== "pg") return void follow(db, 0);
  const f = pgFollow(db);
  await f.ready;
  await f.follower?.sync();
}

/** Stops this pool's follower (before closing the pool). */
export async function stopFollowing(db: Db): Promise<void> {
  const pool = primaryOf(db).$client as unknown as object;
  const f = pgFollowers.get(pool);
  pgFollowers.delete(pool);
  await f?.ready.catch(() => {});
  await f?.follower?.stop();
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
