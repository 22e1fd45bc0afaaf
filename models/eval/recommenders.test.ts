import { describe, expect, it } from "vitest";
import type { RecData } from "./recs";
import { boardPairs } from "../pinsage/index";
import { APP_PINNERSAGE, pinnerSage, weightedMedoidScore } from "../pinnersage/index";
import {
  aggregateCosines,
  MeanEmbeddingRecommender,
  PinnerSageRecommender,
  PinSageRecommender,
  PixieRecommender,
  ratingsGraph,
  recencyWeights,
  SageModel,
  sessionPairs,
} from "./recommenders";
import { userHistories } from "./recs";

// Two taste groups: users 0–3 rate items 0–4, users 4–7 rate items 5–9; user 0 has not seen item 4.
const train: RecData["train"] = [];
for (let u = 0; u < 8; u++) {
  const base = u < 4 ? 0 : 5;
  for (let k = 0; k < 5; k++) {
    if (u === 0 && k === 4) continue;
    train.push({ user: u, item: base + k, t: 1000 + k * 60, weight: 4 });
  }
}
const data: RecData = { users: 8, items: 12, train, itemTags: Array.from({ length: 12 }, (_, i) => [i < 5 ? 0 : 1]) };

describe("ratingsGraph", () => {
  it("makes each user's training items one board", () => {
    const g = ratingsGraph(data);
    expect(g.pins).toBe(12);
    expect(g.boards).toBe(8);
    expect([...g.boardPins.subarray(g.boardOffsets[0]!, g.boardOffsets[1]!)]).toEqual([0, 1, 2, 3]);
  });
});

describe("PixieRecommender", () => {
  it("walks from the user's cards to cards of the same taste; unvisited cards score by popularity only", () => {
    const p = new PixieRecommender({ steps: 20_000, seed: 3 });
    p.fit(data);
    const s = p.score(0, Uint32Array.from([4, 5, 10]));
    expect(s[0]!).toBeGreaterThan(1); // visited
    expect(s[1]!).toBeLessThan(1); // other group: never reached, popularity tie-break only
    expect(s[1]!).toBeGreaterThan(s[2]!); // item 5 has users, item 10 none
    expect(p.queries(0).length).toBe(4);
  });
});

describe("positives", () => {
  it("board pairs stay within a board, session pairs within the time window", () => {
    const g = ratingsGraph(data);
    for (const [a, b] of boardPairs(g, 2, 1)) expect(a < 5).toBe(b < 5);
    const pairs = sessionPairs(userHistories(data), 1, 1.5, 3); // 90 s window: neighbours 60 s apart only
    expect(pairs).toContainEqual([0, 1]);
    expect(pairs.some(([a, b]) => Math.abs(a - b) > 1)).toBe(false);
  });
});

