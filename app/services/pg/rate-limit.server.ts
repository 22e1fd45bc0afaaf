/**
 * Rate limits on PostgreSQL: rate-limiter-flexible's RateLimiterPostgres over the `rate_limit` table
 * (derived from db/schema.ts: key, points, expire — the columns, in the order, the library writes), so
 * every node of a cluster counts the same attempts. Same LimitSpec and results as the SQLite version
 * (app/services/http/rate-limit.server.ts); a dialect-neutral caller picks one or the other.
 */
import type pg from "pg";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import type { LimitSpec, Take } from "../http/rate-limit.server";

export const RATE_LIMIT_TABLE = "rate_limit";

const cache = new WeakMap<pg.Pool, Map<string, RateLimiterPostgres>>();

export function pgRateLimiter(pool: pg.Pool, spec: LimitSpec): RateLimiterPostgres {
  let byPrefix = cache.get(pool);
  if (!byPrefix) cache.set(pool, (byPrefix = new Map()));
  let limiter = byPrefix.get(spec.keyPrefix);
  if (!limiter) {
    limiter = new RateLimiterPostgres({
      storeClient: pool,
      storeType: "pool",
      tableName: RATE_LIMIT_TABLE,
      // The migrations made it; the library's own CREATE TABLE would race between nodes starting.
      tableCreated: true,
      keyPrefix: spec.keyPrefix,
      points: spec.points,
      duration: spec.durationS,
      blockDuration: spec.blockDurationS ?? 0,
      // A timer per limiter would keep a process alive and hit the database from every node; expired
      // rows are harmless (the upsert resets them) and can be swept by a job.
      clearExpiredByTimeout: false,
    });
    byPrefix.set(spec.keyPrefix, limiter);
  }
  return limiter;
}

export async function takePg(pool: pg.Pool, spec: LimitSpec, key: string, points = 1): Promise<Take> {
  try {
    await pgRateLimiter(pool, spec).consume(key, points);
    return { ok: true };
  } catch (e) {
    if (e instanceof RateLimiterRes) return { ok: false, retryAfterS: Math.max(1, Math.ceil(e.msBeforeNext / 1000)) };
    throw e;
  }
}

export async function giveBackPg(pool: pg.Pool, spec: LimitSpec, key: string, points = 1): Promise<void> {
  await pgRateLimiter(pool, spec).reward(key, points);
}

export async function forgetPg(pool: pg.Pool, spec: LimitSpec, key: string): Promise<void> {
  await pgRateLimiter(pool, spec).delete(key);
}
