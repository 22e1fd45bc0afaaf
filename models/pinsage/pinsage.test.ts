import { describe, expect, it } from "vitest";
import { buildGraph } from "../pixie/graph";
import { degreeSampler, embedPins, trainPinSageModel, dot, walkPairs } from "./index";
import { initTheta, layout, lossAndGrad, type Inputs, type Triple } from "./model";
import { mulberry32, walkRanking } from "./walk";

function gaussian(rng: () => number): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}
function unitVec(v: number[]): Float32Array {
  const n = Math.hypot(...v);
  return Float32Array.from(v, (x) => x / n);
}

describe("PinSage gradients", () => {
  it.each([
    ["", undefined],
    [" with the card's own content dropped from some convolutions", Float64Array.of(0, 2, 2, 0, 2, 0, 2)],
  ])("match central finite differences for every parameter%s", (_, selfScale) => {
    const rng = mulberry32(7);
    const D = 6;
    const H = 4;
    const N = 9;
    const T = 3;
    const L = layout(D, H);
    const theta = initTheta(L, rng, 1);
    // Larger biases keep most ReLUs away from their kink, where a finite difference is not a derivative.
    const content = Array.from({ length: N }, () => unitVec(Array.from({ length: D }, () => gaussian(rng))));
    content[4] = undefined as unknown as Float32Array; // a card without a content vector
    const nbrIndex = new Int32Array(N * T).fill(-1);
    const nbrWeight = new Float32Array(N * T);
    for (let i = 0; i < N; i++) {
      const k = i === 8 ? 0 : 1 + (i % T); // card 8 has no neighbours
      const ws = Array.from({ length: k }, () => 0.2 + rng());
      const tot = ws.reduce((a, b) => a + b, 0);
      for (let s = 0; s < k; s++) {
        nbrIndex[i * T + s] = (i + 1 + s * 2) % N;
        nbrWeight[i * T + s] = ws[s]! / tot;
      }
    }
    const inp: Inputs = { content, T, nbrIndex, nbrWeight };
    const nodes = [0, 1, 2, 3, 5, 8, 4];
    const triples: Triple[] = [
      { q: 0, p: 1, negs: [2, 3, 5] },
      { q: 3, p: 4, negs: [0, 6] },
      { q: 5, p: 6, negs: [1, 2] },
    ];
    const margin = 3; // every hinge active
    const grad = new Float64Array(L.size);
    const loss = lossAndGrad(L, theta, inp, nodes, triples, margin, grad, selfScale);
    expect(loss).toBeGreaterThan(0);
    const h = 1e-6;
    let worst = 0;
    let checked = 0;
    for (let k = 0; k < L.size; k++) {
      const keep = theta[k]!;
      theta[k] = keep + h;
      const up = lossAndGrad(L, theta, inp, nodes, triples, margin, new Float64Array(L.size), selfScale);
      theta[k] = keep - h;
      const down = lossAndGrad(L, theta, inp, nodes, triples, margin, new Float64Array(L.size), selfScale);
      theta[k] = keep;
      const numeric = (up - down) / (2 * h);
      const err = Math.abs(numeric - grad[k]!) / Math.max(1e-4, Math.abs(numeric) + Math.abs(grad[k]!));
      worst = Math.max(worst, err);
      checked++;
    }
    expect(checked).toBe(L.size);
    expect(worst).toBeLessThan(1e-5);
    // Every block of parameters gets some gradient.
    for (const [from, to] of [
      [L.Q, L.q],
      [L.q, L.W],
      [L.W, L.w],
      [L.w, L.G],
      [L.G, L.size],
    ] as const) {
      expect(grad.subarray(from, to).some((g) => Math.abs(g) > 1e-8)).toBe(true);
    }
  });
});

/** Communities of cards: boards hold cards of one community; content is a weak community signal in noise. */
function communities(seed: number, K = 4, perK = 24, D = 32, boardsPerK = 5, signal = 0.35) {
  const rng = mulberry32(seed);
  const centres = Array.from({ length: K }, () => unitVec(Array.from({ length: D }, () => gaussian(rng))));
  const N = K * perK;
  const community = Array.from({ length: N }, (_, i) => Math.floor(i / perK));
  const content = community.map((c) =>
    unitVec(Array.from({ length: D }, (_, d) => signal * centres[c]![d]! + gaussian(rng) / Math.sqrt(D))),
  );
  const edgePins: number[] = [];
  const edgeBoards: number[] = [];
  const boardMembers: number[][] = [];
  for (let c = 0; c < K; c++) {
    for (let b = 0; b < boardsPerK; b++) {
      const members = new Set<number>();
      while (members.size < 8) members.add(c * perK + Math.floor(rng() * perK));
      boardMembers.push([...members]);
      for (const p of members) {
        edgePins.push(p);
        edgeBoards.push(boardMembers.length - 1);
      }
    }
  }
  const graph = buildGraph(N, boardMembers.length, edgePins, edgeBoards);
  const positives: [number, number][] = [];
  for (const m of boardMembers) for (let i = 0; i + 1 < m.length; i++) positives.push([m[i]!, m[i + 1]!]);
  return { graph, content, community, positives, N };
}

