// PinnerSage for the app: a person's engaged cards of the last 90 days clustered into interests
// (models/pinnersage), stored in user_cluster, and "for you" candidates from a few of those interests'
// medoids, each tagged with the medoid it came from so the page can say "because you saved …".
// Retrieval follows the issue's rule (up to 3 medoids sampled by importance, their nearest cards);
// ranking scores each candidate against EVERY medoid of a finer cut of the same dendrogram (stored in
// user_ranking_cluster), importance-weighted, on centred vectors (docs/decisions/0006, 0008).

import { statSync } from "node:fs";
import { ENGAGEMENT_ACTIONS, type EngagementAction } from "../../db/tables";
import { mulberry32 } from "../../models/pinsage/walk";
import {
  APP_PINNERSAGE,
  centred,
  meanVector,
  pinnerSageLevels,
  sampleMedoids,
  weightedMedoidScore,
  type Cluster,
  type Engaged,
  type PinnerSageOptions,
} from "../../models/pinnersage/index";
import { sql } from "drizzle-orm";
import type { Db } from "./db.server";
import { inIds } from "./data/id-list.server";
import { exec, first, rows as raw } from "./data/raw.server";
import { transaction } from "./data/transaction.server";
import { nearestVisible, readCardVectors, weightsFile, type ReadOptions } from "./pinsage.server";

const DAY = 86_400_000;
export const HISTORY_DAYS = 90;
/** Events read per person, newest first: bounds the cost of a recompute whatever the history. */
export const MAX_EVENTS = 1000;
/** Interest clusters kept per person, most important first (retrieval samples from them). */
export const MAX_CLUSTERS = APP_PINNERSAGE.maxClusters;
/** Ranking clusters kept per person, most important first (every one of them ranks candidates). */
export const MAX_RANKING_CLUSTERS = APP_PINNERSAGE.maxRankingClusters;
/** What counts as interest, and how much (as the feed weighs them); impressions and hides do not. */
export const ACTION_WEIGHT: Partial<Record<EngagementAction, number>> = { save: 4, practice: 3, readaloud: 2, closeup: 2, click: 1 };
const SIGNAL = ENGAGEMENT_ACTIONS.filter((a) => ACTION_WEIGHT[a] !== undefined);

type Event = { pinId: number; action: EngagementAction; at: number };

async function recentEvents(db: Db, userId: number, now: number): Promise<Event[]> {
  const actions = sql.join(
    SIGNAL.map((a) => sql`${a}`),
    sql`, `,
  );
  const rows = await raw<{ pinId: number; action: EngagementAction; at: number | string }>(
    db,
    sql`SELECT pin_id AS "pinId", action AS "action", created_at AS "at" FROM engagement
        WHERE user_id = ${userId} AND created_at >= ${now - HISTORY_DAYS * DAY} AND action IN (${actions})
        ORDER BY created_at DESC, id DESC LIMIT ${MAX_EVENTS}`,
  );
  return rows.map((r) => ({ pinId: r.pinId, action: r.action, at: Number(r.at) })); // bigint: a string on PostgreSQL
}

async function hiddenPins(db: Db, userId: number): Promise<Set<number>> {
  const rows = await raw<{ id: number }>(
    db,
    sql`SELECT DISTINCT pin_id AS "id" FROM engagement WHERE user_id = ${userId} AND action = 'hide'`,
  );
  return new Set(rows.map((r) => r.id));
}

// ── The centre of the card vectors ────────────────────────────────────────────────────────────────
// Clustering and ranking subtract the mean card vector (PinSage vectors, else content vectors, as
// readCardVectors gives them) and re-normalise. Reading every vector per request would cost seconds on
// a million cards, so the mean is estimated once per database from a bounded sample of cards (at most
// CENTRE_SAMPLE, drawn by a fixed seed so it is the same on every run: the mean of 4,000 unit vectors
// is within ~1/√4000 ≈ 0.016 of the true mean per unit of spread, far below what separates interests)
// and cached per Db handle. It is recomputed when PinSage is retrained (the weights file changes, and
// with it every PinSage vector) or when the catalogue has grown by CENTRE_REFRESH_SHARE since (new
// cards may shift the mean); both checks are one stat() and one max(id) lookup per request.

