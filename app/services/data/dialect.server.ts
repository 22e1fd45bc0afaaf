import { is } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Db } from "../db.server";

export type Dialect = "sqlite" | "pg";

/**
 * Which engine a handle talks to. Services are written once against drizzle's query builder (typed
 * as the SQLite one, whose surface they restrict themselves to; see docs/decisions/0022-async-data-layer.md)
 * and branch on this only where the SQL itself differs.
 */
export function dialectOf(db: Db): Dialect {
  // By drizzle's own dialect object, which a transaction handle has too (a PostgreSQL transaction has
  // no $client to look at).
  return is((db as unknown as { dialect: unknown }).dialect, PgDialect) ? "pg" : "sqlite";
}
