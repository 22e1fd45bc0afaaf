import { describe, expect, it } from "vitest";
import {
  auc,
  binOf,
  binRows,
  buildHistogram,
  compileBatch,
  compileModel,
  expectedCalibrationError,
  featureImportance,
  findBestSplit,
  fitPlatt,
  lambdaGradients,
  linearLossGrad,
  linearProblem,
  logisticGradients,
  meanNdcg,
  mulberry32,
  ndcgAt,
  newHist,
  predict,
  predictMany,
  quantileEdges,
  sigmoid,
  softplus,
  thresholdOf,
  trainGbdt,
  trainLinear,
  type GbdtModel,
  type RankingModel,
  type TrainingList,
} from "./index";

const names = (F: number) => Array.from({ length: F }, (_, i) => `f${i}`);

// ---------------------------------------------------------------------------------------------
// Plain, obviously correct versions to test against.

/** Exhaustive split search over every distinct value of every feature, missing left and right. */
function bruteForceSplit(
  X: number[][],
  g: number[],
  h: number[],
  rows: number[],
  l2: number,
  minLeaf: number,
  thresholdsOf: (f: number) => number[],
) {
  const score = (G: number, H: number) => (H + l2 > 0 ? (G * G) / (H + l2) : 0);
  const sum = (rs: number[], a: number[]) => rs.reduce((s, r) => s + a[r]!, 0);
  const parent = score(sum(rows, g), sum(rows, h));
  let best: { gain: number; feature: number; threshold: number; missingLeft: boolean } | null = null;
  for (let f = 0; f < X[0]!.length; f++) {
    for (const t of thresholdsOf(f)) {
      for (const ml of [false, true]) {
        const left = rows.filter((r) => (Number.isNaN(X[r]![f]!) ? ml : X[r]![f]! <= t));
        const right = rows.filter((r) => !left.includes(r));
        if (left.length < minLeaf || right.length < minLeaf) continue;
        const gain = score(sum(left, g), sum(left, h)) + score(sum(right, g), sum(right, h)) - parent;
        if (gain > 0 && (!best || gain > best.gain + 1e-12)) best = { gain, feature: f, threshold: t, missingLeft: ml };
      }
    }
  }
  return best;
}

/** LambdaMART gradients by the formula, over all n² ordered pairs of a full ranking (ties by index). */
function naiveLambda(s: number[], y: number[], k: number, w: number) {
  const n = s.length;
  const g = new Array(n).fill(0);
  const h = new Array(n).fill(0);
  const order = [...s.keys()].sort((a, b) => s[b]! - s[a]! || a - b);
  const rank = new Array(n);
  order.forEach((item, r) => (rank[item] = r));
  const D = (r: number) => (r < k ? 1 / Math.log2(r + 2) : 0);
  const ideal = [...y].sort((a, b) => b - a);
  let idcg = 0;
  for (let r = 0; r < Math.min(k, n); r++) idcg += (2 ** ideal[r]! - 1) * D(r);
  if (idcg === 0) return { g, h };
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (!(y[i]! > y[j]!)) continue;
      const delta = Math.abs((2 ** y[i]! - 1 - (2 ** y[j]! - 1)) * (D(rank[i]) - D(rank[j]))) / idcg;
      const rho = 1 / (1 + Math.exp(s[i]! - s[j]!));
      g[i] -= w * rho * delta;
      g[j] += w * rho * delta;
      h[i] += w * rho * (1 - rho) * delta;
      h[j] += w * rho * (1 - rho) * delta;
    }
  return { g, h };
}

// ---------------------------------------------------------------------------------------------
// Synthetic data.

/** Lists whose relevance is x0 > 0.5 XOR x1 > 0.5 (plus a bonus for x2 > 0.8); x3.. are noise. */
function xorLists(nLists: number, per: number, F: number, seed: number, graded = true): TrainingList[] {
  const r = mulberry32(seed);
  return Array.from({ length: nLists }, () => {
    const x = Array.from({ length: per }, () => Array.from({ length: F }, () => r()));
    const y = x.map((row) => (row[0]! > 0.5 !== row[1]! > 0.5 ? 1 : 0) + (graded && row[2]! > 0.8 ? 1 : 0));
    return { x, y };
  });
}