/** Cards whose vectors estimate the centre. */
export const CENTRE_SAMPLE = 4000;
/** Growth of the catalogue (by highest card id) that triggers a new estimate. */
export const CENTRE_REFRESH_SHARE = 0.1;

type CentreCache = { centre: Float64Array | null; maxId: number; weightsMtime: number | null };
const centres = new WeakMap<Db, CentreCache>();

function weightsMtime(): number | null {
  try {
    return statSync(weightsFile()).mtimeMs;
  } catch {
    return null;
  }
}

async function sampleCardIds(db: Db, maxId: number): Promise<number[]> {
  if (maxId <= CENTRE_SAMPLE * 2) return (await raw<{ id: number }>(db, sql`SELECT id AS "id" FROM pin ORDER BY id`)).map((r) => r.id);
  const rng = mulberry32(0x5eed);
  const want = new Set<number>();
  while (want.size < CENTRE_SAMPLE) want.add(1 + Math.floor(rng() * maxId));
  // 4,000 ids: one parameter (json_each / = ANY).
  return (await raw<{ id: number }>(db, sql`SELECT id AS "id" FROM pin WHERE ${inIds(db, sql`id`, [...want])} ORDER BY id`)).map(
    (r) => r.id,
  );
}

/**
 * The mean card vector of this database (estimated from at most CENTRE_SAMPLE cards, cached, see
 * above), or null when no card has a vector yet. `refresh` forces a new estimate.
 */
export async function cardCentre(db: Db, refresh = false): Promise<Float64Array | null> {
  const maxId = Number((await first<{ m: number }>(db, sql`SELECT coalesce(max(id), 0) AS "m" FROM pin`))?.m ?? 0);
  const mtime = weightsMtime();
  const cached = centres.get(db);
  if (!refresh && cached && cached.weightsMtime === mtime && cached.centre && maxId <= cached.maxId * (1 + CENTRE_REFRESH_SHARE))
    return cached.centre;
  const vectors = [...(await readCardVectors(db, await sampleCardIds(db, maxId))).values()];
  const centre = vectors.length ? meanVector(vectors) : null;
  centres.set(db, { centre, maxId, weightsMtime: mtime });
  return centre;
}

const centreAll = (vectors: Map<number, Float32Array>, centre: Float64Array | null) =>
  centre ? new Map([...vectors].map(([id, v]) => [id, centred(v, centre)])) : vectors;

export type StoredCluster = { position: number; medoidPinId: number; importance: number; size: number; computedAt: number };

/**
 * A person's clusters from their engagement of the last 90 days (at most MAX_EVENTS events, 200
 * distinct cards; cards they hid are left out) with their PinSage vectors, else content vectors,
 * centred (cardCentre): one Ward dendrogram cut at APP_PINNERSAGE.threshold (interests) and at the
 * finer rankingThreshold (ranking), most important first. Computed in memory, not stored.
 */
export async function computeUserClusters(
  db: Db,
  userId: number,
  opts: PinnerSageOptions & { now?: number; rankingThreshold?: number } = {},
): Promise<{ interests: Cluster[]; ranking: Cluster[] }> {
  const now = opts.now ?? Date.now();
  const hidden = await hiddenPins(db, userId);
  const events = (await recentEvents(db, userId, now)).filter((e) => !hidden.has(e.pinId));
  const vectors = centreAll(
    await readCardVectors(db, [...new Set(events.map((e) => e.pinId))]),
    events.length ? await cardCentre(db) : null,
  );
  const engaged: Engaged[] = [];
  for (const e of events) {
    const vector = vectors.get(e.pinId);
    if (vector) engaged.push({ pin: e.pinId, vector, ageDays: Math.max(0, (now - e.at) / DAY), weight: ACTION_WEIGHT[e.action] ?? 1 });
  }
  const levels = pinnerSageLevels(engaged, {
    threshold: APP_PINNERSAGE.threshold,
    rankingThreshold: APP_PINNERSAGE.rankingThreshold,
    lambda: APP_PINNERSAGE.lambda,
    maxAgeDays: HISTORY_DAYS,
    ...opts,
  });
  return { interests: levels.interests.slice(0, MAX_CLUSTERS), ranking: levels.ranking.slice(0, MAX_RANKING_CLUSTERS) };
}

