import type { CardStats } from "../../../models/rank/features";
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db.server";
import { rows as raw } from "../data/raw.server";

/** An id list as bound parameters (both engines; at most RANK_AT_MOST ids here, far under SQLite's limit). */
const idList = (ids: readonly number[]): SQL =>
  ids.length
    ? sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )
    : sql`NULL`;

const DAY = 86_400_000;
/** A creator counts as new for this long after their first card (the feed's exploration rule uses the same span). */
const NEW_CREATOR_DAYS = 30;

/**
 * What the engagement log and the catalogue know about each card, for the ranking features: counts of
 * each action, saves by other people, age, whether its creator is new, how full its boards are and
 * whether its picture has alt text. Three indexed queries for any number of cards.
 */
export async function cardStats(db: Db, ids: readonly number[], now = Date.now()): Promise<Map<number, CardStats>> {
  const out = new Map<number, CardStats>();
  if (!ids.length) return out;
  const list = idList([...new Set(ids)]);
  // Numbers: PostgreSQL returns count(*) and bigint columns as strings; the 0/1 CASE is for its booleans.
  const rows = (
    await raw<{ id: number; lang: string; createdAt: number | string; alt: number | string; creator: number; boards: number | string }>(
      db,
      sql`SELECT p.id AS "id", p.lang AS "lang", p.created_at AS "createdAt",
                 CASE WHEN length(trim(p.alt)) > 0 THEN 1 ELSE 0 END AS "alt", p.creator_id AS "creator",
                 (SELECT count(*) FROM board_pin bp WHERE bp.pin_id = p.id) AS "boards"
          FROM pin p WHERE p.id IN (${list})`,
    )
  ).map((r) => ({ ...r, createdAt: Number(r.createdAt), alt: Number(r.alt), boards: Number(r.boards) }));
  // Each creator's first card and each board's size once, not once per card.
  const creators = [...new Set(rows.map((r) => r.creator))];
  const firstCard = new Map(
    (
      await raw<{ c: number; t: number | string }>(
        db,
        sql`SELECT creator_id AS "c", min(created_at) AS "t" FROM pin WHERE creator_id IN (${idList(creators)}) GROUP BY creator_id`,
      )
    ).map((r) => [r.c, Number(r.t)]),
  );
  const fullest = new Map(
    (
      await raw<{ pin: number; n: number | string }>(
        db,
        sql`WITH mine AS (SELECT bp.pin_id AS pin, bp.board_id AS board FROM board_pin bp WHERE bp.pin_id IN (${list})),
                 sizes AS (SELECT board_id AS board, count(*) AS n FROM board_pin WHERE board_id IN (SELECT DISTINCT board FROM mine) GROUP BY board_id)
            SELECT mine.pin AS "pin", max(sizes.n) AS "n" FROM mine JOIN sizes ON sizes.board = mine.board GROUP BY mine.pin`,
      )
    ).map((r) => [r.pin, Number(r.n)]),
  );
  for (const r of rows) {
    out.set(r.id, {
      lang: r.lang,
      impressions: 0,
      clicks: 0,
      closeups: 0,
      saves: 0,
      hides: 0,
      boardSaves: Math.max(0, r.boards - 1),
      ageDays: (now - r.createdAt) / DAY,
      creatorNew: now - (firstCard.get(r.creator) ?? r.createdAt) < NEW_CREATOR_DAYS * DAY,
      boardCards: fullest.get(r.id) ?? 0,
      altPresent: r.alt === 1,
    });
  }
  // Counted once per source and day (engagement_count), like popularity: one client repeating an
  // action thousands of times must not make a card look engaging to the ranker (issue 12, finding 7).
  const counts = await raw<{ id: number; action: string; n: number | string }>(
    db,
    sql`SELECT pin_id AS "id", action AS "action", count(*) AS "n" FROM engagement_count WHERE pin_id IN (${list}) GROUP BY pin_id, action`,
  );
  for (const row of counts) {
    const s = out.get(row.id);
    if (!s) continue;
    const c = { action: row.action, n: Number(row.n) };
    if (c.action === "impression") s.impressions += c.n;
    else if (c.action === "click") s.clicks += c.n;
    else if (c.action === "closeup" || c.action === "readaloud" || c.action === "practice") s.closeups += c.n;
    else if (c.action === "save") s.saves += c.n;
    else if (c.action === "hide") s.hides += c.n;
  }
  // A click, close-up or save is also a sighting: without the page's impression (no JavaScript, the
  // card opened from a link) the rates would pass 1.
  for (const s of out.values()) s.impressions = Math.max(s.impressions, s.clicks, s.closeups + s.saves);
  return out;
}
