// Metrics and calibration: NDCG with graded gains, AUC, log loss, expected calibration error, Platt scaling.

export { mulberry32 } from "../../random";

/** Numerically safe logistic function. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** log(1 + e^z) without overflow. */
export function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** DCG discount of 0-based position p: 1 / log2(p + 2). */
export function discount(p: number): number {
  return 1 / Math.log2(p + 2);
}

/** Ideal DCG@k of these labels (gains 2^y − 1). */
export function idealDcg(labels: ArrayLike<number>, k: number): number {
  const sorted = Array.from(labels).sort((a, b) => b - a);
  let dcg = 0;
  for (let p = 0; p < Math.min(k, sorted.length); p++) dcg += (2 ** sorted[p]! - 1) * discount(p);
  return dcg;
}

/**
 * NDCG@k with graded gains 2^y − 1 and discount 1/log2(rank + 1). Ties in score are broken
 * PESSIMISTICALLY: among equal scores the less relevant item is ranked first, so a constant scorer
 * earns the worst ordering, never a lucky one. A list with no relevant item (ideal DCG 0) scores 0;
 * average over lists that have one (see meanNdcg).
 */
export function ndcgAt(scores: ArrayLike<number>, labels: ArrayLike<number>, k: number): number {
  const n = scores.length;
  if (labels.length !== n) throw new Error(`ndcgAt: ${n} scores but ${labels.length} labels`);
  const idcg = idealDcg(labels, k);
  if (!(idcg > 0)) return 0;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => scores[b]! - scores[a]! || labels[a]! - labels[b]!);
  let dcg = 0;
  for (let p = 0; p < Math.min(k, n); p++) dcg += (2 ** labels[order[p]!]! - 1) * discount(p);
  return dcg / idcg;
}

/** Mean NDCG@k over the lists that have at least one relevant item (weighted by list weight). */
export function meanNdcg(scores: ArrayLike<number>[], labels: ArrayLike<number>[], k: number, weights?: ArrayLike<number>): number {
  let sum = 0;
  let wsum = 0;
  for (let q = 0; q < scores.length; q++) {
    if (!(idealDcg(labels[q]!, k) > 0)) continue;
    const w = weights ? weights[q]! : 1;
    sum += w * ndcgAt(scores[q]!, labels[q]!, k);
    wsum += w;
  }
  return wsum > 0 ? sum / wsum : 0;
}

/** ROC AUC (probability a random positive outscores a random negative, ties count half). NaN if one class is absent. */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let rankSumPos = 0;
  let pos = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const midRank = (i + j) / 2 + 1; // average 1-based rank of the tie group
    for (let t = i; t <= j; t++)
      if (labels[order[t]!]! > 0) {
        rankSumPos += midRank;
        pos++;
      }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Mean binary cross-entropy of margins (logits) against 0/1 labels. */
export function logLoss(margins: ArrayLike<number>, labels: ArrayLike<number>, weights?: ArrayLike<number>): number {
  let s = 0;
  let ws = 0;
  for (let i = 0; i < margins.length; i++) {
    const w = weights ? weights[i]! : 1;
    const m = margins[i]!;
    const y = labels[i]!;
    s += w * (y * softplus(-m) + (1 - y) * softplus(m));
    ws += w;
  }
  return ws > 0 ? s / ws : 0;
}

/**
 * Expected calibration error: equal-width bins of predicted probability over [0, 1] (default 10;
 * p = 1 falls in the last bin), Σ_bins (n_b / n) · |mean(y) − mean(p)|.
 */
export function expectedCalibrationError(p: ArrayLike<number>, y: ArrayLike<number>, bins = 10): number {
  const n = p.length;
  if (n === 0) return 0;
  const cnt = new Float64Array(bins);
  const sp = new Float64Array(bins);
  const sy = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p[i]! * bins)));
    cnt[b]++;
    sp[b] += p[i]!;
    sy[b] += y[i]!;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (cnt[b]! > 0) ece += Math.abs(sy[b]! - sp[b]!) / n;
  return ece;
}

/**
 * Platt scaling: a, b minimising the log loss of p = sigmoid(a·m + b) on (margin, 0/1 label) pairs,
 * by Newton's method on the 2-parameter convex problem, with Platt's smoothed targets
 * ((n₊+1)/(n₊+2) and 1/(n₋+2)) so separable data does not push a to infinity.
 */
export function fitPlatt(margins: ArrayLike<number>, labels: ArrayLike<number>): { a: number; b: number } {
  const n = margins.length;
  let pos = 0;
  for (let i = 0; i < n; i++) if (labels[i]! > 0) pos++;
  const neg = n - pos;
  const tPos = (pos + 1) / (pos + 2);
  const tNeg = 1 / (neg + 2);
  let a = 1;
  let b = Math.log((pos + 1) / (neg + 1));
  const loss = (a: number, b: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const z = a * margins[i]! + b;
      const t = labels[i]! > 0 ? tPos : tNeg;
      s += t * softplus(-z) + (1 - t) * softplus(z);
    }
    return s;
  };
  let cur = loss(a, b);
  for (let it = 0; it < 100; it++) {
    let ga = 0,
      gb = 0,
      haa = 1e-12,
      hab = 0,
      hbb = 1e-12;
    for (let i = 0; i < n; i++) {
      const m = margins[i]!;
      const p = sigmoid(a * m + b);
      const t = labels[i]! > 0 ? tPos : tNeg;
      const d = p - t;
      const w = p * (1 - p);
      ga += d * m;
      gb += d;
      haa += w * m * m;
      hab += w * m;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (!(Math.abs(det) > 0)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    // Backtracking line search keeps each step a descent step.
    let step = 1;
    let next = loss(a - step * da, b - step * db);
    while (next > cur && step > 1e-8) {
      step /= 2;
      next = loss(a - step * da, b - step * db);
    }
    if (next > cur) break;
    a -= step * da;
    b -= step * db;
    const done = cur - next < 1e-12 * Math.max(1, cur);
    cur = next;
    if (done) break;
  }
  return { a, b };
}
