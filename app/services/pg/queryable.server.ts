/**
 * The node-postgres `query(text, params)` shape the adapters in this folder take, over any drizzle
 * handle: the pool's database, the read replica's, or a transaction's (which has no `$client` of its
 * own, so its statements must go through drizzle to land on the transaction's connection). The text's
 * `$n` placeholders become drizzle parameters; each value stays one parameter (an id list bound to
 * `= ANY($1::int[])` is one array, not a list drizzle would spread).
 */
import { sql, type SQL } from "drizzle-orm";
import type pg from "pg";
import type { Db } from "../db.server";

export type Queryable = Pick<pg.Pool, "query">;
type PgExec = { execute(q: SQL): Promise<{ rows: unknown[]; rowCount: number | null }> };

export function pgQueryable(db: Db): Queryable {
  const query = async (text: string, params: unknown[] = []) => {
    const parts = text.split(/\$(\d+)/);
    const chunks = parts.map((part, i) => (i % 2 ? sql`${sql.param(params[Number(part) - 1])}` : sql.raw(part)));
    const r = await (db as unknown as PgExec).execute(sql.join(chunks, sql.raw("")));
    return { rows: r.rows, rowCount: r.rowCount };
  };
  return { query } as unknown as Queryable;
}
