import { lt } from "drizzle-orm";
import { engagementCounts, searchLog } from "../../db/schema";
import { DAY_MS, dayOf } from "./client-key.server";
import type { Db } from "./db.server";

/**
 * How long Tablero keeps what it does not need for ever (issue 12, privacy; the /privacy page says the
 * same): searches 90 days (enough for query expansion from co-occurring searches), the once-a-day
 * popularity counts 60 days (popularity reads 30). Pruned at start-up and then daily (startup.server.ts).
 */
export const SEARCH_LOG_DAYS = 90;
export const ENGAGEMENT_COUNT_DAYS = 60;

export function pruneExpired(db: Db, now = Date.now()): { searches: number; counts: number } {
  const out = db.transaction((tx) => ({
    searches: tx
      .delete(searchLog)
      .where(lt(searchLog.createdAt, new Date(now - SEARCH_LOG_DAYS * DAY_MS)))
      .run().changes,
    counts: tx
      .delete(engagementCounts)
      .where(lt(engagementCounts.day, dayOf(now) - ENGAGEMENT_COUNT_DAYS))
      .run().changes,
  }));
  // Spent rate-limit windows (engagement-limit.server.ts); visitors' keys change daily, so rows pile up.
  db.$client.prepare("DELETE FROM rate_limit WHERE expire < ?").run(now - 3600_000);
  return out;
}
