import { RateLimiterRes } from "rate-limiter-flexible";
import { sql } from "drizzle-orm";
import { exec } from "./data/raw.server";
import type { Db } from "./db.server";
import { RATE_LIMIT_TABLE, rateLimiter } from "./http/rate-limit.server";

/**
 * How many engagement events a source may send (POST /api/engagement), counted in SQLite so the limit
 * holds across restarts and worker processes (issue 12, finding 7). A source is an account ("u:…") or a
 * visitor's hashed address ("ip:…"); a visitor's cookie never gets a bucket of its own, since a script
 * can send a new one with every request. Everyone behind one address shares the visitors' bucket,
 * which is why it is larger. Engagement is best effort: events past the limit are dropped, never
 * waited for.
 */
export const ENGAGEMENT_LIMITS = {
  account: { points: 120, duration: 60 },
  visitor: { points: 300, duration: 60 },
} as const;

const limiterFor = (db: Db, visitor: boolean) =>
  visitor
    ? rateLimiter(db, { keyPrefix: "eng-v", points: ENGAGEMENT_LIMITS.visitor.points, durationS: ENGAGEMENT_LIMITS.visitor.duration })
    : rateLimiter(db, { keyPrefix: "eng-u", points: ENGAGEMENT_LIMITS.account.points, durationS: ENGAGEMENT_LIMITS.account.duration });

/** Takes up to `n` points from the source's window; returns how many it got (0…n). Never waits. */
export async function takeEngagementPoints(db: Db, source: string, n: number, _now = Date.now()): Promise<number> {
  if (n <= 0) return 0;
  const visitor = !source.startsWith("u:");
  const limiter = limiterFor(db, visitor);
  const max = visitor ? ENGAGEMENT_LIMITS.visitor.points : ENGAGEMENT_LIMITS.account.points;
  let res: RateLimiterRes;
  try {
    res = await limiter.consume(source, n);
  } catch (e) {
    if (!(e instanceof RateLimiterRes)) throw e;
    res = e;
  }
  // consumedPoints counts this request too: what was left before it is max − (consumed − n).
  return Math.max(0, Math.min(n, max - (res.consumedPoints - n)));
}

/** Clears every engagement bucket (tests). */
export async function resetEngagementLimits(db: Db) {
  await exec(db, sql`DELETE FROM ${sql.identifier(RATE_LIMIT_TABLE)} WHERE key LIKE 'eng-%'`);
}
