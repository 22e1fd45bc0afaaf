/**
 * "column is one of these ids" for raw SQL, with the whole list as ONE bound parameter on either engine
 * (lists of thousands of ids would otherwise be thousands of parameters): SQLite reads a JSON array
 * with json_each, PostgreSQL takes an int[] (`= ANY`). drizzle's `${array}` would expand a JS array
 * into `($1, $2, …)`, hence sql.param, which binds the array itself (node-postgres sends it as '{…}').
 */
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db.server";
import { dialectOf } from "./dialect.server";

export function inIds(db: Db, column: SQL, ids: readonly number[]): SQL {
  return dialectOf(db) === "pg"
    ? sql`${column} = ANY(${sql.param([...ids])}::int[])`
    : sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`;
}
