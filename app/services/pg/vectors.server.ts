/**
 * Embeddings on PostgreSQL: bytea columns holding the very bytes sqlite-vec stores (512 little-endian
 * float32), so a vector moves between engines unchanged. No pgvector here: the nearest-neighbour
 * index stays in each node's memory, loaded with readVectorsPg and kept current by the change feed
 * (pin_vec writes are logged by trigger, topic `pin_vec`). Same shapes as vectors.server.ts.
 */
import type pg from "pg";

type Queryable = Pick<pg.Pool, "query">;
export type VectorTable = "pin_vec" | "board_vec" | "interest_vec" | "pin_sage_vec";

const KEY: Record<VectorTable, string> = { pin_vec: "pin_id", board_vec: "board_id", interest_vec: "interest_id", pin_sage_vec: "pin_id" };

const toBytes = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
/** A copy: node-postgres' Buffer may share (and be unaligned in) a larger allocation. */
const toF32 = (b: Buffer) => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));

export async function upsertVectorPg(db: Queryable, table: VectorTable, id: number, vec: Float32Array): Promise<void> {
  await db.query(
    `INSERT INTO ${table} (${KEY[table]}, embedding) VALUES ($1, $2) ON CONFLICT (${KEY[table]}) DO UPDATE SET embedding = excluded.embedding`,
    [id, toBytes(vec)],
  );
}

export async function deleteVectorPg(db: Queryable, table: VectorTable, id: number): Promise<void> {
  await db.query(`DELETE FROM ${table} WHERE ${KEY[table]} = $1`, [id]);
}

/**
 * One page of the table in key order, after the key `after`: an index of a million cards is built
 * page by page (all at once would be 2 GB of buffers), each page one range scan of the primary key.
 */
export async function readVectorPagePg(
  db: Queryable,
  table: VectorTable,
  after: number,
  limit: number,
): Promise<{ id: number; vec: Float32Array }[]> {
  const { rows } = await db.query<{ id: number; embedding: Buffer }>(
    `SELECT ${KEY[table]} AS id, embedding FROM ${table} WHERE ${KEY[table]} > $1 ORDER BY ${KEY[table]} LIMIT $2`,
    [after, limit],
  );
  return rows.map((r) => ({ id: r.id, vec: toF32(r.embedding) }));
}

/** Every vector of the table, or those of `ids`. */
export async function readVectorsPg(db: Queryable, table: VectorTable, ids?: number[]): Promise<Map<number, Float32Array>> {
  const { rows } = ids
    ? await db.query<{ id: number; embedding: Buffer }>(
        `SELECT ${KEY[table]} AS id, embedding FROM ${table} WHERE ${KEY[table]} = ANY($1::int[])`,
        [ids],
      )
    : await db.query<{ id: number; embedding: Buffer }>(`SELECT ${KEY[table]} AS id, embedding FROM ${table}`);
  return new Map(rows.map((r) => [r.id, toF32(r.embedding)]));
}
