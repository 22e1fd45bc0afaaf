// PinnerSage for the app: a person's engaged cards of the last 90 days clustered into interests
// (models/pinnersage), stored in user_cluster, and "for you" candidates from a few of those interests'
// medoids, each tagged with the medoid it came from so the page can say "because you saved …".

import { ENGAGEMENT_ACTIONS, type EngagementAction } from "../../db/schema";
import { mulberry32 } from "../../models/pinsage/walk";
import { pinnerSage, sampleMedoids, type Cluster, type Engaged, type PinnerSageOptions } from "../../models/pinnersage/index";
import type { Db } from "./db.server";
import { flushEngagement } from "./engagement.server";
import { nearestVisible, readCardVectors } from "./pinsage.server";

const DAY = 86_400_000;
export const HISTORY_DAYS = 90;
/** Events read per person, newest first: bounds the cost of a recompute whatever the history. */
export const MAX_EVENTS = 1000;
/** Clusters kept per person, most important first. */
export const MAX_CLUSTERS = 20;
/** What counts as interest, and how much (as the feed weighs them); impressions and hides do not. */
export const ACTION_WEIGHT: Partial<Record<EngagementAction, number>> = { save: 4, practice: 3, readaloud: 2, closeup: 2, click: 1 };
const SIGNAL = ENGAGEMENT_ACTIONS.filter((a) => ACTION_WEIGHT[a] !== undefined);

type Event = { pinId: number; action: EngagementAction; at: number };

function recentEvents(db: Db, userId: number, now: number): Event[] {
  return db.$client
    .prepare(
      `SELECT pin_id AS pinId, action, created_at AS at FROM engagement
       WHERE user_id = ? AND created_at >= ? AND action IN (${SIGNAL.map(() => "?").join(",")})
       ORDER BY created_at DESC, id DESC LIMIT ?`,
    )
    .all(userId, now - HISTORY_DAYS * DAY, ...SIGNAL, MAX_EVENTS) as Event[];
}

function hiddenPins(db: Db, userId: number): Set<number> {
  return new Set((db.$client.prepare("SELECT DISTINCT pin_id AS id FROM engagement WHERE user_id = ? AND action = 'hide'").all(userId) as { id: number }[]).map((r) => r.id));
}

export type StoredCluster = { position: number; medoidPinId: number; importance: number; size: number; computedAt: number };

/**
 * Recomputes a person's clusters from their engagement of the last 90 days (at most MAX_EVENTS events,
 * 200 distinct cards; cards they hid are left out) with their PinSage vectors, else content vectors,
 * and replaces their user_cluster rows. Returns the clusters, most important first.
 */
export function recomputeUserClusters(db: Db, userId: number, opts: PinnerSageOptions & { now?: number } = {}): Cluster[] {
  flushEngagement(db);
  const now = opts.now ?? Date.now();
  const hidden = hiddenPins(db, userId);
  const events = recentEvents(db, userId, now).filter((e) => !hidden.has(e.pinId));
  const vectors = readCardVectors(db, [...new Set(events.map((e) => e.pinId))]);
  const engaged: Engaged[] = [];
  for (const e of events) {
    const vector = vectors.get(e.pinId);
    if (vector) engaged.push({ pin: e.pinId, vector, ageDays: Math.max(0, (now - e.at) / DAY), weight: ACTION_WEIGHT[e.action] ?? 1 });
  }
  const clusters = pinnerSage(engaged, { maxAgeDays: HISTORY_DAYS, ...opts }).slice(0, MAX_CLUSTERS);
  const del = db.$client.prepare("DELETE FROM user_cluster WHERE user_id = ?");
  const ins = db.$client.prepare("INSERT INTO user_cluster(user_id, position, medoid_pin_id, importance, size, computed_at) VALUES (?, ?, ?, ?, ?, ?)");
  db.$client.transaction(() => {
    del.run(userId);
    clusters.forEach((c, i) => ins.run(userId, i, c.medoid, c.importance, c.members.length, now));
  })();
  return clusters;
}

export function userClustersOf(db: Db, userId: number): StoredCluster[] {
  return db.$client
    .prepare("SELECT position, medoid_pin_id AS medoidPinId, importance, size, computed_at AS computedAt FROM user_cluster WHERE user_id = ? ORDER BY position")
    .all(userId) as StoredCluster[];
}

export type PinnerSageCandidate = { pinId: number; score: number; medoidPinId: number };

/**
 * Up to k cards for a person: up to 3 of their clusters sampled by importance (seeded when `seed` is
 * given), each medoid's nearest cards on public boards, interleaved. Cards they engaged with lately,
 * hid, or keep on their own boards are left out. Clusters are computed first if they have none.
 */
export function pinnerSageCandidates(db: Db, userId: number, k: number, seed?: number): PinnerSageCandidate[] {
  let clusters = userClustersOf(db, userId);
  if (!clusters.length) {
    recomputeUserClusters(db, userId);
    clusters = userClustersOf(db, userId);
  }
  if (!clusters.length || k <= 0) return [];
  const rng = seed === undefined ? Math.random : mulberry32(seed);
  const picked = sampleMedoids(clusters, 3, rng);
  const exclude = hiddenPins(db, userId);
  for (const e of recentEvents(db, userId, Date.now())) exclude.add(e.pinId);
  const own = db.$client.prepare("SELECT DISTINCT bp.pin_id AS id FROM board_pin bp JOIN board b ON b.id = bp.board_id WHERE b.owner_id = ?").all(userId) as { id: number }[];
  for (const r of own) exclude.add(r.id);
  const medoidVectors = readCardVectors(db, picked.map((c) => c.medoidPinId));
  const lists = picked.map((c) => {
    const v = medoidVectors.get(c.medoidPinId);
    return v ? nearestVisible(db, v, k, exclude).map((n) => ({ pinId: n.pinId, score: n.score, medoidPinId: c.medoidPinId })) : [];
  });
  // Interleave, the most important sampled interest first in each round.
  const out: PinnerSageCandidate[] = [];
  const used = new Set<number>();
  for (let round = 0; out.length < k && lists.some((l) => round < l.length); round++) {
    for (const l of lists) {
      const c = l[round];
      if (c && !used.has(c.pinId) && out.length < k) {
        used.add(c.pinId);
        out.push(c);
      }
    }
  }
  return out;
}