describe("PinSage, PinnerSage and mean-embedding recommenders", () => {
  // Content: group A items point one way, group B the other (plus a little per-item noise).
  const content = Array.from({ length: 12 }, (_, i) => {
    const v = new Float32Array(8);
    v[i < 5 ? 0 : 1] = 1;
    v[2 + (i % 6)] = 0.3;
    return v;
  });
  const sage = new SageModel(() => content, { pinsage: { epochs: 1, hidden: 8, walkSteps: 200, seed: 1 } });

  it("rank the held-out item of the user's own group above the other group", () => {
    for (const rec of [
      new PinSageRecommender(sage),
      new PinnerSageRecommender(sage, { sample: 3 }),
      new MeanEmbeddingRecommender(sage),
      new PinnerSageRecommender(sage, { aggregate: "weighted", sample: 10, name: "w" }),
      new PinnerSageRecommender(sage, { aggregate: "weighted", sample: 10, centre: true, name: "wc" }),
      new PinnerSageRecommender(sage, { aggregate: "weighted", sample: Infinity, maxClusters: 20, centre: true, name: "app" }),
      new MeanEmbeddingRecommender(sage, 90, true),
    ]) {
      rec.fit(data);
      const s = rec.score(0, Uint32Array.from([4, 5, 6]));
      expect(s[0]!, rec.name).toBeGreaterThan(s[1]!);
      expect(s[0]!, rec.name).toBeGreaterThan(s[2]!);
    }
  });

  it("the app's ranking: every kept medoid (the most important maxClusters), importance-weighted cosine on centred vectors", () => {
    const app = { sample: Infinity, aggregate: "weighted" as const, centre: true, lambda: APP_PINNERSAGE.lambda, threshold: 0.05 };
    const all = new PinnerSageRecommender(sage, { ...app, name: "all" });
    const two = new PinnerSageRecommender(sage, { ...app, maxClusters: 2, name: "two" });
    all.fit(data);
    two.fit(data);
    // A tight cut: user 4's five cards make several clusters; the medoids and weights are pinnerSage's.
    const clusters = pinnerSage(sage.engaged(4, true), { lambda: APP_PINNERSAGE.lambda, threshold: 0.05 });
    expect(clusters.length).toBeGreaterThan(2);
    expect(all.userMedoids(4).map((m) => m.pin)).toEqual(clusters.map((c) => c.medoid));
    expect(two.userMedoids(4).map((m) => m.pin)).toEqual(clusters.slice(0, 2).map((c) => c.medoid));
    const items = Uint32Array.from([0, 5, 9, 11]);
    const want = (cs: typeof clusters) =>
      Array.from(items, (i) =>
        weightedMedoidScore(
          sage.vector(i, true),
          cs.map((c) => ({ vector: sage.vector(c.medoid, true), importance: c.importance })),
        ),
      );
    Array.from(all.score(4, items)).forEach((s, k) => expect(s).toBeCloseTo(want(clusters)[k]!, 6));
    Array.from(two.score(4, items)).forEach((s, k) => expect(s).toBeCloseTo(want(clusters.slice(0, 2))[k]!, 6));
    // Centred vectors are re-normalised to unit length.
    const c5 = sage.vector(5, true);
    expect(Math.hypot(...c5)).toBeCloseTo(1, 5);
  });

  it("PinSage scoring: max, recency-weighted mean and softmax of the cosines to the latest cards, plus β·log(1 + popularity)", () => {
    const items = Uint32Array.from([4, 5, 10, 11]);
    const recent = [1, 2, 3]; // user 0's latest 3 training cards, oldest first
    const cos = (i: number, j: number) => sage.sim(i, sage.vector(j));
    const popOf = (i: number) => new Set(train.filter((r) => r.item === i).map((r) => r.user)).size;
    const w = recent.map((_, k) => Math.pow(0.5, (recent.length - 1 - k) / 2)); // halfLife 2, latest weighs 1
    const W = w.reduce((a, b) => a + b, 0);
    const plain = {
      max: (i: number) => Math.max(...recent.map((j) => cos(i, j))),
      mean: (i: number) => recent.reduce((s, j, k) => s + w[k]! * cos(i, j), 0) / W,
      softmax: (i: number) => 0.2 * Math.log(recent.reduce((s, j, k) => s + (w[k]! / W) * Math.exp(cos(i, j) / 0.2), 0)),
    };
    for (const aggregate of ["max", "mean", "softmax"] as const) {
      const rec = new PinSageRecommender(sage, { recent: 3, aggregate, halfLife: 2, temperature: 0.2, popularity: 0.3, name: aggregate });
      rec.fit(data);
      Array.from(rec.score(0, items)).forEach((s, k) =>
        expect(s, aggregate).toBeCloseTo(plain[aggregate](items[k]!) + 0.3 * Math.log1p(popOf(items[k]!)), 9),
      );
    }
  });

  it("PinSage scoring over the whole history: mean of positive cosines, centroid, and recent + whole mixed", () => {
    const items = Uint32Array.from([4, 5, 10, 11]);
    const all = [0, 1, 2, 3]; // user 0's training cards, oldest first
    const recent = all.slice(-2);
    const cos = (i: number, j: number) => sage.sim(i, sage.vector(j));
    const popOf = (i: number) => new Set(train.filter((r) => r.item === i).map((r) => r.user)).size;
    const softmax = (i: number, cards: number[]) => 0.1 * Math.log(cards.reduce((s, j) => s + Math.exp(cos(i, j) / 0.1), 0) / cards.length);
    // Item-kNN's rule on PinSage's vectors: Σ max(0, cos) over every card, / the number of cards.
    const positive = (i: number) => all.reduce((s, j) => s + Math.max(0, cos(i, j)), 0) / all.length;
    const centroid = (i: number) => {
      const m = Array.from({ length: sage.dim }, (_, d) => recent.reduce((s, j) => s + sage.vector(j)[d]!, 0));
      const norm = Math.hypot(...m);
      return Array.from(sage.vector(i)).reduce((s, x, d) => s + (x * m[d]!) / norm, 0);
    };
    const cases = [
      { o: { recent: Infinity, aggregate: "positive" }, want: positive },
      { o: { recent: 2, aggregate: "centroid" }, want: centroid },
      {
        o: { recent: 2, aggregate: "softmax", wholeHistory: 0.25 },
        want: (i: number) => 0.75 * softmax(i, recent) + 0.25 * softmax(i, all),
      },
      { o: { recent: Infinity, aggregate: "softmax" }, want: (i: number) => softmax(i, all) },
    ] as const;
    for (const { o, want } of cases) {
      const rec = new PinSageRecommender(sage, { temperature: 0.1, popularity: 0.3, ...o });
      rec.fit(data);
      Array.from(rec.score(0, items)).forEach((s, k) =>
        expect(s, JSON.stringify(o)).toBeCloseTo(want(items[k]!) + 0.3 * Math.log1p(popOf(items[k]!)), 9),
      );
    }
  });

  it("aggregateCosines matches the plain formulas, also over a whole heavy history at a low temperature", () => {
    const sims = [0.9, -0.2, 0.4];
    const w = [0.5, 1, 2];
    expect(aggregateCosines(sims, w, "max", 0.1)).toBe(0.9);
    expect(aggregateCosines(sims, w, "mean", 0.1)).toBeCloseTo((0.45 - 0.2 + 0.8) / 3.5, 12);
    expect(aggregateCosines(sims, w, "positive", 0.1)).toBeCloseTo((0.45 + 0.8) / 3.5, 12);
    expect(aggregateCosines(sims, w, "softmax", 0.5)).toBeCloseTo(
      0.5 * Math.log((0.5 * Math.exp(1.8) + Math.exp(-0.4) + 2 * Math.exp(0.8)) / 3.5),
      12,
    );
    expect(aggregateCosines([], [], "softmax", 0.1)).toBe(0);
    // The whole history of a heavy rater: 2,000 cards at τ 0.01, against the unshifted formula.
    const many = Array.from({ length: 2000 }, (_, k) => (k % 2 ? 0.95 : 0.5));
    const plain = 0.01 * Math.log(many.reduce((s, x) => s + Math.exp(x / 0.01), 0) / many.length);
    expect(
      aggregateCosines(
        many,
        many.map(() => 1),
        "softmax",
        0.01,
      ),
    ).toBeCloseTo(plain, 9);
    expect(recencyWeights(3, 1)).toEqual(Float64Array.from([0.25, 0.5, 1]));
  });

  it("trains PinSage once per training set", () => {
    sage.ensure(data);
    const first = sage.model;
    sage.ensure(data);
    expect(sage.model).toBe(first);
  });
});
