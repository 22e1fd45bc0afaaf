import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildGraph,
  exactPpr,
  localityOrder,
  pixie,
  pixieWithStats,
  pruneDiverseBoards,
  queryWeights,
  stepSplit,
  type PinBoardGraph,
} from "./index";

/** A small clustered graph: `clusters` topics, boards drawing most of their pins from their own topic. */
function clusteredGraph(seed: number, pins = 90, boards = 30, clusters = 3): PinBoardGraph {
  let s = seed >>> 0 || 1;
  const rnd = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  const ep: number[] = [];
  const eb: number[] = [];
  const per = pins / clusters;
  for (let b = 0; b < boards; b++) {
    const c = b % clusters;
    const size = 3 + Math.floor(rnd() * 8);
    for (let k = 0; k < size; k++) {
      const own = rnd() < 0.85;
      const cl = own ? c : Math.floor(rnd() * clusters);
      // Popular pins first: squaring the uniform favours low indices within the cluster.
      ep.push(cl * per + Math.floor(rnd() * rnd() * per));
      eb.push(b);
    }
  }
  for (let p = 0; p < pins; p++) {
    // Every pin on at least one board of its cluster.
    ep.push(p);
    eb.push(Math.floor(p / per) + clusters * Math.floor(rnd() * Math.floor(boards / clusters)));
  }
  return buildGraph(pins, boards, ep, eb);
}

/** Normalised distribution over pins, leaving out the given ones. */
function normalised(values: ArrayLike<number>, leaveOut: number[]): Float64Array {
  const out = new Float64Array(values.length);
  let total = 0;
  for (let i = 0; i < values.length; i++) if (!leaveOut.includes(i)) total += values[i]!;
  for (let i = 0; i < values.length; i++) out[i] = leaveOut.includes(i) ? 0 : values[i]! / total;
  return out;
}

