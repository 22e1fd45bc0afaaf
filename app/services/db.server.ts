import { openDb, type Db } from "../../db/client";
import { tablesEngine } from "../../db/tables";
import { openPgFromEnv, type PgHandle } from "../../db/pg/client";
import { dbFile } from "../../db/paths";
import { stopFollowing } from "./changes/feed.server";
import { registerReplica } from "./data/primary.server";

/**
 * The process's database. SQLite (the default): one connection, opened on first use. PostgreSQL
 * (DATABASE_URL=postgres://…, docs/decisions/0021-postgresql.md): pools opened once by
 * `openDatabase()` at start-up (it migrates, which is asynchronous), before any request. The handle
 * lives on globalThis: remix's dev server reloads modules, and the server build and scripts/serve-main.ts
 * each have their own copy of this module but must share one connection.
 */
const g = globalThis as unknown as { __tableroDb?: Db; __tableroPg?: PgHandle };

export function getDb(): Db {
  if (g.__tableroDb) return g.__tableroDb;
  if (tablesEngine === "pg") throw new Error("PostgreSQL is not open yet: the server must await openDatabase() before serving");
  g.__tableroDb = openDb(dbFile());
  return g.__tableroDb;
}

/**
 * Where read-only work may go: the streaming replica (DATABASE_REPLICA_URL) on PostgreSQL, else the
 * same handle as getDb(). A replica lags its primary by a moment, so only reads that need not see the
 * reader's own last write belong here: which requests those are is decided in one place,
 * read-routing.server.ts. The handle itself sends a query to the primary while the replica is down or
 * lags more than the limit (db/pg/replica.ts).
 */
export function getReadDb(): Db {
  return g.__tableroPg ? (g.__tableroPg.reader as unknown as Db) : getDb();
}

/** Opens (and migrates) the database named by the environment; idempotent. */
export async function openDatabase(): Promise<Db> {
  if (g.__tableroDb) return g.__tableroDb;
  if (tablesEngine === "pg") {
    const h = await openPgFromEnv();
    g.__tableroPg = h;
    g.__tableroDb = h.primary as unknown as Db;
    registerReplica(h.reader as unknown as Db, g.__tableroDb);
    return g.__tableroDb;
  }
  return getDb();
}

/** Closes what openDatabase()/getDb() opened (SQLite's close checkpoints the WAL). */
export async function closeDatabase(): Promise<void> {
  const db = g.__tableroDb;
  const pg = g.__tableroPg;
  g.__tableroDb = undefined;
  g.__tableroPg = undefined;
  if (pg) {
    // The change feed's LISTEN connection is not the pool's: left open, it would keep a script alive.
    if (db) await stopFollowing(db);
    return pg.close();
  }
  const client = db?.$client as { open?: boolean; close?: () => void } | undefined;
  if (client?.open) client.close?.();
}

export type { Db };
