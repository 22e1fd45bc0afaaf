import { sql } from "drizzle-orm";
import { SignBitIndex, meanVector } from "../../models/ann/index";
import type { Db } from "./db.server";
import { cursor, follow, startFollowing, subscribe } from "./changes/feed.server";
import { exec, first, rows } from "./data/raw.server";
import { dialectOf } from "./data/dialect.server";
import { deleteVectorPg, readVectorPagePg, readVectorsPg, upsertVectorPg } from "./pg/vectors.server";
import { pgQueryable } from "./pg/queryable.server";
import { primaryOf } from "./data/primary.server";

// sqlite-vec's vec0 tables (BigInt keys, Float32Array values) are SQLite-only; on PostgreSQL the same
// calls go to upsertVectorPg / deleteVectorPg / readVectorsPg in pg/vectors.server.ts (bytea).
type VecTable = "pin_vec" | "board_vec" | "interest_vec";
const keyOf = (table: VecTable) => (table === "pin_vec" ? "pin_id" : table === "board_vec" ? "board_id" : "interest_id");

/** vec0 tables want integer keys as BigInt and vectors as Float32Array. */
export async function upsertVector(db: Db, table: VecTable, id: number, vec: Float32Array) {
  if (dialectOf(db) === "pg") return upsertVectorPg(pgQueryable(db), table, id, vec);
  const key = sql.raw(keyOf(table));
  const t = sql.raw(table);
  await exec(db, sql`DELETE FROM ${t} WHERE ${key} = ${BigInt(id)}`);
  await exec(db, sql`INSERT INTO ${t}(${key}, embedding) VALUES (${BigInt(id)}, ${vec})`);
}

export async function deleteVector(db: Db, table: "pin_vec" | "board_vec", id: number) {
  if (dialectOf(db) === "pg") return deleteVectorPg(pgQueryable(db), table, id);
  await exec(db, sql`DELETE FROM ${sql.raw(table)} WHERE ${sql.raw(keyOf(table))} = ${BigInt(id)}`);
}

const toF32 = (blob: Buffer) => new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));

export async function readVectors(db: Db, table: VecTable, ids?: number[]): Promise<Map<number, Float32Array>> {
  const out = new Map<number, Float32Array>();
  if (ids && ids.length === 0) return out;
  if (dialectOf(db) === "pg") return readVectorsPg(pgQueryable(db), table, ids);
  for (const r of await rows<{ id: number; embedding: Buffer }>(db, vectorQuery(table, ids))) out.set(Number(r.id), toF32(r.embedding));
  return out;
}

function vectorQuery(table: VecTable, ids?: number[]) {
  const key = sql.raw(keyOf(table));
  const t = sql.raw(table);
  // vec0 has no ANY(); json_each takes the id list as one parameter (pg: readVectorsPg uses = ANY($1::int[])).
  return ids
    ? sql`SELECT ${key} AS id, embedding FROM ${t} WHERE ${key} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`
    : sql`SELECT ${key} AS id, embedding FROM ${t}`;
}

/**
 * Vectors read synchronously, for callers that cannot await yet: the pin_vec subscriber below (the
 * change feed's catch-up, changes/feed.server.ts, is synchronous), SignBitIndex's `fetchVectors`
 * re-rank callback (models/ann; only an index that keeps no vectors calls it) and the feed's and
 * PinSage's services until their own conversion (issue 13) lets them `await readVectors`.
 * pg: none of these run on PostgreSQL, whose follower (followChanges) is asynchronous and reads with
 * readVectorsPg (pg/vectors.server.ts).
 */
export function readVectorsNow(db: Db, table: VecTable, ids?: number[]): Map<number, Float32Array> {
  if (dialectOf(db) === "pg") throw new Error("readVectorsNow is SQLite's: on PostgreSQL await readVectors");
  const out = new Map<number, Float32Array>();
  if (ids && ids.length === 0) return out;
  for (const r of db.all<{ id: number; embedding: Buffer }>(vectorQuery(table, ids))) out.set(Number(r.id), toF32(r.embedding));
  return out;
}