describe("histogram split search", () => {
  it("equals an exhaustive search over all thresholds (exact bins, NaNs, ties, node subsets)", () => {
    for (let seed = 1; seed <= 12; seed++) {
      const r = mulberry32(seed);
      const n = 40 + Math.floor(r() * 40);
      const F = 4;
      // Values on a grid of 0.1 (duplicates) with ~15% missing.
      const X = Array.from({ length: n }, () => Array.from({ length: F }, () => (r() < 0.15 ? NaN : Math.round(r() * 20) / 10)));
      const g = X.map(() => r() * 2 - 1);
      const h = X.map(() => 0.05 + r());
      const l2 = [0, 0.5, 3][seed % 3]!;
      const minLeaf = 1 + (seed % 5);
      const data = binRows(X, F, 255, r); // ≥ distinct values: every boundary is a candidate
      const rows = [...Array(n).keys()].filter(() => seed % 2 === 0 || r() < 0.7); // a node = a subset
      const idx = Uint32Array.from(rows);
      const gh = new Float64Array(2 * n);
      g.forEach((v, i) => ((gh[2 * i] = v), (gh[2 * i + 1] = h[i]!)));
      const hist = newHist(data);
      const feats = Int32Array.from([0, 1, 2, 3]);
      buildHistogram(data, gh, idx, 0, idx.length, feats, hist);
      const G = rows.reduce((s, i) => s + g[i]!, 0);
      const H = rows.reduce((s, i) => s + h[i]!, 0);
      const split = findBestSplit(data, hist, G, H, rows.length, feats, l2, minLeaf, 0);
      const distinct = (f: number) => [...new Set(X.map((row) => row[f]!).filter((v) => !Number.isNaN(v)))].sort((a, b) => a - b);
      const brute = bruteForceSplit(X, g, h, rows, l2, minLeaf, distinct);
      if (!brute) {
        expect(split).toBeNull();
        continue;
      }
      expect(split).not.toBeNull();
      expect(split!.gain).toBeCloseTo(brute.gain, 9);
      // Same partition of the node's rows (threshold on raw values, NaN routing).
      const goesLeft = (f: number, t: number, ml: boolean) => rows.filter((i) => (Number.isNaN(X[i]![f]!) ? ml : X[i]![f]! <= t));
      expect(goesLeft(split!.feature, split!.threshold, split!.missingLeft)).toEqual(
        goesLeft(brute.feature, brute.threshold, brute.missingLeft),
      );
    }
  });

  it("with fewer bins than values, equals the exhaustive search over the bin edges", () => {
    const r = mulberry32(99);
    const n = 300;
    const X = Array.from({ length: n }, () => [r() < 0.1 ? NaN : r() ** 2, r() * 5, Math.floor(r() * 3)]);
    const g = X.map((row) => (row[0]! > 0.3 ? 1 : -1) + r() - 0.5);
    const h = X.map(() => 1);
    const data = binRows(X, 3, 8, r);
    const idx = Uint32Array.from(X.keys());
    const gh = new Float64Array(2 * n);
    g.forEach((v, i) => ((gh[2 * i] = v), (gh[2 * i + 1] = h[i]!)));
    const hist = newHist(data);
    const feats = Int32Array.from([0, 1, 2]);
    buildHistogram(data, gh, idx, 0, n, feats, hist);
    const split = findBestSplit(
      data,
      hist,
      g.reduce((a, b) => a + b),
      n,
      n,
      feats,
      1,
      5,
      0,
    )!;
    const edges = (f: number) => [...Array.from(data.thresholds[f]!), thresholdOf(data.thresholds[f]!, data.thresholds[f]!.length)];
    const brute = bruteForceSplit(X, g, h, [...idx], 1, 5, edges)!;
    expect(split.gain).toBeCloseTo(brute.gain, 9);
    expect([split.feature, split.threshold, split.missingLeft]).toEqual([brute.feature, brute.threshold, brute.missingLeft]);
  });

  it("bins by quantiles: at most maxBins, a frequent value alone, binOf agrees with the edges", () => {
    const r = mulberry32(5);
    const vals = Float64Array.from({ length: 5000 }, (_, i) => (i < 2000 ? 0 : r()));
    vals.sort();
    const t = quantileEdges(vals, 16);
    expect(t.length).toBeLessThanOrEqual(15);
    expect(binOf(t, 0, 16)).toBe(0);
    expect(binOf(t, vals[2000]!, 16)).toBeGreaterThan(0); // 0 (40% of rows) has a bin to itself
    for (let i = 0; i < 200; i++) {
      const v = r() * 1.2 - 0.1;
      expect(binOf(t, v, 16)).toBe(Array.from(t).filter((e) => e < v).length);
    }
    expect(binOf(t, NaN, 16)).toBe(16);
    expect(quantileEdges(Float64Array.from([1, 1, 2, 3]), 64)).toEqual(Float64Array.from([1.5, 2.5]));
  });
});

