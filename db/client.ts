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
  cacheStatements(sqlite);
  const db = drizzle(sqlite, { schema }) as Db;
  migrate(db, { migrationsFolder: migrationsFolder() });
  return db;
}

/** How many prepared statements one connection keeps; dynamic SQL (`IN (?, ?, …)`) pushes out the oldest. */
export const STATEMENT_CACHE_SIZE = 400;

/**
 * Keeps this connection's prepared statements by SQL text. drizzle (and most services) call
 * `prepare` on every query, and compiling the SQL again each time was a visible share of a page's CPU
 * (issue 13). A statement holds no data and no lock between runs (better-sqlite3 resets it after each
 * one), so reusing it never serves stale rows. Nothing here turns on safeIntegers. Two things make a reused statement differ from a new
 * one, and both are handled here: its result mode (raw/pluck/expand, which callers such as drizzle set
 * and never unset) is put back to the default on every hand-out; and a statement still busy in an
 * `iterate()` is not handed out again: a fresh one is prepared instead.
 */
export function cacheStatements(sqlite: Database.Database, size = STATEMENT_CACHE_SIZE): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Database.Statement>();
  const cached = (source: string) => {
    const hit = cache.get(source);
    if (hit && !hit.busy) {
      // Most recently used last: Map keeps insertion order, so the first key is the oldest.
      cache.delete(source);
      cache.set(source, hit);
      if (hit.reader) hit.raw(false).pluck(false).expand(false);
      return hit;
    }
    const stmt = prepare(source);
    if (!hit) {
      cache.set(source, stmt);
      if (cache.size > size) cache.delete(cache.keys().next().value as string);
    }
    return stmt;
  };
  sqlite.prepare = cached as typeof sqlite.prepare;
}

/** A transaction handle; query helpers that run inside or outside a transaction take `Db | Tx`. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
