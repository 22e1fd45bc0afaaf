import { and, eq, inArray } from "drizzle-orm";
import { boards, engagements, interests, pins, userInterests, users, type Locale } from "../../db/schema";
import { summaryColumns, type BoardSummary } from "./boards.server";
import { cosine } from "../../models/embed/index";
import { recommendableCondition, visibleCondition } from "./cards.server";
import type { Db } from "./db.server";
import { flushEngagement, setClusterRecompute, type Who } from "./engagement.server";
import { pixieForUser, relatedByPixie } from "./graph.server";
import { pinnerSageCandidates, recomputeUserClusters } from "./pinnersage.server";
import { sageNeighbours } from "./pinsage.server";
import { pinIndex, readVectors } from "./vectors.server";
import { FEATURE_NAMES, type RankSurface, type SourceName } from "../../models/rank/features";
import { FUSION_RANKER, logServed, newRequestId, rankCandidates } from "./discovery/ranking.server";

/**
 * The home feed ("For you") and "More like this".
 *
 * A person's history is what they did with cards in the last 90 days (close-ups, clicks, read-aloud,
 * practice, saves; and every card they saved to their boards). With a history, the feed blends
 * several candidate sources, each card keeping the reason it was picked:
 *   - PinnerSage (their clusters' medoids' neighbours, clusters recomputed after engagement);
 *   - Pixie (random walks on the card–board graph from their recent cards);
 *   - content neighbours (nearest card vectors of their strongest recent cards);
 *   - cards kept on the same boards as their recent cards (the graph without walks);
 *   - the best cards of their interests (the ones they picked, and those of their cards);
 *   - popular cards, and new creators' cards (a bounded exploration share, see NEW_CREATOR_EVERY).
 * Without a history (visitors, new accounts) it is the best cards of the interests they picked, or
 * popular cards when they picked none. Cards they hid or already saved never show, and cards close to
 * ones they hid are pushed down (HIDE_*). Any failing source is skipped: the feed never errors.
 */

const DAY = 86_400_000;
const HISTORY_DAYS = 90;
/** Recency decay per day, as PinnerSage weighs cluster members (DESIGN: λ ≈ 0.01). */
const LAMBDA = 0.01;
const SIGNAL_ACTIONS = ["click", "closeup", "save", "readaloud", "practice"] as const;
type SignalAction = (typeof SIGNAL_ACTIONS)[number];
const ACTION_WEIGHT: Record<SignalAction, number> = { save: 4, practice: 3, readaloud: 2, closeup: 2, click: 1 };

export const FEED_SIZE = 24;
/**
 * Exploration for new creators: one slot in every NEW_CREATOR_EVERY (the 4th, 12th, 20th, …) goes to a
 * card from a new creator, so their cards can earn engagement, and never more than that share. A
 * creator is new while their account is younger than NEW_CREATOR_DAYS days or fewer than
 * NEW_CREATOR_ENGAGED of their cards have been engaged with (clicked, opened, saved, …) by others.
 * If no such card is left the slot goes to the other sources.
 */
export const NEW_CREATOR_EVERY = 8;
const EXPLORE_SLOT = 3; // 0-based: the 4th card of every eight
export const NEW_CREATOR_DAYS = 30;
export const NEW_CREATOR_ENGAGED = 10;
/** A candidate this close (cosine) to a hidden card is dropped; from HIDE_FROM up it is pushed down. */
const HIDE_DROP = 0.85;
const HIDE_FROM = 0.35;

export type Signal = { pinId: number; action: SignalAction; at: Date };

export type FeedReason =
  | { kind: "because"; action: SignalAction; pinId: number; title: string; lang: Locale }
  | { kind: "savedWith"; pinId: number; title: string; lang: Locale }
  | { kind: "boardsLikeYours" }
  | { kind: "interest"; slug: string; label: string }
  | { kind: "newCreator"; name: string }
  | { kind: "popular" };

export type FeedSource = "pinnersage" | "pixie" | "vector" | "cosaved" | "interest" | "popular" | "newCreator" | "pinsage";

export type FeedCard = {
  id: number;
  title: string;
  lang: Locale;
  alt: string;
  imageKey: string;
  creatorId: number;
  creatorName: string;
  source: FeedSource;
  reason: FeedReason;
};

export type HomeFeed = {
  /** "personal": built from their history; "interests": from the interests they picked; "popular": neither. */
  mode: "personal" | "interests" | "popular";
  cards: FeedCard[];
  /** The served list's id (engagement on its cards carries it). */
  requestId?: string | null;
};

/** `from`: the source a ranked card came from, when the learned ranker merged every source into one list. */
type Cand = { pinId: number; score: number; reason: FeedReason; from?: FeedSource };
type Source = { name: FeedSource; weight: number; items: Cand[] };

// ── What we know about the person ───────────────────────────────────────────────────────────────

