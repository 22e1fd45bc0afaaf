// PinSage (Ying et al., KDD 2018) at our size: card embeddings that mix a card's own content vector
// with its random-walk neighbours', trained with a max-margin loss on cards engaged or saved together.
// Pure: plain arrays in, Float32Array embeddings out. The database adapter is app/services/pinsage.server.ts.

import { Adam, forward, initTheta, layout, lossAndGrad, type Inputs, type Layout, type Triple } from "./model";
import { degreeSampler, walkPairs, type WalkPool } from "./pairs";
import { mulberry32, pinCount, topNeighbours, walkRanking, type Rng, type WalkGraph } from "./walk";

export type { WalkGraph, Rng } from "./walk";
export { mulberry32, topNeighbours, walkRanking } from "./walk";
export { boardPairs, degreeSampler, walkPairs, type WalkPool } from "./pairs";

export type PinSageOptions = {
  /** Hidden units of the neighbour transform and the convolution (H). Default 64. */
  hidden?: number;
  /** Neighbours per card, top T by visit count. Default 10. */
  neighbours?: number;
  /** Walk steps from each card, and the restart probability after each step. Defaults 2000, 0.3. */
  walkSteps?: number;
  restart?: number;
  epochs?: number;
  batchSize?: number;
  /** Queries (one direction of a positive pair each) drawn per epoch; default all, at most 2048. */
  queriesPerEpoch?: number;
  lr?: number;
  /** Δ of the hinge; the scores are cosines. Default 0.1. */
  margin?: number;
  /** Random negatives shared by every query of a batch, drawn uniformly. Default 16. */
  randomNegatives?: number;
  /** More shared negatives drawn ∝ (degree + 1)^negativeExponent: popularity-aware. Defaults 0, 0.75. */
  popularNegatives?: number;
  negativeExponent?: number;
  /**
   * Co-engagement positives from the walks: each card on the graph paired with this many cards drawn
   * from the `walkPositiveTop` most visited of its walk, ∝ visits (pairs.ts walkPairs), added to the
   * given positives. Defaults 0 (off), 20.
   */
  walkPositives?: number;
  walkPositiveTop?: number;
  /** Hard negatives per query from ranks [hardFrom, hardTo) of its walk. Defaults 2, 200, 500. */
  hardNegatives?: number;
  hardFrom?: number;
  hardTo?: number;
  /** Probability of dropping a card's own content inside the convolution while training. Default 0 (off; see docs/decisions/0004). */
  selfDropout?: number;
  /**
   * Scale of G's initial weights (the graph term of z = normalize(c + G h)) against Xavier. Small:
   * z starts at the content vector; large: the neighbourhood speaks from the start. Default 0.3.
   */
  residualInit?: number;
  /** Curriculum: epoch e uses min(e, hardNegatives) hard negatives (none in the first). Default true. */
  curriculum?: boolean;
  seed?: number;
  onEpoch?: (info: EpochInfo) => void;
  onBatch?: (done: number, total: number) => void;
};

export type EpochInfo = { epoch: number; epochs: number; loss: number; hardNegatives: number; seconds: number };

/** Everything needed to embed a card later without retraining. */
export type PinSageWeights = {
  version: 1;
  dim: number;
  hidden: number;
  neighbours: number;
  walkSteps: number;
  restart: number;
  theta: Float64Array;
};

export type TrainedPinSage = {
  embed(pin: number): Float32Array;
  all: Float32Array[];
  weights: PinSageWeights;
  /** Per-card neighbours used (T slots, −1 = none) and their importance weights. */
  neighbourhood: { T: number; index: Int32Array; weight: Float32Array };
  losses: number[];
};

const DEFAULTS = {
  hidden: 64,
  neighbours: 10,
  walkSteps: 2000,
  restart: 0.3,
  epochs: 5,
  batchSize: 256,
  lr: 3e-3,
  margin: 0.1,
  randomNegatives: 16,
  popularNegatives: 0,
  negativeExponent: 0.75,
  walkPositives: 0,
  walkPositiveTop: 20,
  hardNegatives: 2,
  hardFrom: 200,
  hardTo: 500,
  curriculum: true,
  selfDropout: 0,
  residualInit: 0.3,
  seed: 42,
};

function unit(v: Float32Array | undefined, dim: number): Float32Array | undefined {
  if (!v) return undefined;
  if (v.length !== dim) throw new RangeError(`content vector of length ${v.length}, expected ${dim}`);
  let s = 0;
  for (let i = 0; i < dim; i++) s += v[i]! * v[i]!;
  if (s === 0) return undefined;
  const inv = 1 / Math.sqrt(s);
  if (Math.abs(s - 1) < 1e-6) return v;
  const out = new Float32Array(dim);
  for (let i = 0; i < dim; i++) out[i] = v[i]! * inv;
  return out;
}

