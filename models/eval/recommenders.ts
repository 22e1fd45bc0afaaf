// The app's discovery modules wrapped as `Recommender`s for the leave-last-out evaluation: Pixie walks
// (models/pixie), PinSage neighbours (models/pinsage), PinnerSage medoids and the single
// mean-embedding baseline (models/pinnersage). Only plain arrays cross the boundary, exactly as the
// app's services hand them over.
//
// Mapping of a ratings file onto the app's graph (docs/decisions/0005-recs-eval.md):
// - items are cards (pins); each user's training items are that user's board (one board per user);
// - query pins for Pixie are the user's latest training items, weighted by recency (pixie's
//   queryWeights, ages measured from the user's last training timestamp) and by the rating;
// - interests (RecData.itemTags: MovieLens genres and tags) bias Pixie's walks towards cards that
//   share the user's interests;
// - content vectors (the app's sentence encoder over title + genres + tags) feed PinSage; positives
//   are the app's two kinds: cards on one board, and cards one person engaged with within 30 minutes.
import { buildGraph, pixie, pruneDiverseBoards, queryWeights, type PinBoardGraph, type PixieOptions } from "../pixie/index";
import { boardPairs, mulberry32, trainPinSageModel, type PinSageOptions, type TrainedPinSage } from "../pinsage/index";
import {
  centred,
  meanEmbedding,
  meanVector,
  pinnerSage,
  sampleMedoids,
  weightedMedoidScore,
  type PinnerSageOptions,
} from "../pinnersage/index";
import { itemPopularity, userHistories, type RecData, type Recommender, type UserHistory } from "./recs";

const DAY_SECONDS = 86_400;

/** The pin–board graph of the training rows: pins = items, board b = user b's training items. */
export function ratingsGraph(data: RecData): PinBoardGraph {
  const pins = Uint32Array.from(data.train, (r) => r.item);
  const boards = Uint32Array.from(data.train, (r) => r.user);
  return buildGraph(data.items, data.users, pins, boards);
}

/**
 * Seconds per unit of the file's timestamps: MovieLens uses Unix seconds; the engagement format may
 * hold milliseconds (ISO dates are parsed to ms). A median above 1e11 means milliseconds.
 */
export function timeUnitSeconds(data: RecData): number {
  if (data.train.length === 0) return 1;
  const sample = data.train
    .slice(0, 1000)
    .map((r) => Math.abs(r.t))
    .sort((a, b) => a - b);
  return sample[sample.length >> 1]! > 1e11 ? 1 / 1000 : 1;
}

/** Age in days of each of a user's training rows, from that user's last training row. */
function ageDays(h: UserHistory, unit: number): Float64Array {
  const last = h.times.length ? h.times[h.times.length - 1]! : 0;
  return h.times.map((t) => ((last - t) * unit) / DAY_SECONDS);
}

export type PixieRecOptions = Pick<PixieOptions, "steps" | "alpha" | "earlyStopPins" | "earlyStopVisits" | "walkers" | "biasTries"> & {
  /** Query weights halve every this many days (pixie's queryWeights). Default 14. */
  halfLifeDays?: number;
  /** At most this many query pins, the strongest. Default 20. */
  maxPins?: number;
  /** Query weight ∝ rating^ratingPower (0 = ignore ratings). Default 1. */
  ratingPower?: number;
  /** Bias walks towards cards sharing the user's interests (needs itemTags). Default true. */
  interestBias?: boolean;
  /** Lowest bias a card gets (1 = no bias). Default 0.3. */
  biasFloor?: number;
  /** Prune boards whose interests spread wider than this many bits (pixie's pruneDiverseBoards). */
  pruneEntropy?: number;
  /** Prune boards (people) with more than this many cards. */
  maxBoardSize?: number;
  seed?: number;
  name?: string;
};

/**
 * Pixie as a recommender: walks from the user's recent cards over the ratings graph; a candidate's
 * score is its boosted visit score (Σ_q √visits_q)², unvisited cards 0, ties broken by popularity
 * (a tiny popularity term that never reorders visited cards).
 */
