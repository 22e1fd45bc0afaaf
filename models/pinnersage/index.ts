// PinnerSage (Pal et al., KDD 2020): a person is many embeddings, not one. Their recently engaged cards
// are clustered with Ward's method, each cluster is represented by its medoid (a real card, so the UI
// can say "because you saved …") and weighted by recency; a few medoids are sampled by weight and their
// neighbours retrieved. Pure: plain vectors in, clusters out. The database adapter is
// app/services/pinnersage.server.ts.

/** One merge of the dendrogram, as scipy numbers them: leaves 0..n−1, the k-th merge makes cluster n+k. */
export type Merge = { a: number; b: number; cost: number; size: number };

/** ΔESS of merging clusters of sizes na, nb with centroid distance² d2: the increase in within-cluster squared error. */
export const wardCost = (na: number, nb: number, d2: number) => ((na * nb) / (na + nb)) * d2;

function sqDist(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    s += d * d;
  }
  return s;
}

/**
 * Ward agglomerative clustering with Lance–Williams updates on the merge-cost matrix, O(n²) memory and
 * O(n³) time in the worst case (n ≤ a few hundred here). D(i, j) holds ΔESS(i, j) — for two single
 * cards ‖x_i − x_j‖²/2 — and after merging i and j into ij, for every other cluster k:
 *   D(k, ij) = [(n_i + n_k) D(k, i) + (n_j + n_k) D(k, j) − n_k D(i, j)] / (n_i + n_j + n_k)
 * Returns the n − 1 merges in order; Ward's costs never decrease. Ties go to the lowest (i, j) pair.
 */
export function ward(vectors: ArrayLike<number>[]): Merge[] {
  const n = vectors.length;
  if (n < 2) return [];
  const D = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = sqDist(vectors[i]!, vectors[j]!) / 2;
      D[i * n + j] = v;
      D[j * n + i] = v;
    }
  }
  const size = new Int32Array(n).fill(1);
  const label = Int32Array.from({ length: n }, (_, i) => i); // slot → cluster id
  const active = new Uint8Array(n).fill(1);
  // Each slot's nearest active slot with a higher index, cached and repaired after merges.
  const nn = new Int32Array(n).fill(-1);
  const nnCost = new Float64Array(n).fill(Infinity);
  const refresh = (i: number) => {
    let best = -1;
    let bc = Infinity;
    for (let j = i + 1; j < n; j++) {
      if (!active[j]) continue;
      const c = D[i * n + j]!;
      if (c < bc) {
        bc = c;
        best = j;
      }
    }
    nn[i] = best;
    nnCost[i] = bc;
  };
  for (let i = 0; i < n; i++) refresh(i);
  const merges: Merge[] = [];
  for (let step = 0; step < n - 1; step++) {
    let i = -1;
    let bc = Infinity;
    for (let s = 0; s < n; s++) {
      if (active[s] && nn[s]! >= 0 && nnCost[s]! < bc) {
        bc = nnCost[s]!;
        i = s;
      }
    }
    const j = nn[i]!; // i < j
    const ni = size[i]!;
    const nj = size[j]!;
    const dij = D[i * n + j]!;
    const la = label[i]!;
    const lb = label[j]!;
    merges.push({ a: Math.min(la, lb), b: Math.max(la, lb), cost: dij, size: ni + nj });
    // The merged cluster lives in slot i; slot j retires.
    active[j] = 0;
    for (let k = 0; k < n; k++) {
      if (!active[k] || k === i) continue;
      const nk = size[k]!;
      const v = ((ni + nk) * D[k * n + i]! + (nj + nk) * D[k * n + j]! - nk * dij) / (ni + nj + nk);
      D[k * n + i] = v;
      D[i * n + k] = v;
    }
    size[i] = ni + nj;
    label[i] = n + step;
    // Repair caches: slot i's row changed; rows pointing at i or j may have lost or gained their best.
    refresh(i);
    for (let k = 0; k < i; k++) {
      if (!active[k]) continue;
      if (nn[k] === i || nn[k] === j) refresh(k);
      else if (D[k * n + i]! < nnCost[k]! || (D[k * n + i] === nnCost[k] && i < nn[k]!)) {
        nn[k] = i;
        nnCost[k] = D[k * n + i]!;
      }
    }
    for (let k = i + 1; k < j; k++) if (active[k] && nn[k] === j) refresh(k);
  }
  return merges;
}