/** Random-walk neighbourhoods of every card, and (for the cards listed) their hard-negative pools. */
export function neighbourhoods(
  graph: WalkGraph,
  o: { neighbours: number; walkSteps: number; restart: number; hardFrom: number; hardTo: number; seed: number; walkPositiveTop?: number },
  hardFor?: Set<number>,
  /** Keep every card's `walkPositiveTop` most visited cards and their visits (the walk-positive pools). */
  pools = false,
): { T: number; index: Int32Array; weight: Float32Array; hard: Map<number, Int32Array>; pools: (WalkPool | undefined)[] } {
  const N = pinCount(graph);
  const T = o.neighbours;
  const index = new Int32Array(N * T).fill(-1);
  const weight = new Float32Array(N * T);
  const hard = new Map<number, Int32Array>();
  const poolTop = pools ? (o.walkPositiveTop ?? 20) : 0;
  const poolList: (WalkPool | undefined)[] = new Array(pools ? N : 0);
  const limit = Math.max(T, hardFor?.size ? o.hardTo : 0, poolTop);
  for (let p = 0; p < N; p++) {
    const ranked = walkRanking(graph, p, o.walkSteps, o.restart, limit, (o.seed * 1_000_003 + p) | 0);
    const top = topNeighbours(ranked, T);
    for (let k = 0; k < top.pins.length; k++) {
      index[p * T + k] = top.pins[k]!;
      weight[p * T + k] = top.weights[k]!;
    }
    if (hardFor?.has(p) && ranked.pins.length > o.hardFrom) hard.set(p, ranked.pins.slice(o.hardFrom, o.hardTo));
    if (pools && ranked.pins.length) poolList[p] = { pins: ranked.pins.slice(0, poolTop), visits: ranked.visits.slice(0, poolTop) };
  }
  return { T, index, weight, hard, pools: poolList };
}

function toF32(z: Float64Array, row: number, dim: number): Float32Array {
  const out = new Float32Array(dim);
  for (let d = 0; d < dim; d++) out[d] = z[row * dim + d]!;
  return out;
}

/** Embeds the listed cards with the given parameters, in chunks to bound memory. */
function embedAll(L: Layout, theta: Float64Array, inp: Inputs, nodes: number[], chunk = 512): Float32Array[] {
  const out: Float32Array[] = [];
  for (let s = 0; s < nodes.length; s += chunk) {
    const part = nodes.slice(s, s + chunk);
    const f = forward(L, theta, inp, part);
    for (let k = 0; k < part.length; k++) out.push(toF32(f.z, k, L.dim));
  }
  return out;
}

function shuffle<T>(a: T[], rng: Rng): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/**
 * Trains PinSage on plain arrays: the pin–board graph (dense 0-based pin indices), each pin's content
 * vector (same length; a missing one counts as zero), and positive pairs of pins. Deterministic for a seed.
 */