export class PixieRecommender implements Recommender {
  readonly name: string;
  private graph: PinBoardGraph | null = null;
  private hist: UserHistory[] = [];
  private pop: Float64Array = new Float64Array(0);
  private maxPop = 1;
  private tags: number[][] | undefined;
  private unit = 1;
  private cache = new Map<number, number>();
  private cachedUser = -1;
  private keep: Uint8Array | undefined;
  constructor(private readonly o: PixieRecOptions = {}) {
    this.name = o.name ?? "pixie";
  }
  fit(data: RecData): void {
    const g = ratingsGraph(data);
    this.graph = g;
    this.keep = undefined;
    if (this.o.pruneEntropy !== undefined && data.itemTags)
      this.keep = pruneDiverseBoards(g, (p) => data.itemTags![p] ?? [], this.o.pruneEntropy);
    if (this.o.maxBoardSize !== undefined) {
      this.keep ??= new Uint8Array(g.boards).fill(1);
      for (let b = 0; b < g.boards; b++) if (g.boardOffsets[b + 1]! - g.boardOffsets[b]! > this.o.maxBoardSize) this.keep[b] = 0;
    }
    this.hist = userHistories(data);
    this.pop = itemPopularity(data);
    this.maxPop = Math.max(1, ...this.pop);
    this.tags = data.itemTags;
    this.unit = timeUnitSeconds(data);
    this.cachedUser = -1;
  }

  /** Query pins and weights for a user: recency (pixie's queryWeights) × rating^ratingPower. */
  queries(user: number): { pin: number; weight: number }[] {
    const h = this.hist[user]!;
    const ages = ageDays(h, this.unit);
    const events = Array.from(h.items, (pin, k) => ({ pin, action: "save", ageDays: ages[k]! }));
    const rated = new Map<number, number>();
    h.items.forEach((pin, k) => rated.set(pin, Math.max(rated.get(pin) ?? 0, h.weights[k]!)));
    const power = this.o.ratingPower ?? 1;
    return queryWeights(events, { halfLifeDays: this.o.halfLifeDays ?? 14, maxPins: Infinity })
      .map((q) => ({ pin: q.pin, weight: q.weight * Math.pow(rated.get(q.pin) ?? 1, power) }))
      .sort((a, b) => b.weight - a.weight || a.pin - b.pin)
      .slice(0, this.o.maxPins ?? 20);
  }

  /** Per-card preference in [floor, 1]: how much of the user's history shares the card's best interest. */
  private bias(user: number): Float32Array | undefined {
    if (!(this.o.interestBias ?? true) || !this.tags || !this.graph) return undefined;
    const h = this.hist[user]!;
    const share = new Map<number, number>();
    for (const pin of h.items) for (const t of this.tags[pin] ?? []) share.set(t, (share.get(t) ?? 0) + 1);
    let top = 0;
    for (const v of share.values()) top = Math.max(top, v);
    if (top === 0) return undefined;
    const floor = this.o.biasFloor ?? 0.3;
    const out = new Float32Array(this.graph.pins);
    for (let p = 0; p < out.length; p++) {
      let best = 0;
      for (const t of this.tags[p] ?? []) best = Math.max(best, (share.get(t) ?? 0) / top);
      out[p] = floor + (1 - floor) * best;
    }
    return out;
  }

  private walk(user: number): Map<number, number> {
    if (this.cachedUser === user) return this.cache;
    const g = this.graph!;
    const results = pixie(g, this.queries(user), {
      steps: this.o.steps ?? 100_000,
      alpha: this.o.alpha,
      earlyStopPins: this.o.earlyStopPins,
      earlyStopVisits: this.o.earlyStopVisits,
      walkers: this.o.walkers,
      biasTries: this.o.biasTries,
      pinBias: this.bias(user),
      boardKeep: this.keep,
      seed: (this.o.seed ?? 1) * 1_000_003 + user,
      limit: g.pins,
    });
    this.cache = new Map(results.map((r) => [r.pin, r.score]));
    this.cachedUser = user;
    return this.cache;
  }

  score(user: number, items: Uint32Array): Float64Array {
    const s = this.walk(user);
    return Float64Array.from(items, (i) => (s.get(i) ?? 0) + (0.5 * this.pop[i]!) / (this.maxPop + 1));
  }
}

export type SageOptions = {
  pinsage?: PinSageOptions;
  /** Board positives: each card with up to this many random cards of each board it is on. Default 3. */
  boardPairsPerCard?: number;
  /** Engagement positives: one person's cards within this many minutes, up to `followers` after each. */
  windowMinutes?: number;
  followers?: number;
  progress?: (message: string) => void;
};

