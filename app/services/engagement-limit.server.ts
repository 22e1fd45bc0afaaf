import { RateLimiterRes, RateLimiterSQLite } from "rate-limiter-flexible";
import type { Db } from "./db.server";

/**
 * How many engagement events a source may send (POST /api/engagement), counted in SQLite so the limit
 * holds across restarts and worker processes (issue 12, finding 7). A source is an account ("u:…") or a
 * visitor's hashed address ("ip:…"); a visitor's cookie never gets a bucket of its own, since a script
 * can send a new one with every request. Everyone behind one address shares the visitors' bucket,
 * which is why it is larger. Engagement is best effort: events past the limit are dropped, never
 * waited for.
 *
 * NOTE for the merge: app/services/http/rate-limit.server.ts (another branch) builds the sign-in
 * limiters the same way; these two can share its factory.
 */
export const ENGAGEMENT_LIMITS = {
  account: { points: 120, duration: 60 },
  visitor: { points: 300, duration: 60 },
} as const;

type Limiters = { account: RateLimiterSQLite; visitor: RateLimiterSQLite };
const limiters = new WeakMap<Db, Limiters>();

function limitersFor(db: Db): Limiters {
  let l = limiters.get(db);
  if (!l) {
    // The table is created synchronously here (better-sqlite3), so it exists before the first call.
    db.$client.exec("CREATE TABLE IF NOT EXISTS rate_limit_engagement (key TEXT PRIMARY KEY, points INTEGER NOT NULL DEFAULT 0, expire INTEGER)");
    const make = (o: { points: number; duration: number }, prefix: string) =>
      new RateLimiterSQLite({ storeClient: db.$client, storeType: "better-sqlite3", tableName: "rate_limit_engagement", tableCreated: true, keyPrefix: prefix, ...o });
    l = { account: make(ENGAGEMENT_LIMITS.account, "eng-u"), visitor: make(ENGAGEMENT_LIMITS.visitor, "eng-v") };
    limiters.set(db, l);
  }
  return l;
}

/** Takes up to `n` points from the source's window; returns how many it got (0…n). Never waits. */
export async function takeEngagementPoints(db: Db, source: string, n: number, _now = Date.now()): Promise<number> {
  if (n <= 0) return 0;
  const visitor = !source.startsWith("u:");
  const limiter = visitor ? limitersFor(db).visitor : limitersFor(db).account;
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
export function resetEngagementLimits(db: Db) {
  db.$client.exec("CREATE TABLE IF NOT EXISTS rate_limit_engagement (key TEXT PRIMARY KEY, points INTEGER NOT NULL DEFAULT 0, expire INTEGER)");
  db.$client.exec("DELETE FROM rate_limit_engagement");
}