/** Their meaningful events of the last 90 days, and cards they saved to their boards (not their own). */
export function userSignals(db: Db, userId: number, now = Date.now()): Signal[] {
  flushEngagement(db);
  const since = now - HISTORY_DAYS * DAY;
  const events = db.$client
    .prepare(
      `SELECT pin_id AS pinId, action, created_at AS at FROM engagement
       WHERE user_id = ? AND created_at >= ? AND action IN ('click','closeup','save','readaloud','practice')
       ORDER BY created_at DESC LIMIT 2000`
    )
    .all(userId, since) as { pinId: number; action: SignalAction; at: number }[];
  const saves = db.$client
    .prepare(
      `SELECT bp.pin_id AS pinId, bp.saved_at AS at FROM board_pin bp JOIN board b ON b.id = bp.board_id JOIN pin p ON p.id = bp.pin_id
       WHERE b.owner_id = ? AND bp.saved_by = ? AND p.creator_id <> ? AND bp.saved_at >= ?
       ORDER BY bp.saved_at DESC LIMIT 1000`
    )
    .all(userId, userId, userId, since) as { pinId: number; at: number }[];
  return [...events.map((e) => ({ pinId: e.pinId, action: e.action, at: new Date(e.at) })), ...saves.map((s) => ({ pinId: s.pinId, action: "save" as const, at: new Date(s.at) }))];
}

type Seed = { pinId: number; weight: number; action: SignalAction; at: number };

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
  flushEngagement(db);
  const rows =
    who.userId !== null
      ? db.$client.prepare("SELECT DISTINCT pin_id AS id FROM engagement WHERE user_id = ? AND action = 'hide'").all(who.userId)
      : db.$client.prepare("SELECT DISTINCT pin_id AS id FROM engagement WHERE user_id IS NULL AND session_key = ? AND action = 'hide'").all(who.sessionKey);
  return (rows as { id: number }[]).map((r) => r.id);
}

/** Cards on the person's own boards, and cards they made: no point recommending them. */
function ownedPins(db: Db, userId: number): Set<number> {
  const rows = db.$client
    .prepare("SELECT bp.pin_id AS id FROM board_pin bp JOIN board b ON b.id = bp.board_id WHERE b.owner_id = ? UNION SELECT id FROM pin WHERE creator_id = ?")
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

/** Replaces the interests a person picked; unknown slugs are ignored. Returns the slugs kept. */
export function setPickedInterests(db: Db, userId: number, slugs: string[]): string[] {
  const known = knownSlugs(db, slugs);
  db.transaction((tx) => {
    tx.delete(userInterests).where(eq(userInterests.userId, userId)).run();
    if (known.length) {
      const ids = tx.select({ id: interests.id }).from(interests).where(inArray(interests.slug, known)).all();
      tx.insert(userInterests)
        .values(ids.map((r) => ({ userId, interestId: r.id })))
        .run();
    }
  });
  return known;
}

/** The slugs among these that name an interest, in order, without repeats (at most 40). */
export function knownSlugs(db: Db, slugs: string[]): string[] {
  const wanted = [...new Set(slugs.filter((s) => /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(s)))].slice(0, 40);
  if (!wanted.length) return [];
  const found = new Set(
    db
      .select({ slug: interests.slug })
      .from(interests)
      .where(inArray(interests.slug, wanted))
      .all()
      .map((r) => r.slug)
  );
  return wanted.filter((s) => found.has(s));
}

// ── Candidate sources ───────────────────────────────────────────────────────────────────────────

type PinInfo = { id: number; title: string; lang: Locale; alt: string; imageKey: string; creatorId: number; creatorName: string };

function pinInfo(db: Db, ids: number[], userId: number | null): Map<number, PinInfo> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows = db
    .select({ id: pins.id, title: pins.title, lang: pins.lang, alt: pins.alt, imageKey: pins.imageKey, creatorId: pins.creatorId, creatorName: users.displayName })
    .from(pins)
    .innerJoin(users, eq(users.id, pins.creatorId))
    .where(and(inArray(pins.id, unique), recommendableCondition(userId === null ? null : { id: userId })))
    .all();
  return new Map(rows.map((r) => [r.id, r]));
}

/** Titles for "because you saved …": only of cards the person can still see (a card made private since is not named). */
function titlesOf(db: Db, ids: number[], userId: number | null): Map<number, { title: string; lang: Locale }> {
  if (!ids.length) return new Map();
  const rows = db
    .select({ id: pins.id, title: pins.title, lang: pins.lang })
    .from(pins)
    .where(and(inArray(pins.id, ids), visibleCondition(userId === null ? null : { id: userId })))
    .all();
  return new Map(rows.map((r) => [r.id, { title: r.title, lang: r.lang }]));
}