/**
 * One PinSage model per training set, shared by the PinSage, PinnerSage and mean-embedding
 * recommenders (trained once per `fit` data). Content vectors come from `content` (the sentence
 * encoder's item vectors, computed and cached by the caller).
 */
export class SageModel {
  private trainedFor: RecData | null = null;
  model: TrainedPinSage | null = null;
  /** Unit-length PinSage vectors, items × dim, flat. */
  vectors: Float32Array = new Float32Array(0);
  dim = 0;
  hist: UserHistory[] = [];
  unit = 1;
  trainSeconds = 0;
  constructor(
    private readonly content: () => ArrayLike<Float32Array | undefined>,
    private readonly o: SageOptions = {},
  ) {}

  ensure(data: RecData): void {
    if (this.trainedFor === data) return;
    const t0 = performance.now();
    const graph = ratingsGraph(data);
    this.hist = userHistories(data);
    this.unit = timeUnitSeconds(data);
    const positives = [
      ...boardPairs(graph, this.o.boardPairsPerCard ?? 3, this.o.pinsage?.seed ?? 42),
      ...sessionPairs(this.hist, this.unit, this.o.windowMinutes ?? 30, this.o.followers ?? 3),
    ];
    this.o.progress?.(`PinSage: ${positives.length} positive pairs, training…`);
    this.model = trainPinSageModel({
      graph,
      content: this.content(),
      positives,
      opts: {
        ...this.o.pinsage,
        onEpoch: (e) => this.o.progress?.(`PinSage epoch ${e.epoch}/${e.epochs}: loss ${e.loss.toFixed(4)} (${e.seconds.toFixed(1)} s)`),
      },
    });
    this.dim = this.model.all[0]?.length ?? 0;
    this.vectors = new Float32Array(this.model.all.length * this.dim);
    this.model.all.forEach((v, i) => this.vectors.set(v, i * this.dim));
    this.trainedFor = data;
    this.trainSeconds = (performance.now() - t0) / 1000;
  }

  private centredFor: Float32Array | null = null;
  private centredVectors: Float32Array = new Float32Array(0);

  /**
   * The same vectors with the mean of all items' vectors subtracted, re-normalised. Every card shares
   * a large common direction (similar texts, PinSage's residual); without it cosines measure what
   * sets cards apart. Computed once per training.
   */
  private centredAll(): Float32Array {
    if (this.centredFor !== this.vectors) {
      const dim = this.dim;
      const n = dim ? this.vectors.length / dim : 0;
      const rows = Array.from({ length: n }, (_, i) => this.vectors.subarray(i * dim, (i + 1) * dim));
      // The same centring the app applies (models/pinnersage: meanVector, centred).
      const mu = meanVector(rows);
      const out = new Float32Array(this.vectors.length);
      rows.forEach((v, i) => out.set(centred(v, mu), i * dim));
      this.centredVectors = out;
      this.centredFor = this.vectors;
    }
    return this.centredVectors;
  }

  vector(item: number, centre = false): Float32Array {
    return (centre ? this.centredAll() : this.vectors).subarray(item * this.dim, (item + 1) * this.dim);
  }

  /** Cosine (vectors are unit length) of an item with a query vector. */
  sim(item: number, q: ArrayLike<number>, centre = false): number {
    const vs = centre ? this.centredAll() : this.vectors;
    const off = item * this.dim;
    let s = 0;
    for (let d = 0; d < this.dim; d++) s += vs[off + d]! * q[d]!;
    return s;
  }

  /** The user's engaged cards as PinnerSage wants them: vector, age from their last row, rating weight. */
  engaged(user: number, centre = false): { pin: number; vector: Float32Array; ageDays: number; weight: number }[] {
    const h = this.hist[user]!;
    const ages = ageDays(h, this.unit);
    return Array.from(h.items, (pin, k) => ({ pin, vector: this.vector(pin, centre), ageDays: ages[k]!, weight: h.weights[k]! }));
  }
}

