import { FEATURE_SET, type RankSurface } from "../../../models/rank/features";
import type { LoggedList } from "../../../models/rank/ranker";
import { unreadWrites } from "../data-memo.server";
import type { Db } from "../db.server";
import { sql } from "drizzle-orm";
import { dialectOf } from "../data/dialect.server";
import { exec, first, rows as raw } from "../data/raw.server";
import { transaction } from "../data/transaction.server";
import { primaryOf } from "../data/primary.server";

/**
 * The log of served lists (served_list, served_item): written at serving time with the exact feature
 * values each card was ranked by, so training sees what serving saw. Like the engagement log, rows
 * wait in a small in-memory queue that is written in one transaction every FLUSH_MS (and on exit), so
 * a page view never waits for a write; the events that follow (impression, click, close-up, save,
 * hide) carry the list's request id and join it in `loggedLists`.
 */
export type ServedItem = { pinId: number; position: number; score: number; features: ArrayLike<number>; propensity?: number | null };
export type ServedList = {
  requestId: string;
  surface: RankSurface;
  userId: number | null;
  sessionKey: string;
  query: string | null;
  ranker: string;
  items: ServedItem[];
  servedAt?: number;
};

/**
 * A search as the search page logged it (search_log; query expansion reads it). Queued with the served
 * lists for the same reason: a GET writes nothing itself (issue 13); this background writer does.
 */
export type SearchRecord = { query: string; normalized: string; lang: string; resultCount: number; sessionKey: string; at?: number };

type Entry = ServedList | { search: SearchRecord };

/** TABLERO_LOG_FLUSH_MS: how long rows wait (the no-GET-writes test holds them to see the GET alone). */
const FLUSH_MS = Number(process.env.TABLERO_LOG_FLUSH_MS ?? 250);
const FLUSH_AT = 200;
type State = {
  queues: Map<Db, Entry[]>;
  timers: Map<Db, ReturnType<typeof setTimeout>>;
  hooked: boolean;
  /** PostgreSQL: writes started by flushServed and not finished yet (writeServed waits for them). */
  writing?: Map<Db, Set<Promise<void>>>;
};
const g = globalThis as unknown as { __tableroServed?: State };
const state: State = (g.__tableroServed ??= { queues: new Map(), timers: new Map(), hooked: false });
const writing = (state.writing ??= new Map());

export function logServedList(db: Db, list: ServedList) {
  if (!list.items.length) return;
  // The time it was served, not the time the queue is written: training splits by it.
  enqueue(db, { ...list, servedAt: list.servedAt ?? Date.now() });
}

export function logSearch(db: Db, search: SearchRecord) {
  enqueue(db, { search: { ...search, at: search.at ?? Date.now() } });
}

function enqueue(reader: Db, entry: Entry) {
  // A page read through the replica queues its rows for the primary (a replica refuses writes).
  const db = primaryOf(reader);
  if (!state.hooked) {
    state.hooked = true;
    process.once("exit", () => flushServed());
  }
  let q = state.queues.get(db);
  if (!q) state.queues.set(db, (q = []));
  q.push(entry);
  if (q.length >= FLUSH_AT) flushServed(db);
  else if (!state.timers.has(db)) {
    const t = setTimeout(() => {
      state.timers.delete(db);
      flushServed(db);
    }, FLUSH_MS);
    t.unref?.();
    state.timers.set(db, t);
  }
}

// Feature arrays are shared by every request served from the same kept ranking (data-memo.server.ts)
// and never changed once ranked, so each is encoded once.
const encoded = new WeakMap<ArrayLike<number>, string>();

/** Feature values as JSON: six significant digits, a missing value (NaN) as null. */
export function encodeFeatures(x: ArrayLike<number>): string {
  let s = encoded.get(x);
  if (s === undefined) encoded.set(x, (s = encodeFresh(x)));
  return s;
}

function encodeFresh(x: ArrayLike<number>): string {
  const out: (number | null)[] = [];
  for (let i = 0; i < x.length; i++) out.push(Number.isFinite(x[i]) ? Number(x[i]!.toPrecision(6)) : null);
  return JSON.stringify(out);
}
export function decodeFeatures(s: string): number[] {
  return (JSON.parse(s) as (number | null)[]).map((v) => (v === null ? NaN : v));
}

/**
 * Writes the waiting lists (one database, or all); returns how many lists were written. On SQLite
 * they are committed when it returns; on PostgreSQL the write is started, and writeServed waits for it.
 */