describe("gradients", () => {
  it("lambdarank equals the O(n²) double loop from the formula (ties, graded labels, truncation, weights)", () => {
    const r = mulberry32(7);
    for (let t = 0; t < 40; t++) {
      const n = 2 + Math.floor(r() * (t < 30 ? 30 : 90));
      const k = [1, 3, 5, 10, 60, 1000][t % 6]!;
      const w = t % 4 === 0 ? 2.5 : 1;
      // Rounded scores give ties, broken by index in both versions.
      const s = Array.from({ length: n }, () => Math.round((r() * 4 - 2) * 4) / 4);
      const y = Array.from({ length: n }, () => Math.floor(r() * r() * 4));
      const g = new Float64Array(n + 3).fill(9);
      const h = new Float64Array(n + 3).fill(9);
      // The list sits at offset 3 of a longer array, as in training.
      lambdaGradients([0, 0, 0, ...s], [0, 0, 0, ...y], 3, 3 + n, k, w, g, h);
      const want = naiveLambda(s, y, k, w);
      for (let i = 0; i < n; i++) {
        expect(g[3 + i]).toBeCloseTo(want.g[i]!, 12);
        expect(h[3 + i]).toBeCloseTo(want.h[i]!, 12);
      }
      expect(g[0]).toBe(9); // rows of other lists untouched
    }
  });

  it("lambdarank: lists with no relevant item or all-equal labels contribute nothing", () => {
    for (const y of [
      [0, 0, 0, 0],
      [2, 2, 2, 2],
    ]) {
      const g = new Float64Array(4).fill(1);
      const h = new Float64Array(4).fill(1);
      lambdaGradients([0.3, -1, 2, 0], y, 0, 4, 10, 1, g, h);
      expect([...g, ...h]).toEqual(new Array(8).fill(0));
    }
  });

  it("logistic gradient and hessian match finite differences of the cross-entropy", () => {
    const r = mulberry32(3);
    const n = 20;
    const F = Float64Array.from({ length: n }, () => r() * 8 - 4);
    const y = Float64Array.from({ length: n }, () => (r() < 0.4 ? 1 : 0));
    const w = Float64Array.from({ length: n }, () => 0.5 + r());
    const g = new Float64Array(n);
    const h = new Float64Array(n);
    logisticGradients(F, y, w, g, h);
    const loss = (f: number, i: number) => w[i]! * (y[i]! * softplus(-f) + (1 - y[i]!) * softplus(f));
    const eps = 1e-5;
    for (let i = 0; i < n; i++) {
      const f = F[i]!;
      expect(g[i]).toBeCloseTo((loss(f + eps, i) - loss(f - eps, i)) / (2 * eps), 7);
      expect(h[i]).toBeCloseTo((loss(f + eps, i) - 2 * loss(f, i) + loss(f - eps, i)) / (eps * eps), 4);
    }
  });

  it("linear logistic and pairwise gradients match finite differences", () => {
    const r = mulberry32(11);
    const lists: TrainingList[] = Array.from({ length: 5 }, (_, q) => ({
      x: Array.from({ length: 8 }, () => [r(), r() < 0.2 ? NaN : r() * 3, r() - 0.5]),
      y: Array.from({ length: 8 }, () => (r() < 0.4 ? 1 : 0)),
      weight: q === 2 ? 3 : 1,
    }));
    const graded = lists.map((l) => ({ ...l, y: l.y.map((v) => v + (r() < 0.3 ? 1 : 0)) }));
    for (const [objective, ls] of [
      ["logistic", lists],
      ["pairwise", graded],
    ] as const) {
      const prob = linearProblem(ls, 3, [0.5, 1.5, 0], [0.3, 0.9, 0.3], objective === "pairwise", 1000, r);
      const theta = Float64Array.from([0.4, -0.7, 1.1, 0.2]);
      const l2 = 0.3;
      const { grad } = linearLossGrad(prob, objective, theta, l2);
      const eps = 1e-6;
      for (let j = 0; j < 4; j++) {
        const tp = Float64Array.from(theta);
        const tm = Float64Array.from(theta);
        tp[j] += eps;
        tm[j] -= eps;
        const num = (linearLossGrad(prob, objective, tp, l2).loss - linearLossGrad(prob, objective, tm, l2).loss) / (2 * eps);
        expect(grad[j]).toBeCloseTo(num, 7);
      }
    }
  });
});

