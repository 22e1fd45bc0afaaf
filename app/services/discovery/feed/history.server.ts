import { and, eq, inArray } from "drizzle-orm";
import { engagements, interests, pins, userInterests, type Locale } from "../../../../db/schema";
import { pinListedCondition } from "../../access/visibility.server";
import type { Db } from "../../db.server";
import type { Who } from "../../engagement.server";
import { SIGNAL_ACTIONS, type SignalAction } from "./types.server";

/**
 * Stage 1 of the feed: what we know about the person. A person's history is what they did with cards
 * in the last 90 days (close-ups, clicks, read-aloud, practice, saves; and every card they saved to
 * their boards), turned into seeds (their strongest cards), plus what they hid, what they own and the
 * interests they picked. Read-only: engagement is committed when it is recorded, so a hide or save
 * sent a moment ago already counts.
 */

const DAY = 86_400_000;
const HISTORY_DAYS = 90;
/** Recency decay per day, as PinnerSage weighs cluster members (DESIGN: λ ≈ 0.01). */
const LAMBDA = 0.01;
const ACTION_WEIGHT: Record<SignalAction, number> = { save: 4, practice: 3, readaloud: 2, closeup: 2, click: 1 };

export type Signal = { pinId: number; action: SignalAction; at: Date };
export type Seed = { pinId: number; weight: number; action: SignalAction; at: number };

/** Their meaningful events of the last 90 days, and cards they saved to their boards (not their own). */
export function userSignals(db: Db, userId: number, now = Date.now()): Signal[] {
  const since = now - HISTORY_DAYS * DAY;
  const events = db.$client
    .prepare(
      `SELECT pin_id AS pinId, action, created_at AS at FROM engagement
       WHERE user_id = ? AND created_at >= ? AND action IN ('click','closeup','save','readaloud','practice')
       ORDER BY created_at DESC LIMIT 2000`,
    )
    .all(userId, since) as { pinId: number; action: SignalAction; at: number }[];
  const saves = db.$client
    .prepare(
      `SELECT bp.pin_id AS pinId, bp.saved_at AS at FROM board_pin bp JOIN board b ON b.id = bp.board_id JOIN pin p ON p.id = bp.pin_id
       WHERE b.owner_id = ? AND bp.saved_by = ? AND p.creator_id <> ? AND bp.saved_at >= ?
       ORDER BY bp.saved_at DESC LIMIT 1000`,
    )
    .all(userId, userId, userId, since) as { pinId: number; at: number }[];
  return [
    ...events.map((e) => ({ pinId: e.pinId, action: e.action, at: new Date(e.at) })),
    ...saves.map((s) => ({ pinId: s.pinId, action: "save" as const, at: new Date(s.at) })),
  ];
}

/** Cards ranked by how much they say about the person: each kind of action counts once, decayed by age. */
export function seedsOf(signals: Signal[], now = Date.now()): Seed[] {
  const per = new Map<number, Map<SignalAction, number>>();
  for (const s of signals) {
    const m = per.get(s.pinId) ?? new Map<SignalAction, number>();
    m.set(s.action, Math.max(m.get(s.action) ?? 0, s.at.getTime()));
    per.set(s.pinId, m);
  }
  const seeds: Seed[] = [];
  for (const [pinId, m] of per) {
    let weight = 0;
    let best: SignalAction = "click";
    let at = 0;
    for (const [action, t] of m) {
      weight += ACTION_WEIGHT[action] * Math.exp((-LAMBDA * Math.max(0, now - t)) / DAY);
      if (ACTION_WEIGHT[action] > ACTION_WEIGHT[best]) best = action;
      at = Math.max(at, t);
    }
    seeds.push({ pinId, weight, action: best, at });
  }
  return seeds.sort((a, b) => b.weight - a.weight || b.at - a.at || a.pinId - b.pinId);
}

/** Cards this person (account) or this browser (visitor) hid. */
export function hiddenPins(db: Db, who: Who): number[] {
  const rows =
    who.userId !== null
      ? db.$client.prepare("SELECT DISTINCT pin_id AS id FROM engagement WHERE user_id = ? AND action = 'hide'").all(who.userId)
      : db.$client
          .prepare("SELECT DISTINCT pin_id AS id FROM engagement WHERE user_id IS NULL AND session_key = ? AND action = 'hide'")
          .all(who.sessionKey);
  return (rows as { id: number }[]).map((r) => r.id);
}

/** Cards on the person's own boards, and cards they made: no point recommending them. */
export function ownedPins(db: Db, userId: number): Set<number> {
  const rows = db.$client
    .prepare(
      "SELECT bp.pin_id AS id FROM board_pin bp JOIN board b ON b.id = bp.board_id WHERE b.owner_id = ? UNION SELECT id FROM pin WHERE creator_id = ?",
    )
    .all(userId, userId) as { id: number }[];
  return new Set(rows.map((r) => r.id));
}

/** The interests a person picked (accounts). */
export function pickedInterests(db: Db, userId: number): string[] {
  return db
    .select({ slug: interests.slug })
    .from(userInterests)
    .innerJoin(interests, eq(interests.id, userInterests.interestId))
    .where(eq(userInterests.userId, userId))
    .all()
    .map((r) => r.slug);
}

/** Interests of the person's strongest cards, strongest first. */
export function interestsOfSeeds(db: Db, seeds: Seed[], n: number): string[] {
  if (!seeds.length) return [];
  const weight = new Map(seeds.map((s) => [s.pinId, s.weight]));
  const rows = db.$client
    .prepare(
      "SELECT pi.pin_id AS pinId, i.slug AS slug, pi.score AS score FROM pin_interest pi JOIN interest i ON i.id = pi.interest_id WHERE pi.pin_id IN (SELECT value FROM json_each(?)) AND pi.score >= 0.25",
    )
    .all(JSON.stringify(seeds.map((s) => s.pinId))) as { pinId: number; slug: string; score: number }[];
  const total = new Map<string, number>();
  for (const r of rows) total.set(r.slug, (total.get(r.slug) ?? 0) + r.score * (weight.get(r.pinId) ?? 0));
  return [...total]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n)
    .map(([slug]) => slug);
}

/** Titles for "because you saved …": only of cards the person can still see (a card made private since is not named). */
export function titlesOf(db: Db, ids: number[], userId: number | null): Map<number, { title: string; lang: Locale }> {
  if (!ids.length) return new Map();
  const rows = db
    .select({ id: pins.id, title: pins.title, lang: pins.lang })
    .from(pins)
    .where(and(inArray(pins.id, ids), pinListedCondition(userId === null ? null : { id: userId })))
    .all();
  return new Map(rows.map((r) => [r.id, { title: r.title, lang: r.lang }]));
}

/** Whether this person has any history the feed can use (for tests and the page's wording). */
export function hasHistory(db: Db, userId: number): boolean {
  const e = db
    .select({ id: engagements.id })
    .from(engagements)
    .where(and(eq(engagements.userId, userId), inArray(engagements.action, [...SIGNAL_ACTIONS])))
    .limit(1)
    .get();
  return !!e || userSignals(db, userId).length > 0;
}
