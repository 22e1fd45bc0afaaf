import type pg from "pg";
import { RateLimiterPostgres, RateLimiterRes, RateLimiterSQLite, type RateLimiterAbstract } from "rate-limiter-flexible";
import { dialectOf } from "../data/dialect.server";
import type { Db } from "../db.server";
import { primaryOf } from "../data/primary.server";

/**
 * Rate limits that survive a restart and are shared by every worker: stored in the app's SQLite file
 * (table `rate_limit`, migration 0012) through rate-limiter-flexible; on PostgreSQL the same table
 * (derived from db/schema.ts: key, points, expire, the order the library writes) through its
 * RateLimiterPostgres, so every node of a cluster counts the same attempts.
 */
export type LimitSpec = {
  /** Namespaces the keys of one limit inside the shared table. */
  keyPrefix: string;
  /** How many points (attempts) a key may use… */
  points: number;
  /** …per this many seconds. */
  durationS: number;
  /** Once over, the key stays refused this long (0: only until the window ends). */
  blockDurationS?: number;
};

export const RATE_LIMIT_TABLE = "rate_limit";

const cache = new WeakMap<Db, Map<string, RateLimiterAbstract>>();

export function rateLimiter(reader: Db, spec: LimitSpec): RateLimiterAbstract {
  const db = primaryOf(reader); // counting writes: never the replica
  let byPrefix = cache.get(db);
  if (!byPrefix) cache.set(db, (byPrefix = new Map()));
  let limiter = byPrefix.get(spec.keyPrefix);
  if (!limiter) {
    const common = {
      tableName: RATE_LIMIT_TABLE,
      // The migrations made it (on PostgreSQL the library's own CREATE TABLE would race between nodes).
      tableCreated: true,
      keyPrefix: spec.keyPrefix,
      points: spec.points,
      duration: spec.durationS,
      blockDuration: spec.blockDurationS ?? 0,
    };
    limiter =
      dialectOf(db) === "pg"
        ? // No sweeping timer on PostgreSQL: one per limiter would hit the database from every node;
          // expired rows are harmless (the upsert resets them) and retention deletes them.
          new RateLimiterPostgres({
            ...common,
            storeClient: db.$client as unknown as pg.Pool,
            storeType: "pool",
            clearExpiredByTimeout: false,
          })
        : new RateLimiterSQLite({ ...common, storeClient: db.$client, storeType: "better-sqlite3", clearExpiredByTimeout: true });
    byPrefix.set(spec.keyPrefix, limiter);
  }
  return limiter;
}

export type Take = { ok: true } | { ok: false; retryAfterS: number };

/** Takes `points` from `key`; refused when the key is over its limit (the library throws a RateLimiterRes). */
export async function take(db: Db, spec: LimitSpec, key: string, points = 1): Promise<Take> {
  try {
    await rateLimiter(db, spec).consume(key, points);
    return { ok: true };
  } catch (e) {
    if (e instanceof RateLimiterRes) return { ok: false, retryAfterS: Math.max(1, Math.ceil(e.msBeforeNext / 1000)) };
    throw e;
  }
}

/** Gives points back (an attempt that turned out fine, or one that never happened). */
export async function giveBack(db: Db, spec: LimitSpec, key: string, points = 1): Promise<void> {
  await rateLimiter(db, spec).reward(key, points);
}

export async function forget(db: Db, spec: LimitSpec, key: string): Promise<void> {
  await rateLimiter(db, spec).delete(key);
}