/**
 * The same clustering computed from scratch: at every step the ΔESS of every pair of current clusters
 * is recomputed from their members' centroids. O(n³·d); for testing ward() only.
 */
export function naiveWard(vectors: ArrayLike<number>[]): Merge[] {
  const n = vectors.length;
  const d = n ? vectors[0]!.length : 0;
  let clusters = vectors.map((_, i) => ({ id: i, members: [i] }));
  const centroid = (m: number[]) => {
    const c = new Float64Array(d);
    for (const i of m) for (let k = 0; k < d; k++) c[k]! += vectors[i]![k]!;
    for (let k = 0; k < d; k++) c[k]! /= m.length;
    return c;
  };
  const merges: Merge[] = [];
  for (let step = 0; step < n - 1; step++) {
    let best = { x: -1, y: -1, cost: Infinity };
    for (let x = 0; x < clusters.length; x++) {
      for (let y = x + 1; y < clusters.length; y++) {
        const A = clusters[x]!.members;
        const B = clusters[y]!.members;
        const cost = wardCost(A.length, B.length, sqDist(centroid(A), centroid(B)));
        if (cost < best.cost) best = { x, y, cost };
      }
    }
    const A = clusters[best.x]!;
    const B = clusters[best.y]!;
    merges.push({ a: Math.min(A.id, B.id), b: Math.max(A.id, B.id), cost: best.cost, size: A.members.length + B.members.length });
    clusters = clusters.filter((_, k) => k !== best.x && k !== best.y);
    clusters.push({ id: n + step, members: [...A.members, ...B.members] });
  }
  return merges;
}

/**
 * Flat clusters from the dendrogram: apply merges while their cost is at most `threshold`.
 * Returns each cluster's member indices (into the input), larger clusters first.
 */
export function cutDendrogram(n: number, merges: Merge[], threshold: number): number[][] {
  const members = new Map<number, number[]>();
  for (let i = 0; i < n; i++) members.set(i, [i]);
  merges.forEach((m, k) => {
    if (m.cost > threshold) return;
    const a = members.get(m.a);
    const b = members.get(m.b);
    if (!a || !b) return; // a child was left unmerged above the threshold (cannot happen for Ward's monotone costs)
    members.delete(m.a);
    members.delete(m.b);
    members.set(n + k, [...a, ...b]);
  });
  return [...members.values()].map((m) => m.sort((x, y) => x - y)).sort((x, y) => y.length - x.length || x[0]! - y[0]!);
}

/** The member with the least sum of squared distances to the other members (cosine distance for unit vectors). */
export function medoid(vectors: ArrayLike<number>[], members: number[]): number {
  let best = members[0]!;
  let bestSum = Infinity;
  for (const i of members) {
    let s = 0;
    for (const j of members) if (i !== j) s += sqDist(vectors[i]!, vectors[j]!);
    if (s < bestSum) {
      bestSum = s;
      best = i;
    }
  }
  return best;
}

export type Engaged = { pin: number; vector: Float32Array; ageDays: number; weight?: number };
export type Cluster = { medoid: number; members: number[]; importance: number };

export type PinnerSageOptions = {
  /** Stop merging when ΔESS would exceed this. Default 0.75 (see docs/decisions/0004). */
  threshold?: number;
  /** Recency decay per day for importance. Default 0.01. */
  lambda?: number;
  /** Engagements older than this are ignored. Default 90. */
  maxAgeDays?: number;
  /** At most this many distinct cards are clustered, the most recently engaged. Default 200. */
  maxPins?: number;
};

type Distinct = { pin: number; vector: Float32Array; newest: number; importance: number };

