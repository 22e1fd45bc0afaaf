// Retrieval from the whole catalogue (docs/decisions/0006, "Retrieval evaluation"). The leave-last-out
// protocol (recs.ts) ranks 100 given candidates, so it measures ranking only; here each method
// RETRIEVES N items from every item the person did not rate in training, and Recall@N is whether the
// held-out item (the same one the protocol holds out) is among them — the hit rate at N, one held-out
// item per person. Pure: plain arrays in, numbers out.
//
// Two kinds of method:
// - a score over the whole catalogue (popularity, the mean embedding, PinSage's last-20 cards, the
//   all-medoid weighted score): the top N by score, ties broken uniformly at random with the exact
//   expectation taken (as hitAndNdcg does), so a method cannot gain from equal scores;
// - a retrieved list (PinnerSage's per-medoid neighbour lists, merged as the app merges them): a hit
//   when the held-out item is among its first N entries.
import { sampleMedoids, weightedMedoidScore } from "../pinnersage/index";
import {
  MeanEmbeddingRecommender,
  PinnerSageRecommender,
  PinSageRecommender,
  type PinnerSageRecOptions,
  type SageModel,
} from "./recommenders";
import { mulberry32, type RecData, type Recommender, type Split } from "./recs";

/** Is item i better than item j by `scores` (higher first; equal scores: lower index first; NaN last)? */
function better(scores: ArrayLike<number>, i: number, j: number): boolean {
  const a = scores[i]!;
  const b = scores[j]!;
  if (a > b) return true;
  if (a < b) return false;
  if (a === b) return i < j;
  // At least one NaN: a number beats NaN; two NaNs by index.
  if (Number.isNaN(a) && Number.isNaN(b)) return i < j;
  return Number.isNaN(b);
}

/**
 * The indices of the n highest scores, best first, equal scores by lower index (the app's order:
 * distance, then card id), skipping indices for which `exclude(i)` is true.
 */
export function topN(scores: ArrayLike<number>, n: number, exclude: (i: number) => boolean = () => false): number[] {
  const out: number[] = [];
  if (n <= 0) return out;
  for (let i = 0; i < scores.length; i++) {
    if (exclude(i)) continue;
    if (out.length === n && !better(scores, i, out[n - 1]!)) continue;
    // Insert in order (binary search for the first entry i beats).
    let lo = 0;
    let hi = out.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (better(scores, i, out[mid]!)) hi = mid;
      else lo = mid + 1;
    }
    out.splice(lo, 0, i);
    if (out.length > n) out.pop();
  }
  return out;
}

/**
 * For each n in `ns`: the probability that `target` is among the top n of the catalogue ranked by
 * `scores` (excluded items not ranked), ties broken uniformly at random (exact expectation: with g
 * items above it and e equal to it, its 0-based position is uniform over g..g+e). NaN scores rank
 * last. An excluded target is never retrieved (0).
 */
export function recallFromScores(
  scores: ArrayLike<number>,
  target: number,
  ns: number[],
  exclude: (i: number) => boolean = () => false,
): number[] {
  if (exclude(target)) return ns.map(() => 0);
  const s0 = scores[target]!;
  let greater = 0;
  let equal = 0;
  for (let i = 0; i < scores.length; i++) {
    if (i === target || exclude(i)) continue;
    const s = scores[i]!;
    if (s > s0 || (Number.isNaN(s0) && !Number.isNaN(s))) greater++;
    else if (s === s0 || (Number.isNaN(s) && Number.isNaN(s0))) equal++;
  }
  return ns.map((n) => Math.min(1, Math.max(0, (n - greater) / (equal + 1))));
}

/** 1 when `target` is among the first n entries of `list`, else 0. */
export function hitInList(list: ArrayLike<number>, target: number, n: number): number {
  const m = Math.min(n, list.length);
  for (let i = 0; i < m; i++) if (list[i] === target) return 1;
  return 0;
}

/**
 * The app's round-robin merge (app/services/pinnersage.server.ts pinnerSageCandidates): round r takes
 * the r-th entry of each list in the lists' order, an item already taken is skipped; the first n.
 */