export function trainPinSageModel(input: {
  graph: WalkGraph;
  content: ArrayLike<Float32Array | undefined>;
  positives: [number, number][];
  opts?: PinSageOptions;
}): TrainedPinSage {
  const given = Object.fromEntries(Object.entries(input.opts ?? {}).filter(([, v]) => v !== undefined)) as PinSageOptions;
  const o = { ...DEFAULTS, ...given };
  const { graph } = input;
  const N = pinCount(graph);
  if (input.content.length !== N) throw new RangeError(`content has ${input.content.length} vectors for ${N} pins`);
  let dim = 0;
  for (let i = 0; i < N && !dim; i++) dim = input.content[i]?.length ?? 0;
  if (!dim) throw new RangeError("no content vectors");
  const content: (Float32Array | undefined)[] = new Array(N);
  for (let i = 0; i < N; i++) content[i] = unit(input.content[i], dim);

  const queries: [number, number][] = [];
  for (const [a, b] of input.positives) {
    if (a === b || a < 0 || b < 0 || a >= N || b >= N) continue;
    queries.push([a, b], [b, a]);
  }
  const rng = mulberry32(o.seed);
  const withWalkPairs = o.walkPositives > 0;
  const hardWanted = new Set(o.hardNegatives > 0 ? queries.map((q) => q[0]) : []);
  if (withWalkPairs && o.hardNegatives > 0)
    for (let p = 0; p < N; p++) if (graph.pinOffsets[p + 1]! > graph.pinOffsets[p]!) hardWanted.add(p);
  const nb = neighbourhoods(graph, o, hardWanted, withWalkPairs);
  if (withWalkPairs) {
    for (const [a, b] of walkPairs(nb.pools, o.walkPositives, mulberry32((o.seed ^ 0x5a17) >>> 0)))
      if (a !== b) queries.push([a, b], [b, a]);
    nb.pools.length = 0;
  }
  const popular = degreeSampler(graph.pinOffsets, o.negativeExponent);
  const inp: Inputs = { content, T: nb.T, nbrIndex: nb.index, nbrWeight: nb.weight };

  const L = layout(dim, o.hidden);
  const theta = initTheta(L, rng, o.residualInit);
  const adam = new Adam(L.size, o.lr);
  const grad = new Float64Array(L.size);
  const losses: number[] = [];
  const perEpoch = Math.min(queries.length, o.queriesPerEpoch ?? 2048);
  const batches = Math.ceil(perEpoch / o.batchSize);

  for (let epoch = 0; epoch < o.epochs && queries.length > 0; epoch++) {
    const t0 = Date.now();
    const hardN = o.curriculum ? Math.min(epoch, o.hardNegatives) : o.hardNegatives;
    shuffle(queries, rng);
    let total = 0;
    for (let b = 0; b < batches; b++) {
      const batch = queries.slice(b * o.batchSize, Math.min(perEpoch, (b + 1) * o.batchSize));
      const pos = new Map<number, number>();
      const nodes: number[] = [];
      const at = (p: number) => {
        let k = pos.get(p);
        if (k === undefined) {
          k = nodes.length;
          pos.set(p, k);
          nodes.push(p);
        }
        return k;
      };
      const shared: number[] = [];
      for (let r = 0; r < o.randomNegatives; r++) shared.push(Math.floor(rng() * N));
      for (let r = 0; r < o.popularNegatives; r++) shared.push(popular(rng));
      const triples: Triple[] = [];
      for (const [q, p] of batch) {
        const negs: number[] = [];
        for (const n of shared) if (n !== q && n !== p) negs.push(at(n));
        const pool = nb.hard.get(q);
        if (pool && hardN > 0) {
          for (let h = 0; h < hardN; h++) {
            const n = pool[Math.floor(rng() * pool.length)]!;
            if (n !== p) negs.push(at(n));
          }
        }
        triples.push({ q: at(q), p: at(p), negs });
      }
      let selfScale: Float64Array | undefined;
      if (o.selfDropout > 0) {
        const keep = 1 / (1 - o.selfDropout);
        selfScale = Float64Array.from(nodes, () => (rng() < o.selfDropout ? 0 : keep));
      }
      grad.fill(0);
      total += lossAndGrad(L, theta, inp, nodes, triples, o.margin, grad, selfScale);
      adam.step(theta, grad);
      o.onBatch?.(b + 1, batches);
    }
    const loss = total / batches;
    losses.push(loss);
    o.onEpoch?.({ epoch: epoch + 1, epochs: o.epochs, loss, hardNegatives: hardN, seconds: (Date.now() - t0) / 1000 });
  }

  const all = embedAll(
    L,
    theta,
    inp,
    Array.from({ length: N }, (_, i) => i),
  );
  const weights: PinSageWeights = {
    version: 1,
    dim,
    hidden: o.hidden,
    neighbours: o.neighbours,
    walkSteps: o.walkSteps,
    restart: o.restart,
    theta,
  };
  return {
    embed: (pin: number) => {
      const v = all[pin];
      if (!v) throw new RangeError(`pin ${pin} out of range`);
      return v;
    },
    all,
    weights,
    neighbourhood: { T: nb.T, index: nb.index, weight: nb.weight },
    losses,
  };
}

/** A card to embed with saved weights: its content vector and its neighbours' (with importance weights). */
export type PinToEmbed = { content: Float32Array | undefined; neighbours: { content: Float32Array | undefined; weight: number }[] };

/**
 * Embeds cards with trained weights, without retraining (new cards: their neighbours come from a walk
 * on today's graph). Weights of each card's neighbours are normalised to sum to 1; at most T are used.
 */
export function embedPins(weights: PinSageWeights, items: PinToEmbed[]): Float32Array[] {
  const L = layout(weights.dim, weights.hidden);
  if (weights.theta.length !== L.size) throw new RangeError("weights do not match their layout");
  const T = weights.neighbours;
  const content: (Float32Array | undefined)[] = [];
  const nbrIndex = new Int32Array(items.length * T).fill(-1);
  const nbrWeight = new Float32Array(items.length * T);
  for (const it of items) content.push(unit(it.content, L.dim));
  items.forEach((it, i) => {
    const ns = it.neighbours.filter((n) => n.weight > 0).slice(0, T);
    const total = ns.reduce((s, n) => s + n.weight, 0);
    ns.forEach((n, k) => {
      nbrIndex[i * T + k] = content.length;
      nbrWeight[i * T + k] = n.weight / total;
      content.push(unit(n.content, L.dim));
    });
  });
  const nodes = items.map((_, i) => i);
  return embedAll(L, weights.theta, { content, T, nbrIndex, nbrWeight }, nodes);
}

/** Cosine of two unit vectors. */
export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
