/**
 * Raw SQL on either engine, always awaited. Use drizzle's query builder first; these are for the SQL
 * the builder cannot say (FTS, CTEs, aggregates over json lists). Write the `sql` template once when
 * both engines accept it, or branch on `dialectOf(db)` when they do not.
 */
import type { SQL } from "drizzle-orm";
import type { Db } from "../db.server";
import { dialectOf } from "./dialect.server";

type PgExec = { execute(q: SQL): Promise<{ rows: unknown[]; rowCount: number | null }> };

/** Every row the statement returns. */
export async function rows<T>(db: Db, q: SQL): Promise<T[]> {
  if (dialectOf(db) === "pg") return (await (db as unknown as PgExec).execute(q)).rows as T[];
  return db.all<T>(q);
}

/** The first row, or undefined. (Steps the statement to its end, like writtenRow: see verified-write.) */
export async function first<T>(db: Db, q: SQL): Promise<T | undefined> {
  return (await rows<T>(db, q))[0];
}

/** Runs a statement; how many rows it changed. */
export async function exec(db: Db, q: SQL): Promise<number> {
  if (dialectOf(db) === "pg") return (await (db as unknown as PgExec).execute(q)).rowCount ?? 0;
  return db.run(q).changes;
}

/** Rows changed by an awaited drizzle insert/update/delete without RETURNING, on either engine. */
export function changed(result: unknown): number {
  const r = result as { changes?: number; rowCount?: number | null };
  return r.changes ?? r.rowCount ?? 0;
}