/**
 * Up to this many cards the index keeps every float (2 KB a card) and its scores are exact cosines.
 * Above it, an int8 copy (516 bytes a card, ~0.5 GB at 1M) with cosines to within ~0.001: reading
 * the floats back from vec0 cost a whole 2 MB chunk per vector (~4 ms each, ~110 ms per query).
 */
const RESIDENT_FLOATS_MAX = 150_000;

/**
 * How many of the codes nearest to a query are re-ranked by cosine, for an index of `size` cards.
 * The Hamming pass costs the same whatever this is; the re-rank ~1–1.5 µs a candidate. Crowded
 * neighbourhoods need more: 800 gave recall@10 0.996 at 100k cards but 0.935 at 1M, where 2,000 gave
 * 0.958 and 4,000 0.965 (0.972 with the int8 encoder; bench/search.ts).
 */
export function vectorCandidates(size: number): number {
  return Math.round(Math.min(4000, Math.max(800, size / 250)));
}

/** Vectors sampled for the centre of the sign-bit codes; the mean of a sample is as good as the whole. */
const CENTRE_SAMPLE = 20_000;
/** Below this many cards the taxonomy's label vectors (always there) give the steadier centre. */
const CENTRE_MIN_CARDS = 200;

/**
 * The origin for sign bits and int8 offsets: USE-Lite's vectors share one large direction (the mean of
 * a corpus has norm ≈ 0.5), which would fix many code bits for every card. Computed once per index.
 */
async function centreOf(db: Db, cards: number): Promise<Float32Array | undefined> {
  const table = sql.raw(cards >= CENTRE_MIN_CARDS ? "pin_vec" : "interest_vec");
  return centreFrom(await rows<{ embedding: Buffer }>(db, sql`SELECT embedding FROM ${table} LIMIT ${CENTRE_SAMPLE}`));
}

function centreFrom(got: { embedding: Buffer }[]): Float32Array | undefined {
  if (!got.length) return undefined;
  const sample = new Float32Array(got.length * 512);
  got.forEach((r, i) => sample.set(toF32(r.embedding), i * 512));
  return meanVector(sample, 512);
}

/**
 * The in-memory approximate index over card vectors, one per database connection, built from pin_vec
 * on first use and kept in step by the change feed (changes/feed.server.ts): writes by this process
 * and by other workers alike. sqlite-vec stays the store of record.
 */
const indexes = new WeakMap<Db, SignBitIndex>();
/** An index being built: the first searches of a process share one build. */
const building = new WeakMap<Db, Promise<SignBitIndex>>();
export async function pinIndex(reader: Db): Promise<SignBitIndex> {
  // One index per node, built from and following the primary (a page reading a replica uses it too).
  const db = primaryOf(reader);
  const pg = dialectOf(db) === "pg";
  const index = indexes.get(db);
  if (index) {
    // pg: the follower is pushed by NOTIFY (refreshPinVectors), not polled by readers.
    if (!pg) follow(db);
    return index;
  }
  let pending = building.get(db);
  if (!pending) {
    pending = (async () => {
      // Number(): PostgreSQL's count is a bigint, which comes back through drizzle as a string.
      const count = Number((await first<{ n: number }>(db, sql`SELECT count(*) AS n FROM pin_vec`))?.n ?? 0);
      const center = await centreOf(db, count);
      if (pg) return buildPinIndexPg(db, count, center);
      // A synchronous caller (pinIndexNow) may have built it meanwhile.
      return indexes.get(db) ?? buildPinIndex(db, count, center);
    })().finally(() => building.delete(db));
    building.set(db, pending);
  }
  return pending;
}

/**
 * pinIndex for the callers that cannot await yet (the feed's vector sources, until their conversion).
 * pg: not used there (see readVectorsNow).
 */