export function flushServed(db?: Db): number {
  let written = 0;
  for (const d of db ? [db] : [...state.queues.keys()]) {
    const timer = state.timers.get(d);
    if (timer) clearTimeout(timer);
    state.timers.delete(d);
    const q = state.queues.get(d);
    if (!q?.length) continue;
    state.queues.set(d, []);
    if (dialectOf(d) === "pg") {
      const p = writePg(d, q).catch((err: unknown) => console.error(`served log: dropped ${q.length} lists`, err));
      let set = writing.get(d);
      if (!set) writing.set(d, (set = new Set()));
      set.add(p);
      void p.finally(() => set.delete(p));
      written += q.length;
      continue;
    }
    try {
      // Nothing served or searched before the person deleted their history is written after it (the
      // deletion may have run in another worker while this queue waited).
      const list = d.$client.prepare(
        `INSERT OR IGNORE INTO served_list (request_id, surface, user_id, session_key, query, ranker, feature_set, created_at)
         SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM history_deletion h WHERE h.user_id = ? AND h.at >= ?)`,
      );
      // A card deleted between serving and writing is left out (its row would break the foreign key).
      const item = d.$client.prepare(
        "INSERT OR IGNORE INTO served_item (request_id, position, pin_id, score, features, propensity) SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM pin WHERE id = ?)",
      );
      const search = d.$client.prepare(
        `INSERT INTO search_log (query, normalized, lang, result_count, session_key, created_at)
         SELECT ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM history_deletion h WHERE h.user_id = ? AND h.at >= ?)`,
      );
      const write = () =>
        d.$client.transaction(() => {
          for (const l of q) {
            if ("search" in l) {
              const s = l.search;
              const at = s.at ?? Date.now();
              search.run(s.query, s.normalized, s.lang, s.resultCount, s.sessionKey, at, userOf(s.sessionKey), at);
              continue;
            }
            const at = l.servedAt ?? Date.now();
            const kept = list.run(
              l.requestId,
              l.surface,
              l.userId,
              l.sessionKey.slice(0, 80),
              l.query,
              l.ranker,
              FEATURE_SET,
              at,
              l.userId,
              at,
            );
            if (!kept.changes) continue;
            for (const it of l.items)
              item.run(l.requestId, it.position, it.pinId, it.score, encodeFeatures(it.features), it.propensity ?? null, it.pinId);
          }
        })();
      // Pages never read the served lists (training does): writing only them keeps what pages computed.
      // The search log is read (related searches), so a batch with searches counts as a change.
      if (q.some((l) => "search" in l)) write();
      else unreadWrites(d, write);
      written += q.length;
    } catch (err) {
      console.error(`served log: dropped ${q.length} lists`, err);
    }
  }
  return written;
}

/** flushServed, then waits until every list handed over so far is written (or dropped), on either engine. */
export async function writeServed(db?: Db): Promise<number> {
  const n = flushServed(db);
  for (const d of db ? [db] : [...writing.keys()]) await Promise.all([...(writing.get(d) ?? [])]);
  return n;
}

const userOf = (key: string) => (key.startsWith("u:") ? Number(key.slice(2)) : null);

/**
 * PostgreSQL's flush: the same statements as SQLite's prepared ones, in one transaction() (INSERT OR
 * IGNORE → ON CONFLICT DO NOTHING). Parameters are cast: in `INSERT … SELECT $1, …` PostgreSQL cannot
 * infer their types from the target columns. A list's cards go in one statement.
 */
