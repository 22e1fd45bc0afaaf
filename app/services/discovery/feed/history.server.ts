import { and, eq, inArray, sql } from "drizzle-orm";
import { engagements, interests, pins, userInterests, type Locale } from "../../../../db/tables";
import { pinListedCondition } from "../../access/visibility.server";
import type { Db } from "../../db.server";
import { rows as raw } from "../../data/raw.server";
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
export async function userSignals(db: Db, userId: number, now = Date.now()): Promise<Signal[]> {
  const since = now - HISTORY_DAYS * DAY;
  // Number(at): PostgreSQL returns the bigint epoch-ms columns as strings.
  const events = await raw<{ pinId: number; action: SignalAction; at: number | string }>(
    db,
    sql`SELECT pin_id AS "pinId", action AS "action", created_at AS "at" FROM engagement
        WHERE user_id = ${userId} AND created_at >= ${since} AND action IN ('click','closeup','save','readaloud','practice')
        ORDER BY created_at DESC LIMIT 2000`,
  );
  const saves = await raw<{ pinId: number; at: number | string }>(
    db,
    sql`SELECT bp.pin_id AS "pinId", bp.saved_at AS "at" FROM board_pin bp JOIN board b ON b.id = bp.board_id JOIN pin p ON p.id = bp.pin_id
        WHERE b.owner_id = ${userId} AND bp.saved_by = ${userId} AND p.creator_id <> ${userId} AND bp.saved_at >= ${since}
        ORDER BY bp.saved_at DESC LIMIT 1000`,
  );
  return [
    ...events.map((e) => ({ pinId: e.pinId, action: e.action, at: new Date(Number(e.at)) })),
    ...saves.map((s) => ({ pinId: s.pinId, action: "save" as const, at: new Date(Number(s.at)) })),
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
export async function hiddenPins(db: Db, who: Who): Promise<number[]> {
  const rows = await raw<{ id: number }>(
    db,
    who.userId !== null
      ? sql`SELECT DISTINCT pin_id AS "id" FROM engagement WHERE user_id = ${who.userId} AND action = 'hide'`
      : sql`SELECT DISTINCT pin_id AS "id" FROM engagement WHERE user_id IS NULL AND session_key = ${who.sessionKey} AND action = 'hide'`,
  );
  return rows.map((r) => r.id);
}

/** Cards on the person's own boards, and cards they made: no point recommending them. */
export async function ownedPins(db: Db, userId: number): Promise<Set<number>> {
  const rows = await raw<{ id: number }>(
    db,
    sql`SELECT bp.pin_id AS "id" FROM board_pin bp JOIN board b ON b.id = bp.board_id WHERE b.owner_id = ${userId} UNION SELECT id FROM pin WHERE creator_id = ${userId}`,
  );
  return new Set(rows.map((r) => r.id));
}

/** The interests a person picked (accounts). */
export async function pickedInterests(db: Db, userId: number): Promise<string[]> {
  return (
    await db
      .select({ slug: interests.slug })
      .from(userInterests)
      .innerJoin(interests, eq(interests.id, userInterests.interestId))
      .where(eq(userInterests.userId, userId))
  ).map((r) => r.slug);
}

/** Interests of the person's strongest cards, strongest first. */
export async function interestsOfSeeds(db: Db, seeds: Seed[], n: number): Promise<string[]> {
  if (!seeds.length) return [];
  const weight = new Map(seeds.map((s) => [s.pinId, s.weight]));
  const ids = sql.join(
    seeds.map((s) => sql`${s.pinId}`),
    sql`, `,
  );
  const rows = await raw<{ pinId: number; slug: string; score: number }>(
    db,
    sql`SELECT pi.pin_id AS "pinId", i.slug AS "slug", pi.score AS "score" FROM pin_interest pi JOIN interest i ON i.id = pi.interest_id
        WHERE pi.pin_id IN (${ids}) AND pi.score >= 0.25`,
  );
  const total = new Map<string, number>();
  for (const r of rows) total.set(r.slug, (total.get(r.slug) ?? 0) + r.score * (weight.get(r.pinId) ?? 0));
  return [...total]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n)
    .map(([slug]) => slug);
}

/** Titles for "because you saved …": only of cards the person can still see (a card made private since is not named). */
export async function titlesOf(db: Db, ids: number[], userId: number | null): Promise<Map<number, { title: string; lang: Locale }>> {
  if (!ids.length) return new Map();
  const rows = await db
    .select({ id: pins.id, title: pins.title, lang: pins.lang })
    .from(pins)
    .where(and(inArray(pins.id, ids), pinListedCondition(userId === null ? null : { id: userId })));
  return new Map(rows.map((r) => [r.id, { title: r.title, lang: r.lang }]));
}

/** Whether this person has any history the feed can use (for tests and the page's wording). */
export async function hasHistory(db: Db, userId: number): Promise<boolean> {
  const [e] = await db
    .select({ id: engagements.id })
    .from(engagements)
    .where(and(eq(engagements.userId, userId), inArray(engagements.action, [...SIGNAL_ACTIONS])))
    .limit(1);
  return !!e || (await userSignals(db, userId)).length > 0;
}