export function interleave(lists: ArrayLike<number>[], n = Infinity): number[] {
  const out: number[] = [];
  const seen = new Set<number>();
  const longest = lists.reduce((m, l) => Math.max(m, l.length), 0);
  for (let round = 0; round < longest && out.length < n; round++) {
    for (const l of lists) {
      if (round >= l.length) continue;
      const x = l[round]!;
      if (seen.has(x)) continue;
      seen.add(x);
      out.push(x);
      if (out.length >= n) break;
    }
  }
  return out;
}

/**
 * The app's PinnerSage candidate list: every item of the per-medoid lists once, sorted by `score`
 * (higher first; equal scores by lower id, as the app sorts), the first n.
 */
export function unionRanked(lists: ArrayLike<number>[], score: (item: number) => number, n: number): number[] {
  const items = interleave(lists);
  const s = new Map(items.map((i) => [i, score(i)]));
  return items.sort((a, b) => s.get(b)! - s.get(a)! || a - b).slice(0, n);
}

/** Dot product of a query with every row of a flat row-major matrix (rows × dim). */
export function dotAll(rows: Float32Array, dim: number, q: ArrayLike<number>): Float64Array {
  const n = dim ? rows.length / dim : 0;
  const out = new Float64Array(n);
  for (let i = 0, off = 0; i < n; i++, off += dim) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += rows[off + d]! * q[d]!;
    out[i] = s;
  }
  return out;
}

/** Mean and standard error (sd/√n, sample sd) of per-person values. */
export function meanAndSe(xs: ArrayLike<number>): { mean: number; se: number } {
  const n = xs.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += xs[i]!;
  m /= Math.max(1, n);
  let v = 0;
  for (let i = 0; i < n; i++) v += (xs[i]! - m) ** 2;
  v = n > 1 ? v / (n - 1) : 0;
  return { mean: m, se: Math.sqrt(v / Math.max(1, n)) };
}

/** One method's Recall@N: hits[seed][n][person] (0..1), for the evaluated people in `users` order. */
export interface RetrievalResult {
  /** recall@n per n, mean over seeds (each seed: mean over people). */
  recall: number[];
  perSeed: { seed: number; recall: number[] }[];
  /** Per person, averaged over seeds: perUser[n][k] for the k-th evaluated person. */
  perUser: Float64Array[];
  seconds: number;
}

/** a − b per person (each person's recall averaged over seeds), per n: mean ± standard error; and per seed. */
export function pairedRecall(
  a: RetrievalResult,
  b: RetrievalResult,
): { perUser: { mean: number; se: number }[]; perSeed: { seed: number; diff: number[] }[] } {
  return {
    perUser: a.perUser.map((xs, j) => meanAndSe(xs.map((x, k) => x - b.perUser[j]![k]!))),
    perSeed: a.perSeed.map((p, s) => ({ seed: p.seed, diff: p.recall.map((r, j) => r - b.perSeed[s]!.recall[j]!) })),
  };
}

/**
 * A retrieval method for the loop below. `lists(user, n, seed, excluded)` returns the retrieved items
 * (at least the first n that matter); `scores(user)` a score per catalogue item instead (deterministic:
 * the same for every seed). Exactly one of the two.
 */
export interface Retriever {
  name: string;
  lists?: (user: number, n: number, seed: number, excluded: (i: number) => boolean) => number[];
  scores?: (user: number) => ArrayLike<number>;
}

/**
 * Recall@n of every retriever for every person with a held-out item, per seed. `excludedOf(user)`
 * says which items that person cannot be recommended (their training items).
 */
