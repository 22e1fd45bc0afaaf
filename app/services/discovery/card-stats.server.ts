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
      `SELECT p.id AS id, p.lang AS lang, p.created_at AS createdAt, length(trim(p.alt)) > 0 AS alt,
              (SELECT min(created_at) FROM pin c WHERE c.creator_id = p.creator_id) AS firstCard,
              (SELECT count(*) FROM board_pin bp WHERE bp.pin_id = p.id) AS boards,
              (SELECT max(n) FROM (SELECT count(*) AS n FROM board_pin bp2 WHERE bp2.board_id IN (SELECT board_id FROM board_pin WHERE pin_id = p.id) GROUP BY bp2.board_id)) AS boardCards
       FROM pin p WHERE p.id IN (SELECT value FROM json_each(?))`,
    )
    .all(json) as { id: number; lang: string; createdAt: number; alt: number; firstCard: number; boards: number; boardCards: number | null }[];
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
      creatorNew: now - r.firstCard < NEW_CREATOR_DAYS * DAY,
      boardCards: r.boardCards ?? 0,
      altPresent: r.alt === 1,
    });
  }
  const counts = db.$client
    .prepare(`SELECT pin_id AS id, action, count(*) AS n FROM engagement WHERE pin_id IN (SELECT value FROM json_each(?)) GROUP BY pin_id, action`)
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