const topK = (values: ArrayLike<number>, k: number) =>
  Array.from(values, (v, i) => [v, i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .slice(0, k)
    .map(([, i]) => i);

const visitVector = (g: PinBoardGraph, results: { pin: number; visits: number }[]) => {
  const v = new Float64Array(g.pins);
  for (const r of results) v[r.pin] = r.visits;
  return v;
};

const noEarlyStop = { earlyStopPins: Infinity };

describe("buildGraph", () => {
  it("matches a naive adjacency map, both directions, duplicates removed (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 8 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 60 }),
        (pins, boards, raw) => {
          const edges = pins > 0 && boards > 0 ? raw.map(([p, b]) => [p % pins, b % boards] as const) : [];
          const g = buildGraph(
            pins,
            boards,
            edges.map((e) => e[0]),
            edges.map((e) => e[1]),
          );
          const byPin = new Map<number, Set<number>>();
          const byBoard = new Map<number, Set<number>>();
          for (const [p, b] of edges) {
            (byPin.get(p) ?? byPin.set(p, new Set()).get(p)!).add(b);
            (byBoard.get(b) ?? byBoard.set(b, new Set()).get(b)!).add(p);
          }
          expect(g.pinOffsets.length).toBe(pins + 1);
          expect(g.boardOffsets.length).toBe(boards + 1);
          const distinct = new Set(edges.map(([p, b]) => `${p}:${b}`)).size;
          expect(g.pinBoards.length).toBe(distinct);
          expect(g.boardPins.length).toBe(distinct);
          for (let p = 0; p < pins; p++) {
            const list = Array.from(g.pinBoards.subarray(g.pinOffsets[p], g.pinOffsets[p + 1]));
            expect(list).toEqual([...(byPin.get(p) ?? [])].sort((a, b) => a - b));
          }
          for (let b = 0; b < boards; b++) {
            const list = Array.from(g.boardPins.subarray(g.boardOffsets[b], g.boardOffsets[b + 1]));
            expect(list).toEqual([...(byBoard.get(b) ?? [])].sort((a, b2) => a - b2));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("refuses an index out of range or edge lists of different lengths", () => {
    expect(() => buildGraph(2, 2, [0, 2], [0, 1])).toThrow(RangeError);
    expect(() => buildGraph(2, 2, [0, 1], [0, -1])).toThrow(RangeError);
    expect(() => buildGraph(2, 2, [0.5], [0])).toThrow(RangeError);
    expect(() => buildGraph(2, 2, [0, 1], [0])).toThrow(RangeError);
  });

  it("stays within 16 bytes per edge", () => {
    const g = clusteredGraph(7, 3000, 600);
    const bytes = g.pinOffsets.byteLength + g.pinBoards.byteLength + g.boardOffsets.byteLength + g.boardPins.byteLength;
    expect(bytes / g.pinBoards.length).toBeLessThanOrEqual(16);
  });

  it("localityOrder numbers a board's pins next to each other and is a permutation", () => {
    const g = buildGraph(5, 2, [4, 2, 0, 3, 1], [0, 0, 1, 1, 1]);
    const order = localityOrder(g);
    expect(Array.from(order)).toEqual([2, 3, 0, 4, 1]); // board 0 holds pins 2 and 4: they become 0 and 1
    expect(new Set(order).size).toBe(5);
  });
});

describe("pixie against exact personalised PageRank", () => {
  it("visits pins in proportion to PPR with the same restart probability", () => {
    const g = clusteredGraph(42);
    const alpha = 0.4;
    const query = 5;
    const res = pixie(g, [{ pin: query, weight: 1 }], { steps: 400_000, alpha, limit: g.pins, seed: 3, ...noEarlyStop });
    const walked = normalised(visitVector(g, res), [query]);
    const exact = normalised(exactPpr(g, [{ pin: query, weight: 1 }], alpha), [query]);
    let l1 = 0;
    for (let p = 0; p < g.pins; p++) l1 += Math.abs(walked[p]! - exact[p]!);
    expect(l1).toBeLessThan(0.03);
    const overlap = topK(walked, 5).filter((p) => topK(exact, 5).includes(p)).length;
    expect(overlap).toBeGreaterThanOrEqual(4);
    expect(res[0]!.pin).toBe(topK(exact, 1)[0]);
  });

  it("gets closer to PPR with more steps", () => {
    const g = clusteredGraph(9);
    const exact = normalised(exactPpr(g, [{ pin: 0, weight: 1 }], 0.5), [0]);
    const l1At = (steps: number) => {
      let sum = 0;
      for (const seed of [1, 2, 3]) {
        const walked = normalised(
          visitVector(g, pixie(g, [{ pin: 0, weight: 1 }], { steps, alpha: 0.5, limit: g.pins, seed, ...noEarlyStop })),
          [0],
        );
        for (let p = 0; p < g.pins; p++) sum += Math.abs(walked[p]! - exact[p]!);
      }
      return sum / 3;
    };
    const coarse = l1At(2_000);
    const fine = l1At(200_000);
    expect(fine).toBeLessThan(coarse / 3);
  });

  it("with pruned boards, matches PPR on the graph without them", () => {
    const g = clusteredGraph(11);
    const keep = new Uint8Array(g.boards).fill(1);
    for (let b = 0; b < g.boards; b += 4) keep[b] = 0;
    let query = 0;
    while (Array.from(g.pinBoards.subarray(g.pinOffsets[query], g.pinOffsets[query + 1])).every((b) => !keep[b])) query++;
    const res = pixie(g, [{ pin: query, weight: 1 }], { steps: 300_000, limit: g.pins, boardKeep: keep, seed: 5, ...noEarlyStop });
    const walked = normalised(visitVector(g, res), [query]);
    const exact = normalised(exactPpr(g, [{ pin: query, weight: 1 }], 0.5, { boardKeep: keep }), [query]);
    let l1 = 0;
    for (let p = 0; p < g.pins; p++) l1 += Math.abs(walked[p]! - exact[p]!);
    expect(l1).toBeLessThan(0.04);
  });
});

describe("pixie", () => {
  it("splits the budget by weight · degree · (C − ln degree)", () => {
    // Pin 0 on 1 board, pin 1 on 4, pin 2 on 16 (C = 16), pin 3 on none.
    const ep: number[] = [0];
    const eb: number[] = [0];
    for (let b = 0; b < 4; b++) {
      ep.push(1);
      eb.push(b);
    }
    for (let b = 0; b < 16; b++) {
      ep.push(2);
      eb.push(b);
    }
    const g = buildGraph(4, 16, ep, eb);
    const queries = [
      { pin: 0, weight: 1 },
      { pin: 1, weight: 2 },
      { pin: 2, weight: 1 },
      { pin: 3, weight: 5 },
    ];
    const N = 100_000;
    const split = stepSplit(g, queries, N);
    const s = [1 * 1 * (16 - Math.log(1)), 2 * 4 * (16 - Math.log(4)), 1 * 16 * (16 - Math.log(16)), 0];
    const total = s.reduce((a, b) => a + b);
    s.forEach((x, i) => expect(split[i]).toBe(Math.floor((N * x) / total)));
    expect(split[3]).toBe(0);
    expect(split.reduce((a, b) => a + b)).toBeGreaterThan(N - queries.length);
    // The walks honour it: with early stopping off each query walks exactly its share.
    const { stats } = pixieWithStats(g, queries, { steps: N, ...noEarlyStop });
    expect(stats.perQuery.map((q) => q.budget)).toEqual(split);
    expect(stats.perQuery.map((q) => q.steps)).toEqual(split);
  });

  it("the booster ranks a pin reached from several queries above one reached more often from one", () => {
    // A, B, C are queries (pins 0–2); X (3) sits on a board with each; Y (4) is A's close companion.
    const boards: number[][] = [
      [0, 4], // A, Y
      [0, 4], // A, Y again on another board
      [0, 3, 5, 6], // A, X, fillers
      [1, 3, 7, 8], // B, X
      [1, 9],
      [1, 10],
      [2, 3, 11, 12], // C, X
      [2, 13],
      [2, 14],
    ];
    const ep: number[] = [];
    const eb: number[] = [];
    boards.forEach((pinsOn, b) => pinsOn.forEach((p) => (ep.push(p), eb.push(b))));
    const g = buildGraph(15, boards.length, ep, eb);
    const res = pixie(
      g,
      [0, 1, 2].map((pin) => ({ pin, weight: 1 })),
      { steps: 60_000, limit: 15, ...noEarlyStop },
    );
    const x = res.find((r) => r.pin === 3)!;
    const y = res.find((r) => r.pin === 4)!;
    expect(x.visits).toBeLessThan(y.visits); // fewer visits in all…
    expect(x.score).toBeGreaterThan(y.score); // …but from three queries, so boosted above Y
    expect(res[0]!.pin).toBe(3);
    expect(res.map((r) => r.pin)).not.toContain(0);
  });

  it("stops a query early once enough pins are clearly ahead, with nearly the same top results", () => {
    const g = clusteredGraph(3, 3000, 600, 6);
    const q = [{ pin: 10, weight: 1 }];
    const early = pixieWithStats(g, q, { steps: 200_000, earlyStopPins: 200, earlyStopVisits: 30, limit: 20, seed: 4 });
    const full = pixieWithStats(g, q, { steps: 200_000, limit: 20, seed: 4, ...noEarlyStop });
    expect(early.stats.perQuery[0]!.stoppedEarly).toBe(true);
    expect(early.stats.steps).toBeLessThan(100_000);
    expect(full.stats.steps).toBe(200_000);
    const fullTop = full.results.slice(0, 10).map((r) => r.pin);
    const overlap = early.results.slice(0, 10).filter((r) => fullTop.includes(r.pin)).length;
    expect(overlap).toBeGreaterThanOrEqual(7);
  });

  it("never walks into a pruned board", () => {
    // Pin 0 is on board 0 (pins 1, 2) and board 1 (pins 3, 4); board 1 is pruned.
    const g = buildGraph(5, 2, [0, 1, 2, 0, 3, 4], [0, 0, 0, 1, 1, 1]);
    const keep = Uint8Array.from([1, 0]);
    const res = pixie(g, [{ pin: 0, weight: 1 }], { steps: 20_000, boardKeep: keep, limit: 10 });
    expect(res.map((r) => r.pin).sort()).toEqual([1, 2]);
    // A query whose only boards are pruned has nowhere to go.
    expect(pixie(g, [{ pin: 3, weight: 1 }], { boardKeep: keep })).toEqual([]);
  });

  it("bias shifts visits towards preferred pins without blocking the others", () => {
    const g = clusteredGraph(21, 120, 40, 2);
    const bias = new Float32Array(g.pins).fill(0.1);
    for (let p = 0; p < g.pins; p += 2) bias[p] = 1; // even pins preferred (e.g. in the person's language)
    const share = (res: { pin: number; visits: number }[]) => {
      let even = 0;
      let all = 0;
      for (const r of res) {
        all += r.visits;
        if (r.pin % 2 === 0) even += r.visits;
      }
      return even / all;
    };
    const q = [{ pin: 1, weight: 1 }];
    const plain = pixie(g, q, { steps: 100_000, limit: g.pins, ...noEarlyStop });
    const biased = pixie(g, q, { steps: 100_000, limit: g.pins, pinBias: bias, ...noEarlyStop });
    expect(share(biased)).toBeGreaterThan(share(plain) + 0.2);
    expect(biased.some((r) => r.pin % 2 === 1)).toBe(true);
  });

  it("returns [] for an empty graph, no queries, an isolated or unknown query pin", () => {
    const empty = buildGraph(0, 0, [], []);
    expect(pixie(empty, [{ pin: 0, weight: 1 }])).toEqual([]);
    const g = buildGraph(4, 1, [0, 1], [0, 0]); // pins 2 and 3 are on no board
    expect(pixie(g, [])).toEqual([]);
    expect(pixie(g, [{ pin: 2, weight: 1 }])).toEqual([]);
    expect(
      pixie(g, [
        { pin: 99, weight: 1 },
        { pin: -1, weight: 1 },
      ]),
    ).toEqual([]);
    expect(pixie(g, [{ pin: 0, weight: 0 }])).toEqual([]);
    // An isolated pin among good queries is simply skipped.
    expect(
      pixie(g, [
        { pin: 2, weight: 1 },
        { pin: 0, weight: 1 },
      ]).map((r) => r.pin),
    ).toEqual([1]);
  });

  it("is deterministic for a seed, sorted by score, leaves out queries and exclusions, honours limit", () => {
    const g = clusteredGraph(5, 300, 80);
    const q = [
      { pin: 1, weight: 1 },
      { pin: 2, weight: 0.5 },
    ];
    const a = pixie(g, q, { seed: 9, limit: 15 });
    expect(pixie(g, q, { seed: 9, limit: 15 })).toEqual(a);
    expect(a).toHaveLength(15);
    for (let i = 1; i < a.length; i++) expect(a[i - 1]!.score).toBeGreaterThanOrEqual(a[i]!.score);
    expect(a.map((r) => r.pin)).not.toContain(1);
    expect(a.map((r) => r.pin)).not.toContain(2);
    const without = pixie(g, q, { seed: 9, limit: 15, exclude: [a[0]!.pin] });
    expect(without.map((r) => r.pin)).not.toContain(a[0]!.pin);
    // The scratch arrays are reset between calls: a second, different call is unaffected by the first.
    expect(pixie(g, q, { seed: 9, limit: 15 })).toEqual(a);
  });
});

describe("pruneDiverseBoards", () => {
  it("prunes boards whose pins spread over many topics", () => {
    // Board 0: four pins on topic 7 (0 bits). Board 1: four topics (2 bits). Board 2: no topic data.
    const g = buildGraph(12, 3, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [0, 0, 0, 0, 1, 1, 1, 1, 2, 2]);
    const topics = (p: number) => (p < 4 ? [7] : p < 8 ? [p] : []);
    expect(Array.from(pruneDiverseBoards(g, topics, 1.5))).toEqual([1, 0, 1]);
    expect(Array.from(pruneDiverseBoards(g, topics, 2))).toEqual([1, 1, 1]);
  });
});

describe("queryWeights", () => {
  it("weighs save > closeup > click > impression, leaves out hidden pins, decays with age", () => {
    const w = queryWeights([
      { pin: 1, action: "impression", ageDays: 0 },
      { pin: 2, action: "click", ageDays: 0 },
      { pin: 3, action: "closeup", ageDays: 0 },
      { pin: 4, action: "save", ageDays: 0 },
      { pin: 5, action: "save", ageDays: 0 },
      { pin: 5, action: "hide", ageDays: 0 },
      { pin: 6, action: "save", ageDays: 7 },
    ]);
    expect(w.map((q) => q.pin)).toEqual([4, 6, 3, 2, 1]);
    expect(w.find((q) => q.pin === 6)!.weight).toBeCloseTo(w.find((q) => q.pin === 4)!.weight / Math.SQRT2); // half-life 14 days
    expect(queryWeights([])).toEqual([]);
  });
});