/**
 * Recomputes a person's clusters (computeUserClusters) and stores them: the interest cut in
 * user_cluster, the ranking cut in user_ranking_cluster, both tables' rows replaced together.
 * Returns the interest clusters, most important first. Runs after engagement (engagement.server's
 * debounced recompute), not on a page's GET.
 */
export async function recomputeUserClusters(
  db: Db,
  userId: number,
  opts: PinnerSageOptions & { now?: number; rankingThreshold?: number } = {},
): Promise<Cluster[]> {
  const now = opts.now ?? Date.now();
  // Computed before the transaction: only the writes hold the lock.
  const { interests: clusters, ranking } = await computeUserClusters(db, userId, { ...opts, now });
  const replace = async (tx: Db, table: "user_cluster" | "user_ranking_cluster", rows: Cluster[]) => {
    await exec(tx, sql`DELETE FROM ${sql.raw(table)} WHERE user_id = ${userId}`);
    for (const [i, c] of rows.entries())
      await exec(
        tx,
        sql`INSERT INTO ${sql.raw(table)}(user_id, position, medoid_pin_id, importance, size, computed_at)
            VALUES (${userId}, ${i}, ${c.medoid}, ${c.importance}, ${c.members.length}, ${now})`,
      );
  };
  await transaction(db, async (tx) => {
    await replace(tx, "user_cluster", clusters);
    await replace(tx, "user_ranking_cluster", ranking);
  });
  return clusters;
}

/**
 * The background job's half of "no GET writes" (startup.server.ts runs it under a lease): people with
 * engagement but no stored clusters — whose feed a GET computed in memory — get theirs stored, up to
 * `max` a run. A cursor walks on through the accounts, so people whose engagement yields no cluster do
 * not hold up the others.
 */
const missingCursor = new WeakMap<Db, number>();
export async function recomputeMissingClusters(db: Db, max = 20): Promise<number> {
  const after = missingCursor.get(db) ?? 0;
  const ids = (
    await raw<{ id: number }>(
      db,
      sql`SELECT u.id AS "id" FROM "user" u
          WHERE u.id > ${after} AND NOT EXISTS (SELECT 1 FROM user_cluster c WHERE c.user_id = u.id)
            AND EXISTS (SELECT 1 FROM engagement e WHERE e.user_id = u.id AND e.action <> 'impression')
          ORDER BY u.id LIMIT ${max}`,
    )
  ).map((r) => r.id);
  missingCursor.set(db, ids.length < max ? 0 : ids[ids.length - 1]!);
  let stored = 0;
  for (const id of ids) if ((await recomputeUserClusters(db, id)).length) stored++;
  return stored;
}

/** Clusters as they would read back once stored. */
const asStored = (rows: Cluster[], now: number): StoredCluster[] =>
  rows.map((c, i) => ({ position: i, medoidPinId: c.medoid, importance: c.importance, size: c.members.length, computedAt: now }));

const storedClusters = async (db: Db, table: "user_cluster" | "user_ranking_cluster", userId: number): Promise<StoredCluster[]> =>
  (
    await raw<StoredCluster>(
      db,
      sql`SELECT position AS "position", medoid_pin_id AS "medoidPinId", importance AS "importance", size AS "size", computed_at AS "computedAt"
          FROM ${sql.raw(table)} WHERE user_id = ${userId} ORDER BY position`,
    )
  ).map((r) => ({ ...r, computedAt: Number(r.computedAt) })); // bigint: a string on PostgreSQL

/** A person's interest clusters (what the feed samples and names), most important first. */
export const userClustersOf = (db: Db, userId: number) => storedClusters(db, "user_cluster", userId);

/** A person's ranking clusters (the finer cut whose medoids score candidates), most important first. */
export const userRankingClustersOf = (db: Db, userId: number) => storedClusters(db, "user_ranking_cluster", userId);

export type PinnerSageCandidate = { pinId: number; score: number; medoidPinId: number };

