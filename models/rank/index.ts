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

/**
 * One text list from two matches of the same query: its words as typed (`own`) and their translations
 * (`translated`, matched against titles). A translation says the same thing again in another language,
 * so a card's text score is the better of its two, not their sum (perro, whose stored English holds
 * "dog" and whose title is the query's Spanish, outscored the English dog card 22 to 10), and a match
 * through translation is at most as good as the best match of the words as typed: the translated
 * scores are scaled down, when they reach higher, so that their best equals the own best. With no own
 * match (a query in a language no card is written in) the translated scores stand as they are.
 * Best first, ties by id; scores higher = better (BM25 as a positive number).
 */
export function mergeTranslatedMatches(
  own: readonly { id: number; score: number }[],
  translated: readonly { id: number; score: number }[],
): { id: number; score: number }[] {
  const ownBest = Math.max(0, ...own.map((h) => h.score));
  const transBest = Math.max(0, ...translated.map((h) => h.score));
  const scale = own.length && transBest > ownBest ? ownBest / transBest : 1;
  const best = new Map<number, number>();
  for (const h of own) best.set(h.id, Math.max(best.get(h.id) ?? -Infinity, h.score));
  for (const h of translated) best.set(h.id, Math.max(best.get(h.id) ?? -Infinity, h.score * scale));
  return [...best].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || a.id - b.id);
}

/** Features a ranking stage may use beyond fusion; the services fill them from the database. */
export type RankFeatures = { saves: number; langMatch: boolean };

/** The pluggable last stage: today a hand-set scorer, later a model learned from engagement. */
export interface Ranker {
  readonly id: string;
  score(c: Fused, f: RankFeatures): number;
}

/**
 * Fusion first; a card in the searcher's language counts double, and cards people saved get a small,
 * bounded nudge. Double: a reader who types "dog" expects the English dog before perro and chien,
 * which match the same word through their translations (and the query's translation besides). Chosen
 * on the starter library's DEV half (`eval:bilingual --first-only`): the reader's own card came first
 * for 66–86 % of words at ×1.3, 78–99 % at ×2, while the first card stayed the right picture within
 * 3 points (docs/quality.md).
 */
export const LANGUAGE_MATCH_FACTOR = 2;
export const handSetRanker: Ranker = {
  id: "hand-set@2",
  score: (c, f) => c.fused * ((f.langMatch ? LANGUAGE_MATCH_FACTOR : 1) + Math.min(0.1, Math.log1p(f.saves) * 0.03)),
};

export function rank<T extends Fused>(
  fused: T[],
  features: (id: number) => RankFeatures,
  ranker: Ranker = handSetRanker,
): (T & { score: number })[] {
  return fused.map((c) => ({ ...c, score: ranker.score(c, features(c.id)) })).sort((a, b) => b.score - a.score || a.id - b.id);
}