describe("training", () => {
  const F = 6;
  const train = xorLists(60, 30, F, 1);
  const valid = xorLists(30, 30, F, 2);
  const labels = valid.map((l) => l.y);
  const random = mulberry32(3);
  const randomNdcg = meanNdcg(
    valid.map((l) => l.y.map(() => random())),
    labels,
    10,
  );

  it("lambdarank GBDT learns an XOR-ish target: NDCG and AUC far above random", () => {
    const m = trainGbdt(train, names(F), { objective: "lambdarank", trees: 60, depth: 4, learningRate: 0.2, minLeaf: 5, l2: 0.1 });
    const ndcg = meanNdcg(
      valid.map((l) => predictMany(m, l.x)),
      labels,
      10,
    );
    expect(randomNdcg).toBeLessThan(0.7);
    expect(ndcg).toBeGreaterThan(0.93);
    const flat = valid.flatMap((l) => l.x);
    expect(
      auc(
        predictMany(m, flat),
        valid.flatMap((l) => l.y.map((v) => (v > 0 ? 1 : 0))),
      ),
    ).toBeGreaterThan(0.93);
    const imp = featureImportance(m);
    const top3 = Object.entries(imp)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([k]) => k)
      .sort();
    expect(top3).toEqual(["f0", "f1", "f2"]); // the signal, not the noise features
  });

  it("logistic GBDT learns it too, and starts from the prior log-odds", () => {
    const bin = train.map((l) => ({ x: l.x, y: l.y.map((v): number => (v > 0 ? 1 : 0)) }));
    const m = trainGbdt(bin, names(F), { objective: "logistic", trees: 60, depth: 3, learningRate: 0.3, minLeaf: 5 });
    const pos = bin.flatMap((l) => l.y).reduce((a, b) => a + b) / bin.flatMap((l) => l.y).length;
    expect(m.base).toBeCloseTo(Math.log(pos / (1 - pos)), 10);
    const flat = valid.flatMap((l) => l.x);
    expect(
      auc(
        predictMany(m, flat),
        valid.flatMap((l) => l.y.map((v) => (v > 0 ? 1 : 0))),
      ),
    ).toBeGreaterThan(0.95);
  });

  it("early stopping keeps the best prefix; seeded subsampling is reproducible", () => {
    // Labels are pure noise: validation NDCG cannot keep improving.
    const r = mulberry32(8);
    const noise = (nl: number) =>
      Array.from({ length: nl }, () => ({
        x: Array.from({ length: 20 }, () => [r(), r()]),
        y: Array.from({ length: 20 }, () => (r() < 0.3 ? 1 : 0)),
      }));
    const p = {
      objective: "lambdarank" as const,
      trees: 200,
      depth: 3,
      learningRate: 0.3,
      minLeaf: 3,
      valid: noise(20),
      earlyStoppingRounds: 10,
    };
    const m = trainGbdt(noise(40), ["a", "b"], p);
    expect(m.trees.length).toBeLessThan(100);
    const sub = {
      objective: "lambdarank" as const,
      trees: 10,
      depth: 3,
      learningRate: 0.3,
      minLeaf: 3,
      rowFraction: 0.6,
      featureFraction: 0.5,
      seed: 4,
    };
    const a = trainGbdt(train, names(F), sub);
    expect(JSON.stringify(trainGbdt(train, names(F), sub))).toBe(JSON.stringify(a));
    expect(JSON.stringify(trainGbdt(train, names(F), { ...sub, seed: 5 }))).not.toBe(JSON.stringify(a));
  });

  it("linear models recover the sign and order of the true weights (logistic and pairwise)", () => {
    const r = mulberry32(21);
    const wTrue = [2, -1, 0.5, 0];
    const lists: TrainingList[] = Array.from({ length: 80 }, () => {
      const x = Array.from({ length: 25 }, () => wTrue.map(() => r() * 2 - 1));
      const y = x.map((row) => (r() < sigmoid(row.reduce((s, v, j) => s + v * wTrue[j]!, 0) * 2) ? 1 : 0));
      return { x, y };
    });
    for (const objective of ["logistic", "pairwise"] as const) {
      const m = trainLinear(lists, names(4), { objective, l2: 1e-4, epochs: 150, learningRate: 0.05 });
      const w = m.weights;
      expect(w[0]).toBeGreaterThan(w[2]!);
      expect(w[2]).toBeGreaterThan(Math.abs(w[3]!));
      expect(w[1]).toBeLessThan(-Math.abs(w[3]!));
      expect(Math.abs(w[3]!)).toBeLessThan(0.2 * w[0]!);
    }
    // Mini-batches reach the same signs.
    const mb = trainLinear(lists, names(4), { objective: "logistic", l2: 1e-4, epochs: 10, learningRate: 0.02, batchSize: 100, seed: 3 });
    expect(mb.weights[0]).toBeGreaterThan(mb.weights[2]!);
    expect(mb.weights[1]).toBeLessThan(0);
  });
});