function distinctPins(engaged: Engaged[], o: Required<PinnerSageOptions>): Distinct[] {
  const byPin = new Map<number, Distinct>();
  for (const e of engaged) {
    if (!(e.ageDays <= o.maxAgeDays)) continue;
    const age = Math.max(0, e.ageDays);
    const w = (e.weight ?? 1) * Math.exp(-o.lambda * age);
    const d = byPin.get(e.pin);
    if (d) {
      d.importance += w;
      d.newest = Math.min(d.newest, age);
    } else byPin.set(e.pin, { pin: e.pin, vector: e.vector, newest: age, importance: w });
  }
  return [...byPin.values()].sort((a, b) => a.newest - b.newest || a.pin - b.pin).slice(0, o.maxPins);
}

/**
 * A person's interests as clusters of the cards they engaged with: Ward clustering of the distinct
 * cards (the most recent maxPins of the last maxAgeDays), cut at `threshold`; each cluster's medoid and
 * importance Σ weight·exp(−λ·age_days) over its cards' engagements. Most important first.
 */
export function pinnerSage(engaged: Engaged[], opts: PinnerSageOptions = {}): Cluster[] {
  const o = withDefaults(opts);
  return pinnerSageLevels(engaged, { ...o, rankingThreshold: o.threshold }).interests;
}

/**
 * The same dendrogram cut twice (docs/decisions/0008): `interests` at `threshold` — what the feed
 * samples medoids from and names ("because you saved …") — and `ranking` at the finer
 * `rankingThreshold` — the points a retrieved card is scored against. One Ward run; every ranking
 * cluster lies inside one interest cluster when rankingThreshold ≤ threshold.
 */
export function pinnerSageLevels(
  engaged: Engaged[],
  opts: PinnerSageOptions & { rankingThreshold: number },
): { interests: Cluster[]; ranking: Cluster[] } {
  const o = withDefaults(opts);
  const pins = distinctPins(engaged, o);
  if (pins.length === 0) return { interests: [], ranking: [] };
  const vectors = pins.map((p) => p.vector);
  const merges = ward(vectors);
  const clustersAt = (threshold: number): Cluster[] =>
    cutDendrogram(pins.length, merges, threshold)
      .map((g) => ({
        medoid: pins[medoid(vectors, g)]!.pin,
        members: g.map((i) => pins[i]!.pin),
        importance: g.reduce((s, i) => s + pins[i]!.importance, 0),
      }))
      .sort((a, b) => b.importance - a.importance || b.members.length - a.members.length || a.medoid - b.medoid);
  const interests = clustersAt(o.threshold);
  return { interests, ranking: opts.rankingThreshold === o.threshold ? interests : clustersAt(opts.rankingThreshold) };
}

function withDefaults(opts: PinnerSageOptions): Required<PinnerSageOptions> {
  return {
    threshold: opts.threshold ?? 0.75,
    lambda: opts.lambda ?? 0.01,
    maxAgeDays: opts.maxAgeDays ?? 90,
    maxPins: opts.maxPins ?? 200,
  };
}

/** Draws up to k clusters without replacement, each draw proportional to importance. */
export function sampleMedoids<C extends { importance: number }>(clusters: C[], k = 3, rng: () => number = Math.random): C[] {
  const pool = clusters.filter((c) => c.importance > 0);
  const out: C[] = [];
  while (out.length < k && pool.length > 0) {
    const total = pool.reduce((s, c) => s + c.importance, 0);
    let r = rng() * total;
    let idx = pool.length - 1;
    for (let i = 0; i < pool.length; i++) {
      r -= pool[i]!.importance;
      if (r < 0) {
        idx = i;
        break;
      }
    }
    out.push(pool.splice(idx, 1)[0]!);
  }
  return out;
}

/** The single-embedding baseline: the normalised mean of the distinct engaged cards' vectors. */
export function meanEmbedding(engaged: { pin: number; vector: Float32Array; ageDays?: number }[], maxAgeDays = 90): Float32Array | null {
  const seen = new Set<number>();
  let sum: Float64Array | null = null;
  for (const e of engaged) {
    if (seen.has(e.pin) || (e.ageDays !== undefined && !(e.ageDays <= maxAgeDays))) continue;
    seen.add(e.pin);
    sum ??= new Float64Array(e.vector.length);
    for (let i = 0; i < e.vector.length; i++) sum[i]! += e.vector[i]!;
  }
  if (!sum) return null;
  let s = 0;
  for (const v of sum) s += v * v;
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  return Float32Array.from(sum, (v) => v * inv);
}

