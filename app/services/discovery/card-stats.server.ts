import type { CardStats } from "../../../models/rank/features";
import type { Db } from "../db.server";

const DAY = 86_400_000;
/** A creator counts as new for this long after their first card (the feed's exploration rule uses the same span). */
const NEW_CREATOR_DAYS = 30;

/**
 * What the engagement log and the catalogue know about each card, for the ranking features: counts of
 * each action, saves by other people, age, whether its creator is new, how full its boards are and
 * whether its picture has alt text. Three indexed queries for any number of cards.
 */
export function cardStats(db: Db, ids: readonly number[], now = Date.now()): Map<number, CardStats> {
  const out = new Map<number, CardStats>();
  if (!ids.length) return out;
  const json = JSON.stringify([...new Set(ids)]);
  const rows = db.$client
    .prepare(
      `SELECT p.id AS id, p.lang AS lang, p.created_at AS createdAt, length(trim(p.alt)) > 0 AS alt, p.creator_id AS creator,
              (SELECT count(*) FROM board_pin bp WHERE bp.pin_id = p.id) AS boards
       FROM pin p WHERE p.id IN (SELECT value FROM json_each(?))`,
    )
    .all(json) as { id: number; lang: string; createdAt: number; alt: number; creator: number; boards: number }[];
  // Each creator's first card and each board's size once, not once per card.
  const creators = JSON.stringify([...new Set(rows.map((r) => r.creator))]);
  const firstCard = new Map(
    (
      db.$client
        .prepare(
          "SELECT creator_id AS c, min(created_at) AS t FROM pin WHERE creator_id IN (SELECT value FROM json_each(?)) GROUP BY creator_id",
        )
        .all(creators) as { c: number; t: number }[]
    ).map((r) => [r.c, r.t]),
  );
  const fullest = new Map(
    (
      db.$client
        .prepare(
          `WITH mine AS (SELECT bp.pin_id AS pin, bp.board_id AS board FROM board_pin bp WHERE bp.pin_id IN (SELECT value FROM json_each(?))),
                sizes AS (SELECT board_id AS board, count(*) AS n FROM board_pin WHERE board_id IN (SELECT DISTINCT board FROM mine) GROUP BY board_id)
           SELECT mine.pin AS pin, max(sizes.n) AS n FROM mine JOIN sizes ON sizes.board = mine.board GROUP BY mine.pin`,
        )
        .all(json) as { pin: number; n: number }[]
    ).map((r) => [r.pin, r.n]),
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
  const counts = db.$client
    .prepare(
      `SELECT pin_id AS id, action, count(*) AS n FROM engagement_count WHERE pin_id IN (SELECT value FROM json_each(?)) GROUP BY pin_id, action`,
    )
    .all(json) as { id: number; action: string; n: number }[];
  for (const c of counts) {
    const s = out.get(c.id);
    if (!s) continue;
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
