import { lt, sql } from "drizzle-orm";
import { engagementCounts, searchLog } from "../../db/tables";
import { DAY_MS, dayOf } from "./client-key.server";
import { changed, exec } from "./data/raw.server";
import { transaction } from "./data/transaction.server";
import type { Db } from "./db.server";
import { RATE_LIMIT_TABLE } from "./http/rate-limit.server";

/**
 * How long Tablero keeps what it does not need for ever (issue 12, privacy; the /privacy page says the
 * same): searches 90 days (enough for query expansion from co-occurring searches), the once-a-day
 * popularity counts 60 days (popularity reads 30). Pruned at start-up and then daily (startup.server.ts).
 */
export const SEARCH_LOG_DAYS = 90;
export const ENGAGEMENT_COUNT_DAYS = 60;

export async function pruneExpired(db: Db, now = Date.now()): Promise<{ searches: number; counts: number }> {
  const out = await transaction(db, async (tx) => ({
    searches: changed(await tx.delete(searchLog).where(lt(searchLog.createdAt, new Date(now - SEARCH_LOG_DAYS * DAY_MS)))),
    counts: changed(await tx.delete(engagementCounts).where(lt(engagementCounts.day, dayOf(now) - ENGAGEMENT_COUNT_DAYS))),
  }));
  // Spent rate-limit windows (engagement-limit.server.ts); visitors' keys change daily, so rows pile up.
  // (The limiter's own table, not in db/schema.ts: raw SQL both engines accept.)
  await exec(db, sql`DELETE FROM ${sql.identifier(RATE_LIMIT_TABLE)} WHERE expire < ${now - 3600_000}`);
  return out;
}