/** Round-robin over several ranked lists, so each seed (or interest) gets its turn near the top. */
function roundRobin(lists: Cand[][]): Cand[] {
  const out: Cand[] = [];
  const seen = new Set<number>();
  for (let i = 0; lists.some((l) => i < l.length); i++) {
    for (const l of lists) {
      const c = l[i];
      if (c && !seen.has(c.pinId)) {
        seen.add(c.pinId);
        out.push(c);
      }
    }
  }
  return out;
}

/** Nearest cards by content vector to each seed card. */
function vectorNeighbours(db: Db, seedIds: number[], per: number): Map<number, { id: number; score: number }[]> {
  const out = new Map<number, { id: number; score: number }[]>();
  if (!seedIds.length) return out;
  const vecs = readVectors(db, "pin_vec", seedIds);
  if (!vecs.size) return out;
  const index = pinIndex(db);
  for (const id of seedIds) {
    const v = vecs.get(id);
    if (!v) continue;
    const hits = index.search(v, per + 1, { candidates: Math.max(200, per * 4), fetchVectors: (ids) => readVectors(db, "pin_vec", ids) });
    out.set(
      id,
      hits.filter((h) => h.id !== id)
    );
  }
  return out;
}

/** Cards kept on the same boards as this one (public boards, and the viewer's own), small boards counting more. */
function coSaved(db: Db, pinId: number, userId: number | null, limit: number): { id: number; score: number }[] {
  return db.$client
    .prepare(
      `SELECT o.pin_id AS id, sum(1.0 / (SELECT count(*) FROM board_pin c WHERE c.board_id = bp.board_id)) AS score
       FROM board_pin bp JOIN board b ON b.id = bp.board_id
       JOIN board_pin o ON o.board_id = bp.board_id AND o.pin_id <> bp.pin_id
       WHERE bp.pin_id = ? AND (b.visibility = 'public' OR b.owner_id = ?)
       GROUP BY o.pin_id ORDER BY score DESC, o.pin_id LIMIT ?`
    )
    .all(pinId, userId ?? -1, limit) as { id: number; score: number }[];
}

/**
 * The best cards of some interests (each with its subtree in the taxonomy), one ranked list per
 * interest: the card's interest score, lifted a little by how often it was saved.
 */
function interestLists(db: Db, slugs: string[], langs: Locale[], per: number, labelLang: Locale): Cand[][] {
  if (!slugs.length) return [];
  const rows = db.$client
    .prepare(
      `WITH RECURSIVE sub(id, slug, top) AS (
         SELECT id, slug, slug FROM interest WHERE slug IN (SELECT value FROM json_each(?))
         UNION ALL SELECT i.id, i.slug, sub.top FROM interest i JOIN sub ON i.parent_slug = sub.slug
       ),
       scored AS (
         SELECT sub.top AS top, pi.pin_id AS id, max(pi.score) AS s
         FROM pin_interest pi JOIN sub ON sub.id = pi.interest_id JOIN pin p ON p.id = pi.pin_id
         WHERE p.lang IN (SELECT value FROM json_each(?)) AND pi.score >= 0.25
         GROUP BY sub.top, pi.pin_id
       ),
       ranked AS (
         SELECT top, id, s * (1 + 0.3 * ln(1 + (SELECT count(*) FROM board_pin bp WHERE bp.pin_id = scored.id))) AS score,
                row_number() OVER (PARTITION BY top ORDER BY s * (1 + 0.3 * ln(1 + (SELECT count(*) FROM board_pin bp WHERE bp.pin_id = scored.id))) DESC, id) AS r
         FROM scored
       )
       SELECT top, id, score FROM ranked WHERE r <= ? ORDER BY top, r`
    )
    .all(JSON.stringify(slugs), JSON.stringify(langs), per) as { top: string; id: number; score: number }[];
  const labels = new Map(
    db
      .select({ slug: interests.slug, en: interests.labelEn, es: interests.labelEs })
      .from(interests)
      .where(inArray(interests.slug, slugs))
      .all()
      .map((r) => [r.slug, labelLang === "es" ? r.es : r.en])
  );
  const lists = new Map<string, Cand[]>();
  for (const r of rows) {
    const l = lists.get(r.top) ?? [];
    l.push({ pinId: r.id, score: r.score, reason: { kind: "interest", slug: r.top, label: labels.get(r.top) ?? r.top } });
    lists.set(r.top, l);
  }
  return slugs.map((s) => lists.get(s) ?? []).filter((l) => l.length);
}

/** Cards most often saved (board placements) and engaged with in the last 30 days. */
function popular(db: Db, langs: Locale[], limit: number, now = Date.now()): Cand[] {
  const rows = db.$client
    .prepare(
      `SELECT p.id AS id, (SELECT count(*) FROM board_pin bp WHERE bp.pin_id = p.id) + coalesce(e.n, 0) * 0.5 AS score
       FROM pin p LEFT JOIN (
         SELECT pin_id, count(*) AS n FROM engagement WHERE created_at >= ? AND action IN ('click','closeup','save','readaloud','practice') GROUP BY pin_id
       ) e ON e.pin_id = p.id
       WHERE p.lang IN (SELECT value FROM json_each(?))
       ORDER BY score DESC, p.id LIMIT ?`
    )
    .all(now - 30 * DAY, JSON.stringify(langs), limit) as { id: number; score: number }[];
  return rows.map((r) => ({ pinId: r.id, score: r.score, reason: { kind: "popular" } }));
}