// ── Ranking (docs/decisions/0006-pinnersage-ranking.md) ──────────────────────────────────────────
// Retrieval follows the rule (up to 3 medoids sampled by importance, their nearest cards);
// ranking scores every candidate against EVERY ranking medoid of the person (a finer cut of the same
// dendrogram, docs/decisions/0008), importance-weighted, on CENTRED vectors: the mean of all cards'
// vectors subtracted, then re-normalised. Every card shares a large common direction (similar short
// texts; PinSage's output is a residual on the content vector), so raw cosines are all high and say
// little; centred cosines measure what sets cards apart.

/** The settings the app uses, shared with the offline evaluation so its `pinnersage` row is the app's. */
export const APP_PINNERSAGE = {
  /**
   * Ward cut for a person's interests, on centred vectors (docs/decisions/0006): what the feed samples
   * medoids from and names. For two single cards the cost is 1 − cos, so this merges cards at centred
   * cosine ≥ 0.25; starter-library topics stay apart at any cut below ~2.4.
   */
  threshold: 0.75,
  /**
   * The finer cut of the same dendrogram whose medoids rank retrieved cards (docs/decisions/0008):
   * near-duplicates (centred cosine ≥ 0.75) merge, distinct cards stay points of their own. On MovieLens
   * validation (5 seeds) it ranks 0.525 / 0.302 HR / NDCG@10 against 0.509 / 0.290 with the interest cut.
   */
  rankingThreshold: 0.25,
  /** Recency decay per day of importance, as the issue fixes it. */
  lambda: 0.01,
  /** Interest clusters kept per person, most important first; sampling draws from these. */
  maxClusters: 20,
  /** Ranking clusters kept per person, most important first; all of them score every candidate. */
  maxRankingClusters: 20,
  /** Medoids sampled by importance for retrieval. */
  sample: 3,
} as const;

/** The component-wise mean of equally long vectors (Float64; empty input → empty vector). */
export function meanVector(vectors: ArrayLike<number>[]): Float64Array {
  const dim = vectors[0]?.length ?? 0;
  const sum = new Float64Array(dim);
  for (const v of vectors) for (let d = 0; d < dim; d++) sum[d]! += v[d]!;
  if (vectors.length) for (let d = 0; d < dim; d++) sum[d]! /= vectors.length;
  return sum;
}

/** v − centre, scaled to unit length (a vector equal to the centre stays all zeros). */
export function centred(v: ArrayLike<number>, centre: ArrayLike<number>): Float32Array {
  const out = new Float32Array(v.length);
  let s = 0;
  for (let d = 0; d < v.length; d++) {
    const x = v[d]! - (centre[d] ?? 0);
    out[d] = x;
    s += x * x;
  }
  if (s > 0) {
    const inv = 1 / Math.sqrt(s);
    for (let d = 0; d < out.length; d++) out[d]! *= inv;
  }
  return out;
}

export type WeightedMedoid = { vector: ArrayLike<number>; importance: number };

/**
 * Σ_m (importance_m / Σ importance) · cos(x, medoid_m) over every medoid given (cosine computed with
 * norms, so unnormalised vectors are fine; a zero vector contributes 0). No medoid or no importance → 0.
 */
export function weightedMedoidScore(x: ArrayLike<number>, medoids: WeightedMedoid[]): number {
  let total = 0;
  for (const m of medoids) if (m.importance > 0) total += m.importance;
  if (!(total > 0)) return 0;
  let xx = 0;
  for (let d = 0; d < x.length; d++) xx += x[d]! * x[d]!;
  if (xx === 0) return 0;
  let score = 0;
  for (const m of medoids) {
    if (!(m.importance > 0)) continue;
    let dot = 0;
    let mm = 0;
    for (let d = 0; d < x.length; d++) {
      const y = m.vector[d]!;
      dot += x[d]! * y;
      mm += y * y;
    }
    if (mm > 0) score += (m.importance / total) * (dot / Math.sqrt(xx * mm));
  }
  return score;
}
