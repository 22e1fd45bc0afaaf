/**
 * PinSage vectors searched in memory, for PostgreSQL (no sqlite-vec there, no pgvector here: decision
 * 0021). The store of record is pin_sage_vec (bytea, 0001_pg_extras); each node keeps every vector in
 * a SignBitIndex with its floats, so scores are exact cosines and, up to vectorCandidates() cards,
 * the search is exhaustive like sqlite-vec's. pin_sage_version (migration 0004) counts the statements
 * that changed the table: a search reads it (one row) and reloads the vectors when it moved, which is
 * rare (PinSage trains nightly; new cards are embedded in batches off the request path).
 */
import { sql } from "drizzle-orm";
import { SignBitIndex } from "../../models/ann/index";
import type { Db } from "./db.server";
import { first, rows } from "./data/raw.server";
import { primaryOf } from "./data/primary.server";
import { vectorCandidates } from "./vectors.server";

type Loaded = { version: number; index: SignBitIndex };
const loaded = new WeakMap<Db, Loaded>();
const loading = new WeakMap<Db, Promise<Loaded>>();

const toF32 = (b: Buffer) => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));

async function versionOf(db: Db): Promise<number> {
  return Number((await first<{ v: number | string }>(db, sql`SELECT version AS v FROM pin_sage_version WHERE id = 1`))?.v ?? 0);
}

async function load(db: Db, version: number): Promise<Loaded> {
  const got = await rows<{ id: number; embedding: Buffer }>(db, sql`SELECT pin_id AS id, embedding FROM pin_sage_vec`);
  const index = new SignBitIndex(512, { keepVectors: true, initialCapacity: got.length + 64 });
  for (const r of got) index.add(Number(r.id), toF32(r.embedding));
  return { version, index };
}

/** The index as of now: reloaded when another statement (of any node) changed pin_sage_vec. */
export async function sageIndex(reader: Db): Promise<SignBitIndex> {
  const db = primaryOf(reader); // one copy per node, whichever handle the page reads with
  const version = await versionOf(db);
  const have = loaded.get(db);
  if (have && have.version === version) return have.index;
  let pending = loading.get(db);
  if (!pending) {
    // The version is read before the rows: a write committed meanwhile makes the next search reload.
    pending = load(db, version)
      .then((l) => {
        const cur = loaded.get(db);
        if (!cur || cur.version <= l.version) loaded.set(db, l);
        return l;
      })
      .finally(() => loading.delete(db));
    loading.set(db, pending);
  }
  return (await pending).index;
}

/** The k nearest PinSage vectors, as sqlite-vec's `MATCH … AND k` gives them: cosine distance, nearest first. */
export async function sageNearest(db: Db, v: Float32Array, k: number): Promise<{ id: number; distance: number }[]> {
  const index = await sageIndex(db);
  return index.search(v, k, { candidates: Math.max(k, vectorCandidates(index.size)) }).map((h) => ({ id: h.id, distance: 1 - h.score }));
}
