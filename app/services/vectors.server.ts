import { SignBitIndex, meanVector } from "../../models/ann/index";
import type { Db } from "./db.server";
import { cursor, follow, subscribe } from "./changes/feed.server";

/** vec0 tables want integer keys as BigInt and vectors as Float32Array. */
export function upsertVector(db: Db, table: "pin_vec" | "board_vec" | "interest_vec", id: number, vec: Float32Array) {
  const key = table === "pin_vec" ? "pin_id" : table === "board_vec" ? "board_id" : "interest_id";
  db.$client.prepare(`DELETE FROM ${table} WHERE ${key} = ?`).run(BigInt(id));
  db.$client.prepare(`INSERT INTO ${table}(${key}, embedding) VALUES (?, ?)`).run(BigInt(id), vec);
}

export function deleteVector(db: Db, table: "pin_vec" | "board_vec", id: number) {
  const key = table === "pin_vec" ? "pin_id" : "board_id";
  db.$client.prepare(`DELETE FROM ${table} WHERE ${key} = ?`).run(BigInt(id));
}

const toF32 = (blob: Buffer) => new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));

export function readVectors(db: Db, table: "pin_vec" | "board_vec" | "interest_vec", ids?: number[]): Map<number, Float32Array> {
  const key = table === "pin_vec" ? "pin_id" : table === "board_vec" ? "board_id" : "interest_id";
  const out = new Map<number, Float32Array>();
  if (ids && ids.length === 0) return out;
  const rows = ids
    ? (db.$client
        .prepare(`SELECT ${key} AS id, embedding FROM ${table} WHERE ${key} IN (SELECT value FROM json_each(?))`)
        .all(JSON.stringify(ids)) as { id: number; embedding: Buffer }[])
    : (db.$client.prepare(`SELECT ${key} AS id, embedding FROM ${table}`).all() as { id: number; embedding: Buffer }[]);
  for (const r of rows) out.set(Number(r.id), toF32(r.embedding));
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
function centreOf(db: Db, cards: number): Float32Array | undefined {
  const table = cards >= CENTRE_MIN_CARDS ? "pin_vec" : "interest_vec";
  const rows = db.$client.prepare(`SELECT embedding FROM ${table} LIMIT ?`).all(CENTRE_SAMPLE) as { embedding: Buffer }[];
  if (!rows.length) return undefined;
  const sample = new Float32Array(rows.length * 512);
  rows.forEach((r, i) => sample.set(toF32(r.embedding), i * 512));
  return meanVector(sample, 512);
}

/**
 * The in-memory approximate index over card vectors, one per database connection, built from pin_vec
 * on first use and kept in step by the change feed (changes/feed.server.ts): writes by this process
 * and by other workers alike. sqlite-vec stays the store of record.
 */
const indexes = new WeakMap<Db, SignBitIndex>();
export function pinIndex(db: Db): SignBitIndex {
  let index = indexes.get(db);
  if (index) {
    follow(db);
    return index;
  }
  // The cursor first: a change committed while the table is read is applied again later (harmless).
  cursor(db);
  follow(db, 0);
  const count = (db.$client.prepare("SELECT count(*) AS n FROM pin_vec").get() as { n: number }).n;
  index = new SignBitIndex(512, {
    keepVectors: count <= RESIDENT_FLOATS_MAX,
    keepInt8: count > RESIDENT_FLOATS_MAX,
    initialCapacity: count + 1024,
    center: centreOf(db, count),
  });
  const stmt = db.$client.prepare("SELECT pin_id AS id, embedding FROM pin_vec");
  for (const r of stmt.iterate() as Iterable<{ id: number; embedding: Buffer }>) index.add(Number(r.id), toF32(r.embedding));
  indexes.set(db, index);
  return index;
}
export function hasPinIndex(db: Db): boolean {
  return indexes.has(db);
}

// A card's vector changed (or went): read what pin_vec holds now and put that in the index.
subscribe("pin_vec", {
  apply(db, { ids }) {
    const index = indexes.get(db);
    if (!index) return; // built from the table on first use
    const now = readVectors(db, "pin_vec", [...ids]);
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
