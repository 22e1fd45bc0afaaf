import type { Db } from "../db.server";

export type Dialect = "sqlite" | "pg";

/**
 * Which engine a handle talks to. Services are written once against drizzle's query builder (typed
 * as the SQLite one, whose surface they restrict themselves to; see docs/decisions/0022-async-data-layer.md)
 * and branch on this only where the SQL itself differs.
 */
export function dialectOf(db: Db): Dialect {
  // better-sqlite3's Database has pragma(); node-postgres' Pool has none.
  // A PostgreSQL transaction handle has no $client at all.
  return typeof (db.$client as { pragma?: unknown } | undefined)?.pragma === "function" ? "sqlite" : "pg";
}
