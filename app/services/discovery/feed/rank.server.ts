import type { RankSurface, SourceName } from "../../../../models/rank/features";
import type { Db } from "../../db.server";
import { FUSION_RANKER, rankCandidates, type RankedCandidate } from "../ranking.server";
import { blend } from "./rules.server";
import type { Cand, CandidateSource, FeedSource } from "./types.server";

/**
 * Stage 3 of the feed: every source's candidates through the one ranking stage all surfaces share
 * (discovery/ranking.server: features, then the learned ranker or the fusion order). Comes after the
 * candidate sources (sources.server) and before the surface's rules (rules.server).
 */

export type RankedSources = { sources: CandidateSource[]; features: Map<number, RankedCandidate>; ranker: string };

/**
 * Each card with every source's score, in today's blend order (the fusion order). With a learned
 * ranker in service the sources become one list in the model's order (each card keeping the reason and
 * source it was found by, the hide penalty applied on top); without one they are returned as they were.
 * Either way the features of every candidate come back, so what is shown can be logged (log.server).
 */
export async function rankSources(
  db: Db,
  sources: CandidateSource[],
  surface: RankSurface,
  factor: (id: number) => number,
  now: number,
): Promise<RankedSources> {
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
  const outcome = await rankCandidates(db, cands, { surface, lang: null, tokens: 0, kind: null }, { now });
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