export function evaluateRetrieval(
  retrievers: Retriever[],
  split: Split,
  seeds: number[],
  ns: number[],
  excludedOf: (user: number) => (i: number) => boolean,
  progress?: (m: string) => void,
): Record<string, RetrievalResult> {
  const users: number[] = [];
  split.heldOut.forEach((h, u) => h >= 0 && users.push(u));
  const maxN = Math.max(...ns);
  const out: Record<string, RetrievalResult> = {};
  for (const r of retrievers) {
    const t0 = performance.now();
    const sums = seeds.map(() => ns.map(() => 0));
    const perUser = ns.map(() => new Float64Array(users.length));
    users.forEach((u, k) => {
      const target = split.heldOut[u]!;
      const excluded = excludedOf(u);
      const fixed = r.scores ? recallFromScores(r.scores(u), target, ns, excluded) : null;
      seeds.forEach((seed, s) => {
        const list = fixed ? null : r.lists!(u, maxN, seed, excluded);
        ns.forEach((n, j) => {
          // Lists are asked for maxN items; a method whose list for n is not a prefix of its list
          // for maxN (the app's rule: k = n nearest per medoid, then re-ranked) is asked again.
          const hit = fixed ? fixed[j]! : hitInList(n === maxN ? list! : r.lists!(u, n, seed, excluded), target, n);
          sums[s]![j]! += hit;
          perUser[j]![k]! += hit / seeds.length;
        });
      });
      if ((k + 1) % 100 === 0) progress?.(`retrieval ${r.name}: ${k + 1} users`);
    });
    const perSeed = seeds.map((seed, s) => ({ seed, recall: sums[s]!.map((x) => x / Math.max(1, users.length)) }));
    out[r.name] = {
      recall: ns.map((_, j) => perSeed.reduce((a, p) => a + p.recall[j]!, 0) / Math.max(1, perSeed.length)),
      perSeed,
      perUser,
      seconds: (performance.now() - t0) / 1000,
    };
    progress?.(`retrieval ${r.name}: ${ns.map((n, j) => `R@${n} ${out[r.name]!.recall[j]!.toFixed(3)}`).join(", ")}`);
  }
  return out;
}

/** A protocol recommender's score over every item, as a catalogue retriever. */
export function scoreRetriever(rec: Recommender, items: number, name = rec.name): Retriever {
  const all = Uint32Array.from({ length: items }, (_, i) => i);
  return { name, scores: (u) => rec.score(u, all) };
}

/**
 * PinnerSage retrieval on a trained SageModel, with the app's clustering settings (`clusters` is a
 * PinnerSageRecommender with sample: Infinity — every kept cluster, most important first, with
 * normalised importance; its `centre` says whether clustering and ranking use centred vectors).
 * `o.ranking`, when given, is the same for the finer cut whose medoids rank (docs/decisions/0008);
 * without it the interest medoids rank.
 *
 * - `pinnersage` (the app's rule, pinnerSageCandidates): up to `sample` medoids drawn by importance
 *   (mulberry32(seed·7919 + user), as PinnerSageRecommender draws them); each medoid's n nearest items
 *   by RAW vectors (the app's nearest-neighbour index holds raw vectors), the person's training items
 *   left out; the union ranked by weightedMedoidScore over EVERY kept ranking medoid (centred when the
 *   clustering is); the first n. The app asks each medoid for k = n items, it does not split k.
 * - `pinnersage-interleave`: the same sampled medoids' lists merged round-robin (sampled order), first n,
 *   no re-ranking — n split across the sampled medoids.
 * - `pinnersage-all-medoids`: every kept medoid's list merged round-robin (most important first),
 *   first n — n split across all of them; no sampling, the same for every seed.
 * - `pinnersage-weighted-global`: the top n of the whole catalogue by the app's ranking score alone
 *   (Σ importance·cos over every ranking medoid, centred) — what the protocol's `pinnersage` row ranks by.
 */