describe("missing values", () => {
  it("GBDT routes NaN by what the data says (here: missing means relevant)", () => {
    const r = mulberry32(13);
    const lists = Array.from({ length: 40 }, () => {
      const x = Array.from({ length: 20 }, () => [r() < 0.3 ? NaN : r(), r()]);
      return { x, y: x.map((row) => (Number.isNaN(row[0]!) || row[0]! > 0.85 ? 1 : 0)) };
    });
    const m = trainGbdt(lists, ["a", "b"], { objective: "logistic", trees: 20, depth: 2, learningRate: 0.5, minLeaf: 3 });
    expect(predict(m, [NaN, 0.5])).toBeGreaterThan(2);
    expect(predict(m, [0.95, 0.5])).toBeGreaterThan(2);
    expect(predict(m, [0.3, 0.5])).toBeLessThan(-2);
    expect(
      m.trees.some(
        (t) =>
          t.missingLeft.some((ml, i) => ml && t.feature[i] === 0) ||
          t.threshold.some((th, i) => t.feature[i] === 0 && th === Number.MAX_VALUE),
      ),
    ).toBe(true);
  });

  it("linear models treat NaN as the mean (a 0 contribution after standardising)", () => {
    const r = mulberry32(2);
    const lists = [{ x: Array.from({ length: 50 }, () => [r(), r() * 10]), y: Array.from({ length: 50 }, () => (r() < 0.5 ? 1 : 0)) }];
    const m = trainLinear(lists, ["a", "b"], { objective: "logistic", l2: 0.01, epochs: 50, learningRate: 0.1 });
    expect(predict(m, [NaN, m.mean[1]!])).toBeCloseTo(m.bias, 12);
    expect(predict(m, [NaN, 3])).toBeCloseTo(predict(m, [m.mean[0]!, 3]), 12);
  });
});

