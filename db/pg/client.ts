/**
 * PostgreSQL connection for the (future) async data layer: drizzle over node-postgres pools, with the
 * PG migrations applied once per database whatever the number of nodes starting together.
 */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { ReplicaPool, replicaLimitsFromEnv, type ReplicaHealth, type ReplicaLimits } from "./replica";

/**
 * int8 (bigint) comes back from node-postgres as a string by default, to keep every digit. Ours are
 * ids, counters and epoch milliseconds, far below 2^53: numbers, as better-sqlite3 gives them.
 */
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.INT8
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};
// The pool's `types` alone is not enough: drizzle's node-postgres queries (builder and db.execute alike)
// pass their own per-query `types`, which fall back to pg's GLOBAL parsers, so count(*), max() of a
// bigint (epoch-ms) column, etc. still came back as strings through drizzle. Set the global one too.
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));

export type PgDb = NodePgDatabase & { $client: pg.Pool };

export type PgHandle = {
  /** Writes, and reads that must see them. */
  primary: PgDb;
  /**
   * Read-only requests: the streaming replica when one is configured (a ReplicaPool, which sends each
   * query to the primary while the replica is down or lags; replica.ts), else the primary itself.
   */
  reader: PgDb;
  primaryPool: pg.Pool;
  readerPool: pg.Pool;
  /** Ends both pools after their queries finish; safe to call twice. */
  close(): Promise<void>;
};

export type OpenPgOptions = {
  replicaUrl?: string;
  max?: number;
  migrate?: boolean;
  /** When the replica may be used (replica.ts); the defaults, or the environment's overrides. */
  replicaLimits?: ReplicaLimits;
  onReplicaChange?: (usable: boolean, health: ReplicaHealth) => void;
};

/** Beside this file when run from source; from the project root when bundled. */
export function pgMigrationsFolder(): string {
  const beside = resolve(dirname(fileURLToPath(import.meta.url)), "migrations");
  return existsSync(beside) ? beside : resolve(process.cwd(), "db/pg/migrations");
}

/** An arbitrary constant: the key of the session-level advisory lock that serialises migrating. */
const MIGRATION_LOCK = 0x7461626c; // "tabl"

/** allowExitOnIdle: a script or test that is done ends even if it forgot to close the pool. */
const poolConfig = (url: string, max: number): pg.PoolConfig => ({ connectionString: url, max, types, allowExitOnIdle: true });

export function makePool(url: string, max = 10): pg.Pool {
  const pool = new pg.Pool(poolConfig(url, max));
  // An idle client whose server went away emits "error" on the pool; unhandled, it would end the process.
  pool.on("error", () => {});
  return pool;
}

/**
 * Applies the PG migrations under an advisory lock: two nodes starting at once would otherwise both
 * find migration N missing and both run it. The second waits, then finds nothing left to do.
 */
export async function migratePg(pool: pg.Pool, folder = pgMigrationsFolder()): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      // Both the lock and the migrations on this one connection: drizzle over a single client.
      await migrate(drizzle(client), { migrationsFolder: folder });
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}

export async function openPg(url: string, o: OpenPgOptions = {}): Promise<PgHandle> {
  const primaryPool = makePool(url, o.max);
  const limits = o.replicaLimits ?? replicaLimitsFromEnv();
  const readerPool = o.replicaUrl
    ? new ReplicaPool(
        { ...poolConfig(o.replicaUrl, o.max ?? 10), connectionTimeoutMillis: limits.connectTimeoutMs },
        { primary: primaryPool, limits, onChange: o.onReplicaChange },
      )
    : primaryPool;
  let closed: Promise<void> | null = null;
  const close = () =>
    (closed ??= (async () => {
      await primaryPool.end();
      if (readerPool !== primaryPool) await readerPool.end();
    })());
  try {
    if (o.migrate !== false) await migratePg(primaryPool);
  } catch (e) {
    await close();
    throw e;
  }
  const primary = drizzle(primaryPool) as PgDb;
  const reader = readerPool === primaryPool ? primary : (drizzle(readerPool) as PgDb);
  return { primary, reader, primaryPool, readerPool, close };
}

/** From the environment: DATABASE_URL (required here) and DATABASE_REPLICA_URL (optional). */
export function openPgFromEnv(env: Record<string, string | undefined> = process.env): Promise<PgHandle> {
  const url = env.DATABASE_URL;
  if (!url || !/^postgres(ql)?:\/\//.test(url)) throw new Error("DATABASE_URL must be a postgres:// URL to open PostgreSQL");
  return openPg(url, {
    replicaUrl: env.DATABASE_REPLICA_URL || undefined,
    replicaLimits: replicaLimitsFromEnv(env),
    // Said once per change, not per request: which database the reads go to is worth a line in the log.
    onReplicaChange: (usable, h) =>
      console.warn(usable ? "replica: reads go to the replica" : `replica: reads go to the primary (${h.why ?? `lag ${h.lagMs} ms`})`),
  });
}