/** Share of each card's 5 nearest cards (by cosine) that are of its community. */
function precisionAt5(vecs: Float32Array[], community: number[]): number {
  let hits = 0;
  for (let i = 0; i < vecs.length; i++) {
    const near = vecs
      .map((v, j) => ({ j, s: j === i ? -Infinity : dot(vecs[i]!, v) }))
      .sort((a, b) => b.s - a.s)
      .slice(0, 5);
    hits += near.filter((x) => community[x.j] === community[i]).length;
  }
  return hits / (vecs.length * 5);
}

describe("PinSage training", () => {
  const opts = { hidden: 16, neighbours: 8, walkSteps: 400, epochs: 8, batchSize: 32, lr: 0.01, hardFrom: 30, hardTo: 60, seed: 3 };

  it("learns embeddings whose neighbours share a community more often than content alone", () => {
    const s = communities(11);
    const losses: number[] = [];
    const m = trainPinSageModel({
      graph: s.graph,
      content: s.content,
      positives: s.positives,
      opts: { ...opts, onEpoch: (e) => losses.push(e.loss) },
    });
    expect(m.all).toHaveLength(s.N);
    for (const v of m.all) expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    expect(losses).toHaveLength(8);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    const before = precisionAt5(s.content, s.community);
    const after = precisionAt5(m.all, s.community);
    expect(after).toBeGreaterThan(before + 0.2);
    expect(after).toBeGreaterThan(0.85);
  });

  it("is deterministic for a seed", () => {
    const s = communities(5, 3, 12, 16, 3);
    const a = trainPinSageModel({ graph: s.graph, content: s.content, positives: s.positives, opts: { ...opts, epochs: 2 } });
    const b = trainPinSageModel({ graph: s.graph, content: s.content, positives: s.positives, opts: { ...opts, epochs: 2 } });
    expect(Array.from(a.all[7]!)).toEqual(Array.from(b.all[7]!));
    expect(Array.from(a.weights.theta)).toEqual(Array.from(b.weights.theta));
  });

  it("embeds a card later from saved weights exactly as training did, given the same neighbours", () => {
    const s = communities(9, 3, 12, 16, 3);
    const m = trainPinSageModel({ graph: s.graph, content: s.content, positives: s.positives, opts: { ...opts, epochs: 2 } });
    const { T, index, weight } = m.neighbourhood;
    const items = [0, 13, 30].map((p) => {
      const neighbours = [];
      for (let k = 0; k < T && index[p * T + k]! >= 0; k++)
        neighbours.push({ content: s.content[index[p * T + k]!], weight: weight[p * T + k]! });
      return { content: s.content[p], neighbours };
    });
    const again = embedPins(m.weights, items);
    [0, 13, 30].forEach((p, i) => {
      for (let d = 0; d < again[i]!.length; d++) expect(again[i]![d]).toBeCloseTo(m.all[p]![d]!, 6);
    });
    // Without neighbours a card still gets an embedding near its content vector.
    const alone = embedPins(m.weights, [{ content: s.content[0], neighbours: [] }])[0]!;
    expect(dot(alone, s.content[0]!)).toBeGreaterThan(0.3);
  });
});

describe("random-walk neighbours", () => {
  it("visit only cards reachable through shared boards, most visited first", () => {
    // Board 0: pins 0,1,2; board 1: pins 2,3; board 2: pins 4,5 (unreachable from 0).
    const g = buildGraph(6, 3, [0, 1, 2, 2, 3, 4, 5], [0, 0, 0, 1, 1, 2, 2]);
    const r = walkRanking(g, 0, 5000, 0.5, 10, 1);
    expect(new Set(r.pins)).toEqual(new Set([1, 2, 3]));
    for (let i = 1; i < r.visits.length; i++) expect(r.visits[i - 1]!).toBeGreaterThanOrEqual(r.visits[i]!);
    expect(r.pins[r.pins.length - 1]).toBe(3); // two boards away
    const alone = walkRanking(buildGraph(2, 1, [1], [0]), 0, 100, 0.5, 10, 1);
    expect(alone.pins).toHaveLength(0);
  });
});