/** The app's engagement positives: two cards one person engaged with within `windowMinutes`. */
export function sessionPairs(hist: UserHistory[], unit: number, windowMinutes: number, followers: number): [number, number][] {
  const out: [number, number][] = [];
  const seen = new Set<string>();
  const window = (windowMinutes * 60) / unit;
  for (const h of hist) {
    for (let i = 0; i < h.items.length; i++) {
      let taken = 0;
      for (let j = i + 1; j < h.items.length && taken < followers; j++) {
        if (h.times[j]! - h.times[i]! > window) break;
        const a = h.items[i]!;
        const b = h.items[j]!;
        if (a === b) continue;
        taken++;
        const key = a < b ? `${a}:${b}` : `${b}:${a}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push([a, b]);
      }
    }
  }
  return out;
}

export type PinSageAggregate = "max" | "mean" | "softmax" | "positive" | "centroid";

export type PinSageRecOptions = {
  /** The user's latest this many training cards are the query cards (Infinity = all of them). Default 20. */
  recent?: number;
  /**
   * How a candidate's cosines to the query cards become one score: "max" (the nearest card), "mean",
   * "softmax" (τ·log Σ w·exp(cos/τ) with w the recency weights normalised: near the max for a small
   * τ, near the weighted mean for a large one), "positive" (the weighted mean of max(0, cos): item-kNN's
   * Σ of non-negative cosines, divided by the person's total weight so that it stays on the prior's
   * scale), or "centroid" (the cosine to the normalised weighted mean of the query cards' vectors).
   * Default "max".
   */
  aggregate?: PinSageAggregate;
  temperature?: number;
  /** Recency weights: the k-th latest query card weighs ½^(k/halfLife). Default Infinity (equal). */
  halfLife?: number;
  /**
   * Mix in the same aggregate over the person's whole history: score = (1 − m)·agg(latest `recent`) +
   * m·agg(all cards). The latest cards say what the person is on now, the whole history what they
   * like at all. Default 0.
   */
  wholeHistory?: number;
  /** Add β·log(1 + training users of the candidate): a popularity prior. Default 0. */
  popularity?: number;
  /** Cosines on centred vectors (SageModel.vector(…, true)). Default false. */
  centre?: boolean;
  name?: string;
};

/** Recency weights of query cards given oldest first: the latest weighs 1, the k-th latest ½^(k/halfLife). */
export function recencyWeights(n: number, halfLife: number): Float64Array {
  return Float64Array.from({ length: n }, (_, idx) => Math.pow(0.5, (n - 1 - idx) / halfLife));
}

/**
 * One candidate's cosines to the query cards (weights w, not necessarily normalised) as one score, for
 * every aggregate but "centroid" (which needs the vectors). Softmax measures cosines from 1 (the
 * largest possible) inside the exponent, so every term is at most its weight.
 */
export function aggregateCosines(
  sims: ArrayLike<number>,
  w: ArrayLike<number>,
  agg: Exclude<PinSageAggregate, "centroid">,
  tau: number,
): number {
  const n = sims.length;
  if (n === 0) return 0;
  let best = -Infinity;
  let sum = 0;
  let pos = 0;
  let soft = 0;
  let wsum = 0;
  for (let k = 0; k < n; k++) {
    const s = sims[k]!;
    if (s > best) best = s;
    wsum += w[k]!;
    sum += w[k]! * s;
    pos += w[k]! * Math.max(0, s);
    if (agg === "softmax") soft += w[k]! * Math.exp((s - 1) / tau);
  }
  if (agg === "max") return best;
  if (agg === "mean") return sum / wsum;
  if (agg === "positive") return pos / wsum;
  return 1 + tau * Math.log(soft / wsum);
}

/**
 * PinSage neighbours: a candidate scores by its cosines to the PinSage vectors of the user's latest
 * `recent` training cards — what "more like the cards you just used" retrieves — aggregated by
 * `aggregate` (default: the highest), optionally mixed with the same over the whole history and plus
 * a popularity prior.
 */
export class PinSageRecommender implements Recommender {
  readonly name: string;
  private pop: Float64Array = new Float64Array(0);
  constructor(
    private readonly sage: SageModel,
    private readonly o: PinSageRecOptions = {},
  ) {
    this.name = o.name ?? "pinsage";
  }
  fit(data: RecData): void {
    this.sage.ensure(data);
    this.pop = this.o.popularity ? itemPopularity(data) : new Float64Array(0);
  }

  /** Scores of `items` against one set of query cards (oldest first). */
  private against(cards: Uint32Array, items: Uint32Array): Float64Array {
    const agg = this.o.aggregate ?? "max";
    const c = this.o.centre ?? false;
    const n = cards.length;
    if (n === 0) return new Float64Array(items.length);
    const w = recencyWeights(n, this.o.halfLife ?? Infinity);
    const qs = Array.from(cards, (j) => this.sage.vector(j, c));
    if (agg === "centroid") {
      const m = new Float64Array(this.sage.dim);
      qs.forEach((q, k) => q.forEach((x, d) => (m[d]! += w[k]! * x)));
      const norm = Math.hypot(...m) || 1;
      const unit = m.map((x) => x / norm);
      return Float64Array.from(items, (i) => this.sage.sim(i, unit, c));
    }
    const tau = this.o.temperature ?? 0.1;
    const sims = new Float64Array(n);
    return Float64Array.from(items, (i) => {
      for (let k = 0; k < n; k++) sims[k] = this.sage.sim(i, qs[k]!, c);
      return aggregateCosines(sims, w, agg, tau);
    });
  }

  score(user: number, items: Uint32Array): Float64Array {
    const all = this.sage.hist[user]!.items;
    const recent = all.subarray(Math.max(0, all.length - (this.o.recent ?? 20)));
    const m = this.o.wholeHistory ?? 0;
    const s = this.against(recent, items);
    if (m > 0) {
      const whole = this.against(all, items);
      for (let k = 0; k < s.length; k++) s[k] = (1 - m) * s[k]! + m * whole[k]!;
    }
    const beta = this.o.popularity ?? 0;
    if (beta) for (let k = 0; k < s.length; k++) s[k]! += beta * Math.log1p(this.pop[items[k]!]!);
    return s;
  }
}

/**
 * PinSage as chosen on the validation split of ml-latest-small (docs/decisions/0011): T = 50
 * importance-pooled neighbours, the app's positives (board mates, 30-minute sessions), 16 uniform plus
 * 16 popularity-aware shared negatives, mini-batches of 64 at lr 0.01, 20 epochs; a candidate scores
 * its cosine to the (normalised) mean of the latest 20 cards' vectors plus 0.05·log(1 + its
 * popularity). The centroid tied the softmax over the same cards (2026-12-06's rule, kept in
 * PINSAGE_SCORING) on validation and needs no temperature; every whole-history rule lost there.
 */
export const PINSAGE_EVAL: { sage: SageOptions & { pinsage: PinSageOptions }; score: PinSageRecOptions } = {
  sage: { pinsage: { neighbours: 50, batchSize: 64, lr: 0.01, popularNegatives: 16, epochs: 20 } },
  score: { recent: 20, aggregate: "centroid", popularity: 0.05 },
};

/**
 * The scoring rules compared on validation on PINSAGE_EVAL's model (docs/decisions/0011, 2026-12-07),
 * by method name; eval-recs runs one only when `--methods` names it.
 */
export const PINSAGE_SCORING: Record<string, PinSageRecOptions> = {
  "pinsage-softmax": { recent: 20, aggregate: "softmax", temperature: 0.1, popularity: 0.05 },
  "pinsage-all-softmax": { recent: Infinity, aggregate: "softmax", temperature: 0.1, popularity: 0.05 },
  "pinsage-all-softmax-no-prior": { recent: Infinity, aggregate: "softmax", temperature: 0.1 },
  "pinsage-all-positive": { recent: Infinity, aggregate: "positive", popularity: 0.05 },
  "pinsage-all-positive-no-prior": { recent: Infinity, aggregate: "positive" },
  "pinsage-mix": { recent: 20, aggregate: "softmax", temperature: 0.1, wholeHistory: 0.5, popularity: 0.05 },
};

export type PinnerSageRecOptions = PinnerSageOptions & {
  /** Medoids drawn by importance (seeded per user); Infinity = every kept cluster. Default 3. */
  sample?: number;
  /** Clusters kept per person, most important first, before sampling (the app keeps 20). Default all. */
  maxClusters?: number;
  seed?: number;
  name?: string;
  aggregate?: "max" | "weighted" | "softmax" | "interleave";
  temperature?: number;
  /** Cluster and score on centred vectors (SageModel.vector(…, true)). */
  centre?: boolean;
};

/**
 * PinnerSage: the user's engaged cards (last `maxAgeDays` before their last training row, PinSage
 * vectors, rating as the engagement weight) clustered with Ward's method; the `maxClusters` most
 * important kept, `sample` medoids drawn by importance (seeded per user). A candidate's score
 * aggregates its cosines to those medoids: "max" (the nearest interest, what per-medoid retrieval
 * ranks by), "weighted" (models/pinnersage weightedMedoidScore: Σ importance·cos, importance
 * normalised — the app's ranking when every kept medoid is used, on centred vectors) or "softmax"
 * (τ·log Σ importance·exp(cos/τ): near the max for small τ, near the weighted mean for large τ).
 */
export class PinnerSageRecommender implements Recommender {
  readonly name: string;
  private medoids = new Map<number, { pin: number; w: number }[]>();
  constructor(
    private readonly sage: SageModel,
    private readonly o: PinnerSageRecOptions = {},
  ) {
    this.name = o.name ?? "pinnersage";
  }
  fit(data: RecData): void {
    this.sage.ensure(data);
    this.medoids.clear();
  }
  /** The chosen medoids of a user and their normalised importance (computed once per fit). */
  userMedoids(user: number): { pin: number; w: number }[] {
    let m = this.medoids.get(user);
    if (!m) {
      const { sample, maxClusters, seed, name: _name, aggregate: _a, temperature: _t, centre, ...opts } = this.o;
      const clusters = pinnerSage(this.sage.engaged(user, centre), opts).slice(0, maxClusters ?? Infinity);
      const n = sample ?? 3;
      const picked = (
        n >= clusters.length ? clusters.filter((c) => c.importance > 0) : sampleMedoids(clusters, n, mulberry32((seed ?? 7) * 7919 + user))
      ).sort((a, b) => b.importance - a.importance);
      const total = picked.reduce((s, c) => s + c.importance, 0) || 1;
      m = picked.map((c) => ({ pin: c.medoid, w: c.importance / total }));
      this.medoids.set(user, m);
    }
    return m;
  }
  score(user: number, items: Uint32Array): Float64Array {
    const c = this.o.centre ?? false;
    const ms = this.userMedoids(user).map((m) => ({ v: this.sage.vector(m.pin, c), w: m.w }));
    const agg = this.o.aggregate ?? "max";
    const tau = this.o.temperature ?? 0.1;
    if (agg === "interleave" && ms.length) {
      // The app's old candidate list: each sampled medoid's neighbours in order, interleaved round by
      // round (the more important medoid first in a round). Score = −(round · medoids + position in round).
      const n = items.length;
      const best = new Float64Array(n).fill(Infinity);
      ms.forEach((m, k) => {
        const sims = Float64Array.from(items, (i) => this.sage.sim(i, m.v, c));
        const order = Array.from({ length: n }, (_, j) => j).sort((a, b) => sims[b]! - sims[a]! || a - b);
        order.forEach((j, r) => (best[j] = Math.min(best[j]!, r * ms.length + k)));
      });
      return best.map((b) => -b);
    }
    if (agg === "weighted") {
      // Exactly the app's ranking function (app/services/pinnersage.server.ts).
      const medoids = ms.map((m) => ({ vector: m.v, importance: m.w }));
      return Float64Array.from(items, (i) => weightedMedoidScore(this.sage.vector(i, c), medoids));
    }
    return Float64Array.from(items, (i) => {
      if (!ms.length) return 0;
      if (agg === "max") {
        let best = -Infinity;
        for (const m of ms) best = Math.max(best, this.sage.sim(i, m.v, c));
        return best;
      }
      let s = 0;
      for (const m of ms) s += m.w * Math.exp(this.sage.sim(i, m.v, c) / tau);
      return tau * Math.log(s);
    });
  }
}

/** The single-embedding baseline: cosine to the mean of the user's engaged cards' PinSage vectors. */
export class MeanEmbeddingRecommender implements Recommender {
  readonly name: string;
  private means = new Map<number, Float32Array | null>();
  constructor(
    private readonly sage: SageModel,
    private readonly maxAgeDays = 90,
    private readonly centre = false,
    name?: string,
  ) {
    this.name = name ?? (centre ? "mean-embedding-centred" : "mean-embedding");
  }
  fit(data: RecData): void {
    this.sage.ensure(data);
    this.means.clear();
  }
  score(user: number, items: Uint32Array): Float64Array {
    let m = this.means.get(user);
    if (m === undefined) {
      m = meanEmbedding(this.sage.engaged(user, this.centre), this.maxAgeDays);
      this.means.set(user, m);
    }
    const q = m;
    return Float64Array.from(items, (i) => (q ? this.sage.sim(i, q, this.centre) : 0));
  }
}
