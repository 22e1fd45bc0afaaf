// Linear rankers: pointwise logistic regression and pairwise RankNet, trained with Adam.

import { mulberry32, sigmoid, softplus } from "./metrics";
import type { LinearModel, LinearParams, TrainingList } from "./types";

/**
 * A linear problem on standardised features. Z is row-major n × d (NaN already 0). Pairs are
 * flattened (i, j) with y_i > y_j, each with its list's weight.
 */
export type LinearProblem = {
  Z: Float64Array;
  n: number;
  d: number;
  y: Float64Array;
  w: Float64Array;
  pairs: Uint32Array;
  pairW: Float64Array;
};

/**
 * Loss and gradient at theta = [w_0 … w_{d−1}, bias] over the items (rows for logistic, pair
 * indices for pairwise) in `subset` (all when omitted):
 *   logistic:  Σ w_i·BCE(bias + w·z_i, y_i) / Σ w_i  + (l2/2)·‖w‖²
 *   pairwise:  Σ w_p·log(1 + e^−(s_i − s_j)) / Σ w_p  + (l2/2)·‖w‖²   (bias cancels; its gradient is 0)
 */
export function linearLossGrad(
  prob: LinearProblem,
  objective: "logistic" | "pairwise",
  theta: Float64Array,
  l2: number,
  subset?: Uint32Array,
  wantLoss = true,
): { loss: number; grad: Float64Array } {
  const { Z, d } = prob;
  const grad = new Float64Array(d + 1);
  const bias = theta[d]!;
  const margin = (r: number) => {
    let s = bias;
    const o = r * d;
    for (let j = 0; j < d; j++) s += theta[j]! * Z[o + j]!;
    return s;
  };
  let loss = 0;
  let wsum = 0;
  if (objective === "logistic") {
    const m = subset ? subset.length : prob.n;
    for (let t = 0; t < m; t++) {
      const r = subset ? subset[t]! : t;
      const s = margin(r);
      const y = prob.y[r]!;
      const wr = prob.w[r]!;
      if (wantLoss) loss += wr * (y * softplus(-s) + (1 - y) * softplus(s));
      wsum += wr;
      const c = wr * (sigmoid(s) - y);
      const o = r * d;
      for (let j = 0; j < d; j++) grad[j] += c * Z[o + j]!;
      grad[d] += c;
    }
  } else {
    // Margins once per row, pair terms on scalars, then the gradient as Σ_r coef_r · z_r.
    const margins = new Float64Array(prob.n);
    for (let r = 0; r < prob.n; r++) margins[r] = margin(r);
    const coef = new Float64Array(prob.n);
    const m = subset ? subset.length : prob.pairW.length;
    for (let t = 0; t < m; t++) {
      const p = subset ? subset[t]! : t;
      const i = prob.pairs[2 * p]!;
      const k = prob.pairs[2 * p + 1]!;
      const diff = margins[i]! - margins[k]!;
      const wp = prob.pairW[p]!;
      // One exp for both the loss log(1 + e^−diff) and its derivative sigmoid(diff) − 1 = −1/(1 + e^diff).
      const e = Math.exp(-Math.abs(diff));
      if (wantLoss) loss += wp * (Math.max(-diff, 0) + Math.log1p(e));
      wsum += wp;
      const c = -wp * (diff >= 0 ? e / (1 + e) : 1 / (1 + e));
      coef[i] += c;
      coef[k] -= c;
    }
    for (let r = 0; r < prob.n; r++) {
      const c = coef[r]!;
      if (c === 0) continue;
      const o = r * d;
      for (let j = 0; j < d; j++) grad[j] += c * Z[o + j]!;
    }
  }
  if (wsum > 0) {
    loss /= wsum;
    for (let j = 0; j <= d; j++) grad[j] /= wsum;
  }
  for (let j = 0; j < d; j++) {
    loss += 0.5 * l2 * theta[j]! * theta[j]!;
    grad[j] += l2 * theta[j]!;
  }
  return { loss, grad };
}

/** Per-feature mean and scale (sd, or 1 when constant) over non-missing values. */
export function standardization(rows: ArrayLike<number>[], d: number): { mean: number[]; scale: number[] } {
  const mean: number[] = [];
  const scale: number[] = [];
  for (let j = 0; j < d; j++) {
    let s = 0,
      c = 0;
    for (const r of rows)
      if (r[j] === r[j]) {
        s += r[j]!;
        c++;
      }
    const mu = c ? s / c : 0;
    let v = 0;
    for (const r of rows) if (r[j] === r[j]) v += (r[j]! - mu) ** 2;
    const sd = c ? Math.sqrt(v / c) : 0;
    mean.push(mu);
    scale.push(sd > 1e-12 && Number.isFinite(sd) ? sd : 1);
  }
  return { mean, scale };
}

