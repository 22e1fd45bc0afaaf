import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as sqliteVec from "sqlite-vec";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** Beside this file when run from source; from the project root when bundled into build/server. */
function migrationsFolder(): string {
  const beside = resolve(dirname(fileURLToPath(import.meta.url)), "migrations");
  return existsSync(beside) ? beside : resolve(process.cwd(), "db/migrations");
}

/**
 * Opens (creating if needed) the SQLite file, loads sqlite-vec into the same connection and applies
 * pending migrations. drizzle-kit's own migrate cannot do this: its connection lacks sqlite-vec.
 */
export function openDb(file: string): Db {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  // 32 MB of page cache instead of SQLite's 2 MB: a search reads FTS5 doclists, the interest index
  // and card rows; with a large corpus those pages otherwise come back through the OS on every query.
  sqlite.pragma("cache_size = -32768");
  sqliteVec.load(sqlite);
  const db = drizzle(sqlite, { schema }) as Db;
  migrate(db, { migrationsFolder: migrationsFolder() });
  return db;
}

/** A transaction handle; query helpers that run inside or outside a transaction take `Db | Tx`. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