/** The obviously correct sampler: a linear scan over the visits, one uniform draw per positive. */
function plainWalkPairs(
  pools: ({ pins: ArrayLike<number>; visits: ArrayLike<number> } | undefined)[],
  perPin: number,
  rng: () => number,
): [number, number][] {
  const out: [number, number][] = [];
  pools.forEach((pool, q) => {
    if (!pool || pool.pins.length === 0 || perPin <= 0) return;
    const total = Array.from(pool.visits).reduce((a, b) => a + Math.max(0, b), 0);
    if (total <= 0) return;
    for (let r = 0; r < perPin; r++) {
      let x = rng() * total;
      let k = 0;
      while (k < pool.pins.length - 1 && x >= Math.max(0, pool.visits[k]!)) x -= Math.max(0, pool.visits[k++]!);
      out.push([q, pool.pins[k]!]);
    }
  });
  return out;
}

describe("walk positives (co-engagement pairs from random walks)", () => {
  const pools = [
    { pins: Int32Array.of(3, 1, 2), visits: Int32Array.of(50, 30, 20) },
    undefined,
    { pins: Int32Array.of(0), visits: Int32Array.of(7) },
    { pins: Int32Array.of(), visits: Int32Array.of() },
    { pins: Int32Array.of(2, 0, 1, 4), visits: Int32Array.of(9, 9, 1, 0) },
  ];

  it("draw the same pairs as the plain linear-scan sampler, for the same random numbers", () => {
    const a = walkPairs(pools, 25, mulberry32(4));
    const b = plainWalkPairs(pools, 25, mulberry32(4));
    expect(a).toEqual(b);
    expect(a).toHaveLength(75); // cards 1 and 3 have no pool
    expect(a.filter(([q]) => q === 4).some(([, p]) => p === 4)).toBe(false); // zero visits: never drawn
  });

  it("draw each card of the pool in proportion to its visit count", () => {
    const pairs = walkPairs([pools[0]], 20_000, mulberry32(9));
    const share = (p: number) => pairs.filter(([, x]) => x === p).length / pairs.length;
    expect(share(3)).toBeCloseTo(0.5, 1);
    expect(share(1)).toBeCloseTo(0.3, 1);
    expect(share(2)).toBeCloseTo(0.2, 1);
  });

  it("come from the walk: training with walk positives only still learns the communities", () => {
    const s = communities(11);
    const m = trainPinSageModel({
      graph: s.graph,
      content: s.content,
      positives: [],
      opts: {
        hidden: 16,
        neighbours: 8,
        walkSteps: 400,
        epochs: 8,
        batchSize: 32,
        lr: 0.01,
        hardFrom: 30,
        hardTo: 60,
        seed: 3,
        walkPositives: 4,
        walkPositiveTop: 10,
        popularNegatives: 4,
      },
    });
    expect(precisionAt5(m.all, s.community)).toBeGreaterThan(precisionAt5(s.content, s.community) + 0.2);
  });
});

describe("popularity-aware negatives", () => {
  it("draw cards ∝ (degree + 1)^exponent, like the plain cumulative scan; exponent 0 is uniform", () => {
    // Degrees 0, 3, 1, 8.
    const offsets = Uint32Array.of(0, 0, 3, 4, 12);
    const draw = degreeSampler(offsets, 0.75);
    const rngA = mulberry32(2);
    const rngB = mulberry32(2);
    const weights = [1, 4, 2, 9].map((d) => Math.pow(d, 0.75));
    const total = weights.reduce((a, b) => a + b, 0);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) {
      const got = draw(rngA);
      let x = rngB() * total;
      let k = 0;
      while (k < 3 && x >= weights[k]!) x -= weights[k++]!;
      expect(got).toBe(k);
      counts[got]!++;
    }
    counts.forEach((c, k) => expect(c / 4000).toBeCloseTo(weights[k]! / total, 1));
    const uniform = degreeSampler(offsets, 0);
    const r = mulberry32(5);
    const r2 = mulberry32(5);
    for (let i = 0; i < 10; i++) expect(uniform(r)).toBe(Math.floor(r2() * 4));
  });
});
