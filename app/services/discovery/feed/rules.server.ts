import { and, eq, inArray } from "drizzle-orm";
import { pins, users, type Locale } from "../../../../db/tables";
import { cosine } from "../../../../models/embed/index";
import { pinListedCondition } from "../../access/visibility.server";
import type { Db } from "../../db.server";
import { readVectors } from "../../vectors.server";
import type { Cand, CandidateSource, FeedCard, Placed } from "./types.server";

/**
 * Stage 4 of the feed: the surface's own rules, applied around the ranking stage (rank.server).
 *   - hidePenalty / applyPenalty: cards close to ones the person hid are pushed down, or dropped;
 *   - pinInfo: which candidates may be recommended to this viewer at all, and how each card looks;
 *   - blend: interleaves the (ranked) sources by weight, giving every NEW_CREATOR_EVERY-th slot to a
 *     new creator's card (the exploration slot);
 *   - blendByLanguage: the person's languages first, one card per picture, nothing excluded;
 *   - finish: the placed candidates as the cards the page shows, each with its source and reason.
 */

/**
 * Exploration for new creators: one slot in every NEW_CREATOR_EVERY (the 4th, 12th, 20th, …) goes to a
 * card from a new creator (sources.server NEW_CREATOR_DAYS, NEW_CREATOR_ENGAGED), so their cards can
 * earn engagement, and never more than that share. If no such card is left the slot goes to the other sources.
 */
export const NEW_CREATOR_EVERY = 8;
const EXPLORE_SLOT = 3; // 0-based: the 4th card of every eight
/** A candidate this close (cosine) to a hidden card is dropped; from HIDE_FROM up it is pushed down. */
const HIDE_DROP = 0.85;
const HIDE_FROM = 0.35;

// ── The hide penalty ────────────────────────────────────────────────────────────────────────────

/** Pushes down (and past HIDE_DROP, drops) candidates close to cards the person hid: a factor in 0..1 per card. */
export async function hidePenalty(db: Db, hidden: number[], candidateIds: number[]): Promise<(id: number) => number> {
  if (!hidden.length) return () => 1;
  const hv = [...(await readVectors(db, "pin_vec", hidden.slice(0, 200))).values()];
  if (!hv.length) return () => 1;
  const cv = await readVectors(db, "pin_vec", [...new Set(candidateIds)]);
  const factor = new Map<number, number>();
  for (const [id, v] of cv) {
    let sim = -1;
    for (const h of hv) sim = Math.max(sim, cosine(v, h));
    factor.set(id, sim >= HIDE_DROP ? 0 : sim <= HIDE_FROM ? 1 : 1 - (sim - HIDE_FROM) / (HIDE_DROP - HIDE_FROM));
  }
  return (id) => factor.get(id) ?? 1;
}

export function applyPenalty(sources: CandidateSource[], factor: (id: number) => number): CandidateSource[] {
  return sources.map((s) => ({
    ...s,
    items: s.items
      .map((c, i) => ({ c, f: factor(c.pinId), i }))
      .filter((x) => x.f > 0)
      // Keep each source's own order, but let a penalised card sink below the ones after it.
      .sort((a, b) => a.i / a.f - b.i / b.f)
      .map((x) => x.c),
  }));
}

// ── Which cards may be shown, and how they look ─────────────────────────────────────────────────

export type PinInfo = { id: number; title: string; lang: Locale; alt: string; imageKey: string; creatorId: number; creatorName: string };

/** The cards among these that may be recommended to this viewer, with what the page shows of them. */
export async function pinInfo(db: Db, ids: number[], userId: number | null): Promise<Map<number, PinInfo>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows = await db
    .select({
      id: pins.id,
      title: pins.title,
      lang: pins.lang,
      alt: pins.alt,
      imageKey: pins.imageKey,
      creatorId: pins.creatorId,
      creatorName: users.displayName,
    })
    .from(pins)
    .innerJoin(users, eq(users.id, pins.creatorId))
    .where(and(inArray(pins.id, unique), pinListedCondition(userId === null ? null : { id: userId })));
  return new Map(rows.map((r) => [r.id, r]));
}

// ── Blending ────────────────────────────────────────────────────────────────────────────────────

/**
 * Interleaves sources by smooth weighted round-robin (each source gets turns in proportion to its
 * weight, spread out), skipping cards already placed or not allowed. Every NEW_CREATOR_EVERY-th slot
 * (4th, 12th, …) is offered to the new-creator source first; it takes no other slots.
 */
export function blend(sources: CandidateSource[], explore: Cand[], accept: (c: Cand) => boolean, limit: number): Placed[] {
  const out: Placed[] = [];
  const used = new Set<number>();
  const live = sources.filter((s) => s.weight > 0 && s.items.length).map((s) => ({ ...s, at: 0, current: 0 }));
  let exploreAt = 0;
  const take = (items: Cand[], from: number): [Cand | null, number] => {
    let i = from;
    while (i < items.length) {
      const c = items[i++]!;
      if (!used.has(c.pinId) && accept(c)) return [c, i];
    }
    return [null, i];
  };
  while (out.length < limit) {
    if (out.length % NEW_CREATOR_EVERY === EXPLORE_SLOT && exploreAt < explore.length) {
      const [c, next] = take(explore, exploreAt);
      exploreAt = next;
      if (c) {
        used.add(c.pinId);
        out.push({ ...c, source: "newCreator" });
        continue;
      }
    }
    const open = live.filter((s) => s.at < s.items.length);
    if (!open.length) break;
    const total = open.reduce((n, s) => n + s.weight, 0);
    for (const s of open) s.current += s.weight;
    const best = open.reduce((a, b) => (b.current > a.current ? b : a));
    best.current -= total;
    const [c, next] = take(best.items, best.at);
    best.at = next;
    if (c) {
      used.add(c.pinId);
      out.push({ ...c, source: c.from ?? best.name });
    }
  }
  return out;
}

/** Blends with the person's languages first; other languages only fill what is left. */
export function blendByLanguage(
  sources: CandidateSource[],
  explore: Cand[],
  info: Map<number, PinInfo>,
  excluded: Set<number>,
  langs: Locale[],
  limit: number,
): Placed[] {
  // One card per picture: the starter library has each picture in English and in Spanish, and a
  // reader of both should not get "apple" and "manzana" side by side. (accept is asked only of the
  // card about to be placed, so it can note the picture.)
  const pictures = new Set<string>();
  const ok = (c: Cand) => {
    const i = info.get(c.pinId);
    if (!i || excluded.has(c.pinId) || pictures.has(i.imageKey)) return false;
    pictures.add(i.imageKey);
    return true;
  };
  const first = blend(sources, explore, (c) => langs.includes(info.get(c.pinId)?.lang as Locale) && ok(c), limit);
  if (first.length >= limit) return first;
  const taken = new Set(first.map((c) => c.pinId));
  const rest = blend(sources, explore, (c) => !taken.has(c.pinId) && ok(c), limit - first.length);
  return [...first, ...rest];
}

/** The placed candidates as the page's cards. */
export function finish(picked: Placed[], info: Map<number, PinInfo>): FeedCard[] {
  return picked.map((c) => {
    const i = info.get(c.pinId)!;
    return {
      id: i.id,
      title: i.title,
      lang: i.lang,
      alt: i.alt,
      imageKey: i.imageKey,
      creatorId: i.creatorId,
      creatorName: i.creatorName,
      source: c.source,
      reason: c.reason,
    };
  });
}