export function pinnerSageRetrievers(
  sage: SageModel,
  clusters: PinnerSageRecommender,
  o: { sample: number; centre: boolean; ranking?: PinnerSageRecommender },
): Retriever[] {
  // Per person: the kept medoids, their centred vectors for the ranking score, and each medoid's
  // nearest items by raw cosine (the longest list asked for so far; shorter n are its prefixes). The
  // lists are kept for every person (20 × 200 ids at most), so the methods below share one scan.
  let cachedUser = -1;
  let medoids: { pin: number; w: number }[] = [];
  let rankScore = new Map<number, number>();
  let weighted: { vector: Float32Array; importance: number }[] = [];
  const load = (u: number) => {
    if (cachedUser === u) return;
    medoids = clusters.userMedoids(u);
    weighted = (o.ranking ?? clusters).userMedoids(u).map((m) => ({ vector: sage.vector(m.pin, o.centre), importance: m.w }));
    rankScore = new Map();
    cachedUser = u;
  };
  const score = (i: number) => {
    let s = rankScore.get(i);
    if (s === undefined) {
      s = weightedMedoidScore(sage.vector(i, o.centre), weighted);
      rankScore.set(i, s);
    }
    return s;
  };
  const lists = new Map<number, { n: number; lists: number[][] }>();
  const near = (u: number, k: number, n: number, excluded: (i: number) => boolean) => {
    let ls = lists.get(u);
    if (!ls || ls.n < n) {
      ls = { n, lists: medoids.map((m) => topN(dotAll(sage.vectors, sage.dim, sage.vector(m.pin, false)), n, excluded)) };
      lists.set(u, ls);
    }
    return ls.lists[k]!.slice(0, n);
  };
  const sampled = (u: number, seed: number) => {
    const pool = medoids.map((m, k) => ({ k, importance: m.w }));
    return o.sample >= pool.length ? pool.filter((p) => p.importance > 0) : sampleMedoids(pool, o.sample, mulberry32(seed * 7919 + u));
  };
  return [
    {
      name: "pinnersage",
      lists: (u, n, seed, excluded) => {
        load(u);
        return unionRanked(
          sampled(u, seed).map((p) => near(u, p.k, n, excluded)),
          score,
          n,
        );
      },
    },
    {
      name: "pinnersage-interleave",
      lists: (u, n, seed, excluded) => {
        load(u);
        return interleave(
          sampled(u, seed).map((p) => near(u, p.k, n, excluded)),
          n,
        );
      },
    },
    {
      name: "pinnersage-all-medoids",
      lists: (u, n, _seed, excluded) => {
        load(u);
        return interleave(
          medoids.map((_, k) => near(u, k, n, excluded)),
          n,
        );
      },
    },
    {
      name: "pinnersage-weighted-global",
      scores: (u) => {
        load(u);
        // Σ w·cos(x, m) = x · Σ w·m/‖m‖ for unit x (centred vectors are unit, or all zeros: score 0,
        // as weightedMedoidScore gives); one dot per item instead of one per item and medoid.
        const q = new Float64Array(sage.dim);
        const total = weighted.reduce((s, m) => s + (m.importance > 0 ? m.importance : 0), 0);
        for (const m of weighted) {
          if (!(m.importance > 0) || !(total > 0)) continue;
          let mm = 0;
          for (let d = 0; d < q.length; d++) mm += m.vector[d]! ** 2;
          if (mm > 0) for (let d = 0; d < q.length; d++) q[d]! += (m.importance / total) * (m.vector[d]! / Math.sqrt(mm));
        }
        const n = sage.dim ? sage.vectors.length / sage.dim : 0;
        return Float64Array.from({ length: n }, (_, i) => sage.sim(i, q, o.centre));
      },
    },
  ];
}

/**
 * The retrieval methods of `npm run eval:recs -- --retrieval N`, fitted on one split's data (the
 * SageModel is trained once per data set and shared with the protocol rows): `popularity` (when given)
 * and the protocol rows' own scores over the whole catalogue (`mean-embedding`,
 * `mean-embedding-centred`, `pinsage`: nearest to the latest 20 cards) and the PinnerSage retrievers
 * above, clustered with `pinnerSage` (the app's settings: APP_PINNERSAGE threshold, λ, 20 clusters,
 * centred; `ranking`, when given, the finer cut's settings whose medoids rank).
 */
export async function catalogueRetrievers(
  sage: SageModel,
  data: RecData,
  o: { popularity?: Recommender; pinnerSage: PinnerSageRecOptions; ranking?: PinnerSageRecOptions; sample: number },
): Promise<Retriever[]> {
  const ps = new PinnerSageRecommender(sage, { ...o.pinnerSage, sample: Infinity, name: "pinnersage-clusters" });
  const rank = o.ranking
    ? new PinnerSageRecommender(sage, { ...o.ranking, sample: Infinity, name: "pinnersage-ranking-clusters" })
    : undefined;
  const recs: Recommender[] = [
    ...(o.popularity ? [o.popularity] : []),
    new MeanEmbeddingRecommender(sage),
    new MeanEmbeddingRecommender(sage, 90, true),
    new PinSageRecommender(sage, { recent: 20, aggregate: "max" }),
  ];
  for (const r of [...recs, ps, ...(rank ? [rank] : [])]) await r.fit(data);
  return [
    ...recs.map((r) => scoreRetriever(r, data.items)),
    ...pinnerSageRetrievers(sage, ps, { sample: o.sample, centre: o.pinnerSage.centre ?? false, ranking: rank }),
  ];
}