export function pinIndexNow(db: Db): SignBitIndex {
  if (dialectOf(db) === "pg") throw new Error("pinIndexNow is SQLite's: on PostgreSQL await pinIndex");
  const index = indexes.get(db);
  if (index) {
    follow(db);
    return index;
  }
  const count = db.all<{ n: number }>(sql`SELECT count(*) AS n FROM pin_vec`)[0]?.n ?? 0;
  const table = sql.raw(count >= CENTRE_MIN_CARDS ? "pin_vec" : "interest_vec");
  return buildPinIndex(db, count, centreFrom(db.all<{ embedding: Buffer }>(sql`SELECT embedding FROM ${table} LIMIT ${CENTRE_SAMPLE}`)));
}

const newPinIndex = (count: number, center: Float32Array | undefined) =>
  new SignBitIndex(512, {
    keepVectors: count <= RESIDENT_FLOATS_MAX,
    keepInt8: count > RESIDENT_FLOATS_MAX,
    initialCapacity: count + 1024,
    center,
  });

function buildPinIndex(db: Db, count: number, center: Float32Array | undefined): SignBitIndex {
  // The cursor first: a change committed while the table is read is applied again later (harmless).
  cursor(db);
  follow(db, 0);
  const index = newPinIndex(count, center);
  // Streamed row by row: a million vectors read at once would be 2 GB of buffers, and vec0 cannot
  // page by key range (a range is a full scan each time).
  // (PostgreSQL: buildPinIndexPg, in pages of `pin_id > $1 ORDER BY pin_id LIMIT n`.)
  const stmt = db.$client.prepare("SELECT pin_id AS id, embedding FROM pin_vec");
  for (const r of stmt.iterate() as Iterable<{ id: number; embedding: Buffer }>) index.add(Number(r.id), toF32(r.embedding));
  indexes.set(db, index);
  return index;
}
/** Vectors per page when PostgreSQL's pin_vec is read into the index (2 MB of float32 a page). */
const PG_PAGE = 1000;

/**
 * PostgreSQL: the same index, read from the bytea table page by page in key order. Every card the
 * index keeps is resident (floats or int8), so search never re-reads vectors synchronously. Changes
 * made by other nodes while or after it is read reach it through refreshPinVectors (the follower's).
 */
async function buildPinIndexPg(db: Db, count: number, center: Float32Array | undefined): Promise<SignBitIndex> {
  // The follower's starting row first: a change committed while the table is read is applied after (harmless).
  await startFollowing(db);
  const index = newPinIndex(count, center);
  const q = pgQueryable(db);
  for (let after = 0; ;) {
    const page = await readVectorPagePg(q, "pin_vec", after, PG_PAGE);
    for (const r of page) index.add(r.id, r.vec);
    if (page.length < PG_PAGE) break;
    after = page[page.length - 1]!.id;
  }
  indexes.set(db, index);
  return index;
}

/**
 * Puts in the index what pin_vec holds now for these cards (a vector added, changed or gone): the
 * `pin_vec` topic's work on either engine, awaitable, for PostgreSQL's follower (followChanges).
 */
export async function refreshPinVectors(db: Db, ids: Iterable<number>): Promise<void> {
  const index = indexes.get(db);
  if (!index) return; // built from the table on first use
  const wanted = [...ids];
  const now = await readVectors(db, "pin_vec", wanted);
  for (const id of wanted) {
    const v = now.get(id);
    if (v) index.add(id, v);
    else index.remove(id);
  }
}

export function hasPinIndex(db: Db): boolean {
  return indexes.has(db);
}

// A card's vector changed (or went): read what pin_vec holds now and put that in the index.
subscribe("pin_vec", {
  apply(db, { ids }) {
    // PostgreSQL reads asynchronously: a follower that awaits apply (changes/feed) gets the promise.
    if (dialectOf(db) === "pg") return refreshPinVectors(db, ids);
    const index = indexes.get(db);
    if (!index) return; // built from the table on first use
    const now = readVectorsNow(db, "pin_vec", [...ids]);
    for (const id of ids) {
      const v = now.get(id);
      if (v) index.add(id, v);
      else index.remove(id);
    }
  },
  reset(db) {
    indexes.delete(db);
  },
});