describe("serving", () => {
  const F = 5;
  const lists = xorLists(30, 20, F, 4).map((l) => ({ ...l, x: l.x.map((row) => row.map((v, j) => (j === 3 && v < 0.2 ? NaN : v))) }));
  const gbdt = trainGbdt(lists, names(F), { objective: "lambdarank", trees: 30, depth: 4, learningRate: 0.2, minLeaf: 3 });
  const lin = trainLinear(lists, names(F), { objective: "pairwise", l2: 0.01, epochs: 30, learningRate: 0.05 });
  const r = mulberry32(6);
  const probe = Array.from({ length: 300 }, () => Array.from({ length: F }, () => (r() < 0.1 ? NaN : r() * 1.4 - 0.2)));

  it("JSON round trip predicts identically", () => {
    for (const m of [gbdt, lin] as RankingModel[]) {
      const back = JSON.parse(JSON.stringify(m)) as RankingModel;
      for (const x of probe) expect(predict(back, x)).toBe(predict(m, x));
    }
  });

  it("compileModel and compileBatch equal predict exactly", () => {
    for (const m of [gbdt, lin] as RankingModel[]) {
      const one = compileModel(m);
      const batch = compileBatch(m);
      const many = predictMany(m, probe);
      const typed = batch(probe.slice(0, 7).map((x) => Float64Array.from(x))); // 4 + a remainder of 3
      probe.forEach((x, i) => {
        expect(one(x)).toBe(predict(m, x));
        expect(many[i]).toBe(predict(m, x));
        if (i < 7) expect(typed[i]).toBe(predict(m, x));
      });
    }
  });

  it("compileBatch handles leaves above the bottom and both NaN directions (hand-made tree)", () => {
    // root: x0 <= 0.5 (NaN left) → leaf 1 | x1 <= 2 (NaN right) → leaves 10, 100.
    const m: GbdtModel = {
      kind: "gbdt",
      objective: "lambdarank",
      featureNames: ["a", "b"],
      base: 0.5,
      trees: [
        {
          feature: [0, -1, 1, -1, -1],
          threshold: [0.5, 0, 2, 0, 0],
          left: [1, -1, 3, -1, -1],
          right: [2, -1, 4, -1, -1],
          value: [0, 1, 0, 10, 100],
          missingLeft: [true, false, false, false, false],
        },
      ],
    };
    const rows = [
      [0.2, 9],
      [NaN, 9],
      [0.7, 1],
      [0.7, NaN],
      [0.7, 3],
      [0.5, 2],
    ];
    expect(Array.from(compileBatch(m)(rows))).toEqual([1.5, 1.5, 10.5, 100.5, 100.5, 1.5]);
    expect(rows.map((x) => predict(m, x))).toEqual([1.5, 1.5, 10.5, 100.5, 100.5, 1.5]);
    expect(rows.map(compileModel(m))).toEqual([1.5, 1.5, 10.5, 100.5, 100.5, 1.5]);
  });

  it("very deep trees (> 12 levels) fall back to a flat walk, still equal to predict", () => {
    // A chain: node 2i tests x0 <= i (NaN right), its left child is a leaf worth i, its right the next test.
    const t = {
      feature: [] as number[],
      threshold: [] as number[],
      left: [] as number[],
      right: [] as number[],
      value: [] as number[],
      missingLeft: [] as boolean[],
    };
    const depth = 14;
    for (let i = 0; i < depth; i++) {
      const at = t.feature.length;
      t.feature.push(0, -1);
      t.threshold.push(i, 0);
      t.left.push(at + 1, -1);
      t.right.push(i + 1 < depth ? at + 2 : at + 2, -1);
      t.value.push(0, i);
      t.missingLeft.push(false, false);
    }
    t.feature.push(-1);
    t.threshold.push(0);
    t.left.push(-1);
    t.right.push(-1);
    t.value.push(99);
    t.missingLeft.push(false);
    const m: GbdtModel = { kind: "gbdt", objective: "lambdarank", featureNames: ["a"], base: 0, trees: [t, t, t] };
    const rows = [[-1], [0.5], [5], [13], [100], [NaN]];
    const want = rows.map((x) => predict(m, x));
    expect(want).toEqual([0, 3, 15, 39, 297, 297]);
    expect(rows.map(compileModel(m))).toEqual(want);
    expect(Array.from(compileBatch(m)(rows))).toEqual(want);
  });

  it("compileModel refuses a model file with non-numbers in it", () => {
    const bad = JSON.parse(JSON.stringify(gbdt)) as GbdtModel;
    (bad.trees[0]!.threshold as unknown[])[0] = "0.5";
    expect(() => compileModel(bad)).toThrow(/bad number/);
    expect(() => compileBatch(bad)).toThrow(/bad number/);
    const badChild = JSON.parse(JSON.stringify(gbdt)) as GbdtModel;
    badChild.trees[1]!.left[0] = 0; // a cycle
    expect(() => compileBatch(badChild)).toThrow(/bad child/);
  });
});

