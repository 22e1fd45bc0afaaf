import type pg from "pg";
import { openDb, type Db } from "../../db/client";
import { openPg } from "../../db/pg/client";
import { dialectOf } from "../../app/services/data/dialect.server";

/**
 * Another connection to the same database as `db`, as a restarted server or a second worker would
 * open: the same SQLite file, or a new pool to the same PostgreSQL database. Close it when done.
 */
export async function reconnect(db: Db): Promise<{ again: Db; close: () => Promise<void> }> {
  if (dialectOf(db) === "pg") {
    const url = (db.$client as unknown as pg.Pool).options.connectionString!;
    const h = await openPg(url, { max: 2, migrate: false });
    return { again: h.primary as unknown as Db, close: () => h.close() };
  }
  const again = openDb(db.$client.name);
  return {
    again,
    close: async () => {
      again.$client.close();
    },
  };
}
