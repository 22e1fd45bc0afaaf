/** Which candidate generator found a result; the UI can say why a card is shown. */
export type Generator = "text" | "fuzzy" | "vector" | "interest";

export type Candidate = { id: number; rank: number; score: number };
export type CandidateLists = Partial<Record<Generator, Candidate[]>>;

export type Fused = {
  id: number;
  fused: number;
  sources: Generator[];
  ranks: Partial<Record<Generator, number>>;
  scores: Partial<Record<Generator, number>>;
};

export type FusionWeights = Record<Generator, number>;

/** Tuned on Cranfield and CISI with score fusion (docs/quality.md): text match is the most precise signal. */
export const DEFAULT_WEIGHTS: FusionWeights = { text: 1, fuzzy: 0.3, vector: 0.3, interest: 0.15 };
export const RRF_K = 60;

/**
 * Weighted reciprocal rank fusion: Σ w_g / (k + rank_g). Rank-based, so BM25 and cosine need no common
 * scale; weights let the more precise generator lead. Ids found by several generators are merged.
 */
export function fuse(lists: CandidateLists, weights: FusionWeights = DEFAULT_WEIGHTS, k = RRF_K): Fused[] {
  const byId = new Map<number, Fused>();
  for (const [gen, list] of Object.entries(lists) as [Generator, Candidate[]][]) {
    const w = weights[gen] ?? 0;
    if (!list || w === 0) continue;
    for (const c of list) {
      let f = byId.get(c.id);
      if (!f) byId.set(c.id, (f = { id: c.id, fused: 0, sources: [], ranks: {}, scores: {} }));
      if (f.ranks[gen] !== undefined) continue; // a generator lists an id once; keep its best rank
      f.fused += w / (k + c.rank);
      f.sources.push(gen);
      f.ranks[gen] = c.rank;
      f.scores[gen] = c.score;
    }
  }
  return [...byId.values()].sort((a, b) => b.fused - a.fused || a.id - b.id);
}

/**
 * Score fusion (CombSUM of normalised scores): each generator's scores are scaled to 0..1 within this
 * query's list (from 0 for match scores, min–max for cosines), then summed with weights. Unlike RRF it keeps how far apart candidates
 * are, so a weak generator can break the strong one's near-ties without overturning clear wins.
 */
export function fuseScores(lists: CandidateLists, weights: FusionWeights = DEFAULT_WEIGHTS): Fused[] {
  const byId = new Map<number, Fused>();
  for (const [gen, list] of Object.entries(lists) as [Generator, Candidate[]][]) {
    const w = weights[gen] ?? 0;
    if (!list?.length || w === 0) continue;
    let lo = Infinity;
    let hi = -Infinity;
    for (const c of list) {
      lo = Math.min(lo, c.score);
      hi = Math.max(hi, c.score);
    }
    // Match scores (BM25, trigram overlap, interest) start at 0, so scale from 0: the list's last item
    // may still be a good match (a translation's title hit under a strong same-language hit). Cosines
    // of unit vectors crowd into a narrow band, so they are spread over their own range.
    if (gen !== "vector") lo = Math.min(lo, 0);
    const span = hi - lo;
    for (const c of list) {
      let f = byId.get(c.id);
      if (!f) byId.set(c.id, (f = { id: c.id, fused: 0, sources: [], ranks: {}, scores: {} }));
      if (f.ranks[gen] !== undefined) continue;
      // A list without spread (one item, or all tied) says "these match" and nothing more: full credit.
      f.fused += w * (span > 0 ? (c.score - lo) / span : 1);
      f.sources.push(gen);
      f.ranks[gen] = c.rank;
      f.scores[gen] = c.score;
    }
  }
  return [...byId.values()].sort((a, b) => b.fused - a.fused || a.id - b.id);
}

/** Features a ranking stage may use beyond fusion; the services fill them from the database. */
export type RankFeatures = { saves: number; langMatch: boolean };

/** The pluggable last stage: today a hand-set scorer, later a model learned from engagement. */
export interface Ranker {
  readonly id: string;
  score(c: Fused, f: RankFeatures): number;
}

/** Fusion first; small, bounded nudges for cards in the searcher's language and cards people saved. */
export const handSetRanker: Ranker = {
  id: "hand-set@1",
  score: (c, f) => c.fused * (1 + (f.langMatch ? 0.3 : 0) + Math.min(0.1, Math.log1p(f.saves) * 0.03)),
};

export function rank<T extends Fused>(
  fused: T[],
  features: (id: number) => RankFeatures,
  ranker: Ranker = handSetRanker,
): (T & { score: number })[] {
  return fused.map((c) => ({ ...c, score: ranker.score(c, features(c.id)) })).sort((a, b) => b.score - a.score || a.id - b.id);
}