const newCreatorCache = new WeakMap<Db, { at: number; lastUser: number; ids: Set<number> }>();

/**
 * Creators who count as new (see NEW_CREATOR_EVERY); cached for a minute, as it reads the whole log,
 * but a newly made account is seen at once.
 */
export function newCreators(db: Db, now = Date.now()): Set<number> {
  const lastUser = (db.$client.prepare("SELECT coalesce(max(id), 0) AS id FROM user").get() as { id: number }).id;
  const hit = newCreatorCache.get(db);
  if (hit && now - hit.at < 60_000 && hit.lastUser === lastUser) return hit.ids;
  const rows = db.$client
    .prepare(
      `WITH engaged AS (
         SELECT p.creator_id AS cid, count(DISTINCT e.pin_id) AS n FROM engagement e JOIN pin p ON p.id = e.pin_id
         WHERE e.action <> 'impression' AND (e.user_id IS NULL OR e.user_id <> p.creator_id) GROUP BY p.creator_id
       )
       SELECT u.id AS id FROM user u LEFT JOIN engaged ON engaged.cid = u.id
       WHERE (u.created_at >= ? OR coalesce(engaged.n, 0) < ?) AND EXISTS (SELECT 1 FROM pin WHERE creator_id = u.id)`
    )
    .all(now - NEW_CREATOR_DAYS * DAY, NEW_CREATOR_ENGAGED) as { id: number }[];
  const ids = new Set(rows.map((r) => r.id));
  newCreatorCache.set(db, { at: now, lastUser, ids });
  return ids;
}

/** New creators' newest cards, one creator at a time. */
function newCreatorCards(db: Db, langs: Locale[], exceptCreator: number | null, limit: number, now = Date.now()): Cand[] {
  const creators = [...newCreators(db, now)].filter((c) => c !== exceptCreator);
  if (!creators.length) return [];
  const rows = db.$client
    .prepare(
      `SELECT p.id AS id, p.creator_id AS cid, u.display_name AS name FROM pin p JOIN user u ON u.id = p.creator_id
       WHERE p.creator_id IN (SELECT value FROM json_each(?)) AND p.lang IN (SELECT value FROM json_each(?))
       ORDER BY p.created_at DESC, p.id DESC LIMIT ?`
    )
    .all(JSON.stringify(creators), JSON.stringify(langs), limit * 4) as { id: number; cid: number; name: string }[];
  const byCreator = new Map<number, Cand[]>();
  for (const r of rows) {
    const l = byCreator.get(r.cid) ?? [];
    l.push({ pinId: r.id, score: 1, reason: { kind: "newCreator", name: r.name } });
    byCreator.set(r.cid, l);
  }
  return roundRobin([...byCreator.values()]).slice(0, limit);
}

/** Interests of the person's strongest cards, strongest first. */
function interestsOfSeeds(db: Db, seeds: Seed[], n: number): string[] {
  if (!seeds.length) return [];
  const weight = new Map(seeds.map((s) => [s.pinId, s.weight]));
  const rows = db.$client
    .prepare(
      "SELECT pi.pin_id AS pinId, i.slug AS slug, pi.score AS score FROM pin_interest pi JOIN interest i ON i.id = pi.interest_id WHERE pi.pin_id IN (SELECT value FROM json_each(?)) AND pi.score >= 0.25"
    )
    .all(JSON.stringify(seeds.map((s) => s.pinId))) as { pinId: number; slug: string; score: number }[];
  const total = new Map<string, number>();
  for (const r of rows) total.set(r.slug, (total.get(r.slug) ?? 0) + r.score * (weight.get(r.pinId) ?? 0));
  return [...total]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n)
    .map(([slug]) => slug);
}

// A person's PinnerSage clusters are recomputed after their engagement, off the request path (see
// engagement.server's debounce); set here, where both services meet, to keep their imports one-way.
setClusterRecompute(recomputeUserClusters);

/** Runs a source; a failing one is logged and left out, so one broken stage never breaks the page. */
function attempt<T>(name: string, fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch (err) {
    console.error(`feed: ${name} failed`, err);
    return fallback;
  }
}

// ── Blending ────────────────────────────────────────────────────────────────────────────────────

/**
 * Interleaves sources by smooth weighted round-robin (each source gets turns in proportion to its
 * weight, spread out), skipping cards already placed or not allowed. Every NEW_CREATOR_EVERY-th slot
 * (4th, 12th, …) is offered to the new-creator source first; it takes no other slots.
 */