describe("metrics and calibration", () => {
  it("ndcgAt: graded gains, pessimistic ties, truncation", () => {
    // Ranking [2, 0, 1]: DCG = 3 + 0 + 1/2; ideal [2, 1, 0]: 3 + 1/log2(3).
    expect(ndcgAt([3, 2, 1], [2, 0, 1], 10)).toBeCloseTo(3.5 / (3 + 1 / Math.log2(3)), 12);
    expect(ndcgAt([3, 2, 1], [2, 0, 1], 1)).toBe(1);
    expect(ndcgAt([1, 1, 1], [0, 0, 1], 1)).toBe(0); // a constant scorer gets the worst order
    expect(ndcgAt([1, 2], [0, 0], 5)).toBe(0);
    expect(
      meanNdcg(
        [
          [1, 2],
          [2, 1],
        ],
        [
          [0, 0],
          [1, 0],
        ],
        5,
      ),
    ).toBe(1); // lists without a relevant item are skipped
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
  });

  it("ECE of perfect calibration is ~0; Platt scaling repairs mis-scaled scores", () => {
    const r = mulberry32(17);
    expect(expectedCalibrationError([0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3], [1, 1, 1, 0, 0, 0, 0, 0, 0, 0])).toBeCloseTo(0, 12);
    const n = 20000;
    const z = Array.from({ length: n }, () => r() * 6 - 3);
    const y = z.map((v) => (r() < sigmoid(v) ? 1 : 0));
    expect(expectedCalibrationError(z.map(sigmoid), y)).toBeLessThan(0.02);
    const skewed = z.map((v) => 3 * v + 1); // overconfident and shifted
    const before = expectedCalibrationError(skewed.map(sigmoid), y);
    const { a, b } = fitPlatt(skewed, y);
    const after = expectedCalibrationError(
      skewed.map((m) => sigmoid(a * m + b)),
      y,
    );
    expect(before).toBeGreaterThan(0.08);
    expect(after).toBeLessThan(0.02);
    expect(a).toBeCloseTo(1 / 3, 1);
    expect(b).toBeCloseTo(-1 / 3, 1);
  });
});