async function writePg(d: Db, q: Entry[]): Promise<void> {
  await transaction(d, async (tx) => {
    for (const l of q) {
      if ("search" in l) {
        const s = l.search;
        const at = s.at ?? Date.now();
        await exec(
          tx,
          sql`INSERT INTO search_log (query, normalized, lang, result_count, session_key, created_at)
              SELECT ${s.query}::text, ${s.normalized}::text, ${s.lang}::text, ${s.resultCount}::integer, ${s.sessionKey}::text, ${at}::bigint
              WHERE NOT EXISTS (SELECT 1 FROM history_deletion h WHERE h.user_id = ${userOf(s.sessionKey)}::integer AND h.at >= ${at}::bigint)`,
        );
        continue;
      }
      const at = l.servedAt ?? Date.now();
      const kept = await exec(
        tx,
        sql`INSERT INTO served_list (request_id, surface, user_id, session_key, query, ranker, feature_set, created_at)
            SELECT ${l.requestId}::text, ${l.surface}::text, ${l.userId}::integer, ${l.sessionKey.slice(0, 80)}::text, ${l.query}::text,
                   ${l.ranker}::text, ${FEATURE_SET}::text, ${at}::bigint
            WHERE NOT EXISTS (SELECT 1 FROM history_deletion h WHERE h.user_id = ${l.userId}::integer AND h.at >= ${at}::bigint)
            ON CONFLICT DO NOTHING`,
      );
      if (!kept || !l.items.length) continue;
      const values = sql.join(
        l.items.map(
          (it) =>
            sql`(${it.position}::integer, ${it.pinId}::integer, ${it.score}::double precision, ${encodeFeatures(it.features)}::text, ${it.propensity ?? null}::double precision)`,
        ),
        sql`, `,
      );
      await exec(
        tx,
        sql`INSERT INTO served_item (request_id, position, pin_id, score, features, propensity)
            SELECT ${l.requestId}::text, v.position, v.pin_id, v.score, v.features, v.propensity
            FROM (VALUES ${values}) AS v(position, pin_id, score, features, propensity)
            WHERE EXISTS (SELECT 1 FROM pin WHERE id = v.pin_id)
            ON CONFLICT DO NOTHING`,
      );
    }
  });
}

/**
 * Served lists of today's feature set with what followed each card, for training: only the cards
 * that were seen (an impression or any other event came back), and only lists with a seen card.
 */
export async function loggedLists(db: Db, o: { since?: number; until?: number; surfaces?: RankSurface[] } = {}): Promise<LoggedList[]> {
  // group_concat(DISTINCT x) is string_agg(DISTINCT x, ',') on PostgreSQL, and SQLite's l.rowid
  // (insertion order among lists served in the same millisecond) has no equivalent there: request_id
  // breaks those ties instead. It loads every logged row into memory, as it did (training reads them all anyway).
  const pg = dialectOf(db) === "pg";
  const actions = pg ? sql`string_agg(DISTINCT e.action, ',')` : sql`group_concat(DISTINCT e.action)`;
  const tie = pg ? sql`l.request_id` : sql`l.rowid`;
  const rows = await raw<{
    requestId: string;
    surface: string;
    at: number;
    query: string | null;
    position: number;
    pinId: number;
    features: string;
    propensity: number | null;
    actions: string | null;
  }>(
    db,
    sql`SELECT l.request_id AS "requestId", l.surface AS "surface", l.created_at AS "at", l.query AS "query",
               i.position AS "position", i.pin_id AS "pinId", i.features AS "features", i.propensity AS "propensity",
               (SELECT ${actions} FROM engagement e WHERE e.request_id = i.request_id AND e.pin_id = i.pin_id) AS "actions"
        FROM served_list l JOIN served_item i ON i.request_id = l.request_id
        WHERE l.feature_set = ${FEATURE_SET} AND l.created_at >= ${o.since ?? 0} AND l.created_at < ${o.until ?? Number.MAX_SAFE_INTEGER}
        ORDER BY l.created_at, ${tie}, i.position`,
  );
  const lists: LoggedList[] = [];
  let cur: LoggedList | null = null;
  for (const r of rows) {
    r.at = Number(r.at); // bigint on PostgreSQL
    if (o.surfaces && !o.surfaces.includes(r.surface as RankSurface)) continue;
    if (!cur || cur.requestId !== r.requestId) {
      if (cur?.items.length) lists.push(cur);
      cur = { requestId: r.requestId, surface: r.surface, at: r.at, query: r.query, items: [] };
    }
    if (!r.actions) continue;
    cur.items.push({
      pinId: r.pinId,
      position: r.position,
      features: decodeFeatures(r.features),
      actions: new Set(r.actions.split(",")),
      propensity: r.propensity,
    });
  }
  if (cur?.items.length) lists.push(cur);
  return lists;
}

/** Engagement events (not impressions) that joined a served list since a time: how much new signal there is. */
export async function joinedEventsSince(db: Db, since: number): Promise<number> {
  const r = await first<{ n: number | string }>(
    db,
    sql`SELECT count(*) AS "n" FROM engagement WHERE request_id IS NOT NULL AND action <> 'impression' AND created_at >= ${since}`,
  );
  return Number(r?.n ?? 0); // a string on PostgreSQL (count is bigint)
}