/** (higher, lower) pairs of one list, all of them or `cap` sampled with replacement when more. */
function listPairs(y: ArrayLike<number>, start: number, cap: number, rand: () => number, out: number[]): void {
  const n = y.length;
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) counts.set(y[i]!, (counts.get(y[i]!) ?? 0) + 1);
  let same = 0;
  for (const c of counts.values()) same += c * c;
  const total = (n * n - same) / 2;
  if (total === 0) return;
  if (total <= cap) {
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (y[i]! > y[j]!) out.push(start + i, start + j);
    return;
  }
  let got = 0;
  for (let tries = 0; got < cap && tries < cap * 200; tries++) {
    const a = Math.floor(rand() * n);
    const b = Math.floor(rand() * n);
    if (y[a]! > y[b]!) {
      out.push(start + a, start + b);
      got++;
    } else if (y[b]! > y[a]!) {
      out.push(start + b, start + a);
      got++;
    }
  }
}

/** Builds the standardised problem of these lists (also used by the tests). */
export function linearProblem(
  lists: TrainingList[],
  d: number,
  mean: number[],
  scale: number[],
  pairwise: boolean,
  maxPairs: number,
  rand: () => number,
): LinearProblem {
  let n = 0;
  for (const l of lists) n += l.x.length;
  const Z = new Float64Array(n * d);
  const y = new Float64Array(n);
  const w = new Float64Array(n);
  const pairs: number[] = [];
  const pairW: number[] = [];
  let r = 0;
  for (const l of lists) {
    if (l.x.length !== l.y.length) throw new Error(`a list has ${l.x.length} rows but ${l.y.length} labels`);
    const start = r;
    for (let i = 0; i < l.x.length; i++, r++) {
      const row = l.x[i]!;
      if (row.length !== d) throw new Error(`a row has ${row.length} features, expected ${d}`);
      for (let j = 0; j < d; j++) {
        const v = row[j]!;
        Z[r * d + j] = v === v ? (v - mean[j]!) / scale[j]! : 0;
      }
      y[r] = l.y[i]!;
      w[r] = l.weight ?? 1;
    }
    if (pairwise) {
      const before = pairs.length;
      listPairs(l.y, start, maxPairs, rand, pairs);
      for (let p = before; p < pairs.length; p += 2) pairW.push(l.weight ?? 1);
    }
  }
  return { Z, n, d, y, w, pairs: Uint32Array.from(pairs), pairW: Float64Array.from(pairW) };
}

/**
 * Trains a linear model with Adam (β = 0.9, 0.999) from zero weights: full batch by default (one step
 * per epoch), or shuffled mini-batches of batchSize rows/pairs. Logistic starts its bias at the prior
 * log-odds; pairwise keeps bias 0 (a ranking score needs none).
 */
export function trainLinear(lists: TrainingList[], featureNames: string[], p: LinearParams): LinearModel {
  const d = featureNames.length;
  const rand = mulberry32((p.seed ?? 1) * 0x9e3779b1 + 11);
  const rows = lists.flatMap((l) => l.x);
  const { mean, scale } =
    p.standardize === false ? { mean: Array<number>(d).fill(0), scale: Array<number>(d).fill(1) } : standardization(rows, d);
  const pairwise = p.objective === "pairwise";
  const prob = linearProblem(lists, d, mean, scale, pairwise, p.maxPairsPerList ?? 2000, rand);
  if (p.objective === "logistic")
    for (const v of prob.y) if (v !== 0 && v !== 1) throw new Error(`logistic labels must be 0 or 1, got ${v}`);
  const theta = new Float64Array(d + 1);
  if (!pairwise) {
    let sy = 0,
      sw = 0;
    for (let i = 0; i < prob.n; i++) {
      sy += prob.w[i]! * prob.y[i]!;
      sw += prob.w[i]!;
    }
    const prior = Math.min(1 - 1e-6, Math.max(1e-6, sw > 0 ? sy / sw : 0.5));
    theta[d] = Math.log(prior / (1 - prior));
  }
  const items = pairwise ? prob.pairW.length : prob.n;
  const batch = Math.max(1, Math.min(items, p.batchSize ?? items));
  const order = Uint32Array.from({ length: items }, (_, i) => i);
  const m1 = new Float64Array(d + 1);
  const m2 = new Float64Array(d + 1);
  const b1 = 0.9,
    b2 = 0.999,
    eps = 1e-8;
  let step = 0;
  if (items > 0)
    for (let e = 0; e < p.epochs; e++) {
      if (batch < items)
        for (let i = items - 1; i > 0; i--) {
          const j = Math.floor(rand() * (i + 1));
          const t = order[i]!;
          order[i] = order[j]!;
          order[j] = t;
        }
      for (let s = 0; s < items; s += batch) {
        const subset = batch < items ? order.subarray(s, Math.min(items, s + batch)) : undefined;
        const { grad } = linearLossGrad(prob, p.objective, theta, p.l2, subset, false);
        step++;
        const c1 = 1 - b1 ** step;
        const c2 = 1 - b2 ** step;
        for (let j = 0; j <= d; j++) {
          if (pairwise && j === d) continue;
          m1[j] = b1 * m1[j]! + (1 - b1) * grad[j]!;
          m2[j] = b2 * m2[j]! + (1 - b2) * grad[j]! * grad[j]!;
          theta[j] -= (p.learningRate * (m1[j]! / c1)) / (Math.sqrt(m2[j]! / c2) + eps);
        }
      }
    }
  return {
    kind: "linear",
    objective: p.objective,
    featureNames: [...featureNames],
    weights: Array.from(theta.subarray(0, d)),
    bias: theta[d]!,
    mean,
    scale,
  };
}