export function blend(sources: Source[], explore: Cand[], accept: (c: Cand) => boolean, limit: number): (Cand & { source: FeedSource })[] {
  const out: (Cand & { source: FeedSource })[] = [];
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

/** Pushes down (and past HIDE_DROP, drops) candidates close to cards the person hid. */
function hidePenalty(db: Db, hidden: number[], candidateIds: number[]): (id: number) => number {
  if (!hidden.length) return () => 1;
  const hv = [...readVectors(db, "pin_vec", hidden.slice(0, 200)).values()];
  if (!hv.length) return () => 1;
  const cv = readVectors(db, "pin_vec", [...new Set(candidateIds)]);
  const factor = new Map<number, number>();
  for (const [id, v] of cv) {
    let sim = -1;
    for (const h of hv) sim = Math.max(sim, cosine(v, h));
    factor.set(id, sim >= HIDE_DROP ? 0 : sim <= HIDE_FROM ? 1 : 1 - (sim - HIDE_FROM) / (HIDE_DROP - HIDE_FROM));
  }
  return (id) => factor.get(id) ?? 1;
}

function applyPenalty(sources: Source[], factor: (id: number) => number): Source[] {
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

function finish(db: Db, picked: (Cand & { source: FeedSource })[], info: Map<number, PinInfo>): FeedCard[] {
  return picked.map((c) => {
    const i = info.get(c.pinId)!;
    return { id: i.id, title: i.title, lang: i.lang, alt: i.alt, imageKey: i.imageKey, creatorId: i.creatorId, creatorName: i.creatorName, source: c.source, reason: c.reason };
  });
}

/** Blends with the person's languages first; other languages only fill what is left. */
function blendByLanguage(db: Db, sources: Source[], explore: Cand[], info: Map<number, PinInfo>, excluded: Set<number>, langs: Locale[], limit: number) {
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

// ── One ranking stage ───────────────────────────────────────────────────────────────────────────

/**
 * Every source's candidates through the shared ranking stage (discovery/ranking.server.ts): each card
 * with every source's score, in today's blend order (the fusion order). With a learned ranker in
 * service the sources become one list in the model's order (each card keeping the reason and source
 * it was found by, the hide penalty applied on top); without one they are returned as they were.
 * Either way the features of every candidate come back, so what is shown can be logged.
 */
function rankSources(db: Db, sources: Source[], surface: RankSurface, factor: (id: number) => number, now: number) {
  const byId = new Map<number, { scores: Partial<Record<SourceName, number>>; cand: Cand; weight: number }>();
  for (const src of sources) {
    for (const c of src.items) {
      const e = byId.get(c.pinId);
      if (!e) byId.set(c.pinId, { scores: { [src.name]: c.score }, cand: { ...c, from: src.name }, weight: src.weight });
      else {
        if (e.scores[src.name] === undefined) e.scores[src.name] = c.score;
        if (src.weight > e.weight) Object.assign(e, { cand: { ...c, from: src.name }, weight: src.weight });
      }
    }
  }
  const fusionOrder = blend(sources, [], () => true, byId.size);
  const cands = fusionOrder.map((c, i) => ({ id: c.pinId, scores: byId.get(c.pinId)!.scores, fused: fusionOrder.length - i }));
  const outcome = rankCandidates(db, cands, { surface, lang: null, tokens: 0, kind: null }, { now });
  const features = new Map(outcome.ranked.map((r) => [r.id, r]));
  if (outcome.ranker === FUSION_RANKER) return { sources, features, ranker: outcome.ranker };
  // The hide penalty (a factor in 0..1) pulls a card's value toward nothing.
  const adjusted = (v: number, f: number) => (v > 0 ? v * f : v / Math.max(f, 1e-6));
  const items = outcome.ranked
    .map((r) => ({ c: byId.get(r.id)!.cand, v: r.value, f: factor(r.id) }))
    .filter((x) => x.f > 0)
    .sort((a, b) => adjusted(b.v, b.f) - adjusted(a.v, a.f))
    .map((x) => x.c);
  return { sources: [{ name: items[0]?.from ?? ("popular" as FeedSource), weight: 1, items }], features, ranker: outcome.ranker };
}

/** Logs what a feed surface showed, with each card's features; new creators' slot is exploration (propensity 1: reserved by rule). */
function logShown(db: Db, who: Who, surface: RankSurface, picks: (Cand & { source: FeedSource })[], ranked: ReturnType<typeof rankSources>): string | null {
  if (!picks.length) return null;
  const requestId = newRequestId();
  const width = FEATURE_NAMES.length;
  logServed(
    db,
    { requestId, userId: who.userId, sessionKey: who.sessionKey },
    surface,
    null,
    ranked.ranker,
    picks.map((c) => {
      const r = ranked.features.get(c.pinId);
      return { id: c.pinId, value: r?.value ?? 0, features: r?.features ?? new Float64Array(width).fill(NaN) };
    }),
    picks.map((c) => (c.source === "newCreator" ? 1 : null)),
  );
  return requestId;
}

// ── The home feed ───────────────────────────────────────────────────────────────────────────────

export type FeedOptions = {
  /** The reader's language: cards in it come first. */
  locale: Locale;
  /** Interests picked (accounts: user_interest, read here when omitted; visitors: their cookie). */
  picked?: string[];
  limit?: number;
  now?: number;
  /** Log the served list (default true; tests and evaluation may turn it off). */
  log?: boolean;
};

export function homeFeed(db: Db, who: Who, o: FeedOptions): HomeFeed {
  const limit = o.limit ?? FEED_SIZE;
  const now = o.now ?? Date.now();
  const userId = who.userId;
  const picked = o.picked ?? (userId !== null ? pickedInterests(db, userId) : []);
  const signals = userId !== null ? userSignals(db, userId, now) : [];
  const seeds = seedsOf(signals, now);
  const hidden = hiddenPins(db, who);
  // With a history, cards already on their boards (or made by them) are not offered again. Without one
  // (e.g. a creator who only made cards), their own cards may show, so the feed is never left empty.
  const excluded = new Set<number>([...hidden, ...(userId !== null && seeds.length ? ownedPins(db, userId) : [])]);
  const langs: Locale[] = [o.locale];
  const sources: Source[] = [];
  const mode: HomeFeed["mode"] = seeds.length ? "personal" : picked.length ? "interests" : "popular";

  if (seeds.length) {
    const top = seeds.slice(0, 6);
    const titles = titlesOf(
      db,
      top.map((s) => s.pinId),
      userId
    );
    const seedReason = (pinId: number): FeedReason => {
      const s = seeds.find((x) => x.pinId === pinId);
      const t = titles.get(pinId) ?? titlesOf(db, [pinId], userId).get(pinId);
      return s && t ? { kind: "because", action: s.action, pinId, title: t.title, lang: t.lang } : { kind: "boardsLikeYours" };
    };
    // Cards they saved in the other language count for that language too.
    for (const s of top) {
      const l = titles.get(s.pinId)?.lang;
      if (l && !langs.includes(l)) langs.push(l);
    }
    // Medoids are sampled; a seed per person and day keeps the feed steady between reloads.
    const rows = attempt("pinnersage", () => pinnerSageCandidates(db, userId!, 60, userId! * 1000 + Math.floor(now / DAY)), []);
    if (rows.length) sources.push({ name: "pinnersage", weight: 3, items: rows.map((r) => ({ pinId: r.pinId, score: r.score, reason: seedReason(r.medoidPinId) })) });
    const pixieRows = attempt(
      "pixie",
      () =>
        pixieForUser(
          db,
          signals.map((s) => ({ pinId: s.pinId, action: s.action, at: s.at })),
          { limit: 80, lang: o.locale, now, exclude: [...excluded] }
        ),
      []
    );
    if (pixieRows.length) sources.push({ name: "pixie", weight: 3, items: pixieRows.map((r) => ({ pinId: r.pinId, score: r.score, reason: { kind: "boardsLikeYours" } })) });
    const near = attempt(
      "vector",
      () =>
        vectorNeighbours(
          db,
          top.map((s) => s.pinId),
          30
        ),
      new Map<number, { id: number; score: number }[]>()
    );
    sources.push({
      name: "vector",
      weight: 3,
      items: roundRobin(top.map((s) => (near.get(s.pinId) ?? []).map((h) => ({ pinId: h.id, score: h.score, reason: seedReason(s.pinId) })))),
    });
    const together = attempt(
      "cosaved",
      () =>
        top.map((s) =>
          coSaved(db, s.pinId, userId, 30).map((h) => ({
            pinId: h.id,
            score: h.score,
            reason: (titles.has(s.pinId)
              ? { kind: "savedWith", pinId: s.pinId, title: titles.get(s.pinId)!.title, lang: titles.get(s.pinId)!.lang }
              : { kind: "boardsLikeYours" }) as FeedReason,
          }))
        ),
      []
    );
    sources.push({ name: "cosaved", weight: pixieRows.length ? 1 : 2, items: roundRobin(together) });
    const theirs = [...new Set([...picked, ...interestsOfSeeds(db, top, 3)])];
    sources.push({ name: "interest", weight: 2, items: roundRobin(attempt("interest", () => interestLists(db, theirs, langs, 30, o.locale), [])) });
    sources.push({ name: "popular", weight: 1, items: attempt("popular", () => popular(db, langs, 100, now), []) });
  } else if (picked.length) {
    sources.push({ name: "interest", weight: 4, items: roundRobin(attempt("interest", () => interestLists(db, picked, langs, 40, o.locale), [])) });
    sources.push({ name: "popular", weight: 1, items: attempt("popular", () => popular(db, langs, 100, now), []) });
  } else {
    sources.push({ name: "popular", weight: 1, items: attempt("popular", () => popular(db, langs, 200, now), []) });
  }
  const explore = attempt("newCreator", () => newCreatorCards(db, langs, userId, 20, now), []);

  const allIds = [...sources.flatMap((s) => s.items.map((c) => c.pinId)), ...explore.map((c) => c.pinId)];
  const factor = attempt(
    "hide",
    () => hidePenalty(db, hidden, allIds),
    () => 1
  );
  const info = pinInfo(db, allIds, userId);
  const ranked = rankSources(db, applyPenalty(sources, factor), "home", factor, now);
  const picks = blendByLanguage(
    db,
    ranked.sources,
    explore.filter((c) => factor(c.pinId) > 0),
    info,
    excluded,
    langs,
    limit
  );
  const requestId = o.log === false ? null : attempt("log", () => logShown(db, who, "home", picks, ranked), null);
  return { mode, cards: finish(db, picks, info), requestId };
}

// ── More like this ──────────────────────────────────────────────────────────────────────────────

export type RelatedCard = Omit<FeedCard, "reason">;
export type Related = { cards: RelatedCard[]; requestId: string | null };
/** Related cards carry no reason of their own (the section's heading says it). */
const SIMILAR: FeedReason = { kind: "boardsLikeYours" };

/** Cards like this one: Pixie's walks, PinSage's neighbours when present, content neighbours and cards saved with it. */
export function relatedCards(db: Db, pinId: number, who: Who, limit = 12): RelatedCard[] {
  return relatedList(db, pinId, who, limit).cards;
}

/** More like this, with the served list's id (logged with every card's features). */
export function relatedList(db: Db, pinId: number, who: Who, limit = 12, o: { log?: boolean } = {}): Related {
  const own = db.select({ lang: pins.lang, title: pins.title }).from(pins).where(eq(pins.id, pinId)).get();
  if (!own) return { cards: [], requestId: null };
  const hidden = attempt("hidden", () => hiddenPins(db, who), []);
  const excluded = new Set([pinId, ...hidden]);
  const sources: Source[] = [];
  const pixieRows = attempt("pixie", () => relatedByPixie(db, pinId, { limit: 60, lang: own.lang, exclude: [...excluded] }), []);
  if (pixieRows.length) sources.push({ name: "pixie", weight: 3, items: pixieRows.map((r) => ({ pinId: r.pinId, score: r.score, reason: SIMILAR })) });
  const sage = attempt("pinsage", () => sageNeighbours(db, pinId, 60), []);
  if (sage.length) sources.push({ name: "pinsage", weight: 2, items: sage.map((r) => ({ pinId: r.pinId, score: r.score, reason: SIMILAR })) });
  const near = attempt("vector", () => vectorNeighbours(db, [pinId], 60).get(pinId) ?? [], []);
  sources.push({ name: "vector", weight: 2, items: near.map((h) => ({ pinId: h.id, score: h.score, reason: SIMILAR })) });
  const together = attempt("cosaved", () => coSaved(db, pinId, who.userId, 60), []);
  sources.push({ name: "cosaved", weight: pixieRows.length ? 1 : 3, items: together.map((h) => ({ pinId: h.id, score: h.score, reason: SIMILAR })) });

  const allIds = sources.flatMap((s) => s.items.map((c) => c.pinId));
  const factor = attempt(
    "hide",
    () => hidePenalty(db, hidden, allIds),
    () => 1
  );
  const info = pinInfo(db, allIds, who.userId);
  const ranked = rankSources(db, applyPenalty(sources, factor), "related", factor, Date.now());
  const picks = blendByLanguage(db, ranked.sources, [], info, excluded, [own.lang], limit);
  const requestId = o.log === false ? null : attempt("log", () => logShown(db, who, "related", picks, ranked), null);
  return { cards: finish(db, picks, info).map(({ reason: _r, ...c }) => c), requestId };
}

// ── Interest picker ─────────────────────────────────────────────────────────────────────────────

export type PickerOption = { slug: string; label: string; parent: string | null; cards: number; coverKey: string | null };

const pickerCache = new WeakMap<Db, Map<Locale, { at: number; options: PickerOption[] }>>();

/**
 * The taxonomy's first two levels that have public cards in this language, each with how many and
 * the picture of its best card; roots first, in taxonomy order. Cached for five minutes.
 */
export function pickerOptions(db: Db, locale: Locale, now = Date.now()): PickerOption[] {
  const perDb = pickerCache.get(db) ?? new Map();
  pickerCache.set(db, perDb);
  const hit = perDb.get(locale);
  if (hit && now - hit.at < 5 * 60_000) return hit.options;
  const rows = db.$client
    .prepare(
      `WITH RECURSIVE sub(id, slug, top) AS (
         SELECT id, slug, slug FROM interest WHERE depth <= 2
         UNION ALL SELECT i.id, i.slug, sub.top FROM interest i JOIN sub ON i.parent_slug = sub.slug
       ),
       cards AS (
         SELECT sub.top AS top, pi.pin_id AS pin, max(pi.score) AS s FROM pin_interest pi JOIN sub ON sub.id = pi.interest_id
         JOIN pin p ON p.id = pi.pin_id
         WHERE pi.score >= 0.25 AND p.lang = ?
           AND EXISTS (SELECT 1 FROM board_pin bp JOIN board b ON b.id = bp.board_id WHERE bp.pin_id = p.id AND b.visibility = 'public')
         GROUP BY sub.top, pi.pin_id
       ),
       best AS (SELECT top, pin, row_number() OVER (PARTITION BY top ORDER BY s DESC, pin) AS r, count(*) OVER (PARTITION BY top) AS n FROM cards)
       SELECT i.id AS id, i.slug AS slug, i.parent_slug AS parent, i.depth AS depth, i.label_en AS en, i.label_es AS es, best.n AS n, p.image_key AS cover
       FROM best JOIN interest i ON i.slug = best.top JOIN pin p ON p.id = best.pin
       WHERE best.r = 1 ORDER BY i.id`
    )
    .all(locale) as { id: number; slug: string; parent: string | null; depth: number; en: string; es: string; n: number; cover: string }[];
  // Roots must come first even where a root was stored after its children: keep taxonomy order per level.
  const options = [...rows.filter((r) => r.depth === 1), ...rows.filter((r) => r.depth === 2)].map((r) => ({
    slug: r.slug,
    label: locale === "es" ? r.es : r.en,
    parent: r.parent,
    cards: r.n,
    coverKey: r.cover,
  }));
  perDb.set(locale, { at: now, options });
  return options;
}

/** Best public boards about some interests (for the home page's "Boards for you"). */
export function boardsForInterests(db: Db, slugs: string[], langs: Locale[], limit = 6): number[] {
  if (!slugs.length) return [];
  const rows = db.$client
    .prepare(
      `WITH RECURSIVE sub(id, slug) AS (
         SELECT id, slug FROM interest WHERE slug IN (SELECT value FROM json_each(?))
         UNION ALL SELECT i.id, i.slug FROM interest i JOIN sub ON i.parent_slug = sub.slug
       )
       SELECT b.id AS id, max(bi.score) AS s FROM board_interest bi JOIN sub ON sub.id = bi.interest_id JOIN board b ON b.id = bi.board_id
       WHERE b.visibility = 'public' AND bi.score >= 0.1 AND b.lang IN (SELECT value FROM json_each(?))
       GROUP BY b.id ORDER BY s DESC, b.id LIMIT ?`
    )
    .all(JSON.stringify(slugs), JSON.stringify(langs), limit) as { id: number }[];
  return rows.map((r) => r.id);
}

/** Whether this person has any history the feed can use (for tests and the page's wording). */
export function hasHistory(db: Db, userId: number): boolean {
  flushEngagement(db);
  const e = db
    .select({ id: engagements.id })
    .from(engagements)
    .where(and(eq(engagements.userId, userId), inArray(engagements.action, [...SIGNAL_ACTIONS])))
    .limit(1)
    .get();
  return !!e || userSignals(db, userId).length > 0;
}

/** Labels of some interests in a language, in the order given (unknown slugs left out). */
export function topicLabels(db: Db, slugs: string[], locale: Locale): { slug: string; label: string }[] {
  if (!slugs.length) return [];
  const rows = db.select({ slug: interests.slug, en: interests.labelEn, es: interests.labelEs }).from(interests).where(inArray(interests.slug, slugs)).all();
  const by = new Map(rows.map((r) => [r.slug, locale === "es" ? r.es : r.en]));
  return slugs.filter((s) => by.has(s)).map((slug) => ({ slug, label: by.get(slug)! }));
}

/** Board tiles for ids, in that order (public boards only). */
export function boardTiles(db: Db, ids: number[]): BoardSummary[] {
  if (!ids.length) return [];
  const rows = db
    .select(summaryColumns)
    .from(boards)
    .innerJoin(users, eq(users.id, boards.ownerId))
    .where(and(inArray(boards.id, ids), eq(boards.visibility, "public")))
    .all();
  const by = new Map(rows.map((r) => [r.id, r]));
  return ids.filter((id) => by.has(id)).map((id) => by.get(id)!);
}

/** The home page's feed for a request's person: who they are, what they picked, the feed itself. */
export function feedForHome(db: Db, who: Who, o: { locale: Locale; picked: string[] }) {
  const feed = attempt("homeFeed", () => homeFeed(db, who, { locale: o.locale, picked: o.picked }), { mode: "popular", cards: [] } as HomeFeed);
  const boardsForYou = o.picked.length ? attempt("boards", () => boardTiles(db, boardsForInterests(db, o.picked, [o.locale], 6)), []) : [];
  return { feed, boardsForYou, chosen: topicLabels(db, o.picked, o.locale) };
}