/**
 * Up to k cards for a person, best first. Retrieval: up to APP_PINNERSAGE.sample (3) of their clusters
 * sampled by importance (seeded when `seed` is given), each medoid's k nearest cards on public boards.
 * Ranking: each retrieved card's score is Σ_m importance_m·cos(card, medoid_m) over EVERY stored
 * ranking cluster, importances normalised, on centred vectors (models/pinnersage weightedMedoidScore; the
 * `pinnersage` row of `npm run eval:recs` is this score). Cards they engaged with lately, hid, or keep
 * on their own boards are left out. Clusters are computed first if they have none: stored now, or with
 * `readOnly` (a GET) used from memory while the background job recomputeMissingClusters stores them later.
 *
 * `medoidPinId` (the page's "because you saved …") is the sampled medoid whose neighbour list found
 * the card — the earliest in that list when several did. It is the one statement that is literally
 * true: the card is among that saved card's nearest. The medoid contributing most to the score would
 * often be the person's heaviest interest, named for cards that were found near another one.
 */
export async function pinnerSageCandidates(
  db: Db,
  userId: number,
  k: number,
  seed?: number,
  o: ReadOptions = {},
): Promise<PinnerSageCandidate[]> {
  let clusters = await userClustersOf(db, userId);
  let computed: StoredCluster[] | null = null;
  if (!clusters.length && o.readOnly) {
    const now = Date.now();
    const levels = await computeUserClusters(db, userId, { now });
    clusters = asStored(levels.interests, now);
    computed = asStored(levels.ranking, now);
    // Not asked to be stored from here (no GET writes, issue 13): recomputeMissingClusters does that.
  } else if (!clusters.length) {
    await recomputeUserClusters(db, userId);
    clusters = await userClustersOf(db, userId);
  }
  if (!clusters.length || k <= 0) return [];
  const rng = seed === undefined ? Math.random : mulberry32(seed);
  const picked = sampleMedoids(clusters, APP_PINNERSAGE.sample, rng);
  const exclude = await hiddenPins(db, userId);
  for (const e of await recentEvents(db, userId, Date.now())) exclude.add(e.pinId);
  const own = await raw<{ id: number }>(
    db,
    sql`SELECT DISTINCT bp.pin_id AS "id" FROM board_pin bp JOIN board b ON b.id = bp.board_id WHERE b.owner_id = ${userId}`,
  );
  for (const r of own) exclude.add(r.id);
  // Ranking medoids; a person clustered before they were stored ranks by the interest medoids.
  const stored = computed ?? (await userRankingClustersOf(db, userId));
  const ranking = stored.length ? stored : clusters;
  // Retrieval by the raw vectors (the nearest-neighbour index holds them as stored).
  const medoidVectors = await readCardVectors(db, [...new Set([...clusters, ...ranking].map((c) => c.medoidPinId))]);
  const lists: { pinId: number; medoidPinId: number }[][] = [];
  for (const c of picked) {
    const v = medoidVectors.get(c.medoidPinId);
    lists.push(v ? (await nearestVisible(db, v, k, exclude, o)).map((n) => ({ pinId: n.pinId, medoidPinId: c.medoidPinId })) : []);
  }
  // Each card once, tagged with the sampled medoid whose list has it earliest (the more important one on ties).
  const from = new Map<number, number>();
  for (let round = 0; lists.some((l) => round < l.length); round++) {
    for (const l of lists) {
      const c = l[round];
      if (c && !from.has(c.pinId)) from.set(c.pinId, c.medoidPinId);
    }
  }
  if (!from.size) return [];
  // Ranking by every ranking medoid on centred vectors.
  const centre = await cardCentre(db);
  const medoids = ranking.flatMap((c) => {
    const v = medoidVectors.get(c.medoidPinId);
    return v ? [{ vector: centre ? centred(v, centre) : v, importance: c.importance }] : [];
  });
  const candVectors = await readCardVectors(db, [...from.keys()]);
  const out: PinnerSageCandidate[] = [];
  for (const [pinId, medoidPinId] of from) {
    const v = candVectors.get(pinId);
    if (v) out.push({ pinId, medoidPinId, score: weightedMedoidScore(centre ? centred(v, centre) : v, medoids) });
  }
  return out.sort((a, b) => b.score - a.score || a.pinId - b.pinId).slice(0, k);
}
