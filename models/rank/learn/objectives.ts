// Gradients and hessians of the GBDT objectives with respect to the model's scores.

import { discount, sigmoid } from "./metrics";

/**
 * Pointwise binary cross-entropy on margins F: loss = w·[y·log(1+e^−F) + (1−y)·log(1+e^F)],
 * g = w·(p − y), h = w·p·(1 − p) with p = sigmoid(F) (floored so Newton steps stay finite).
 */
export function logisticGradients(
  F: ArrayLike<number>,
  y: ArrayLike<number>,
  w: ArrayLike<number> | null,
  g: Float64Array,
  h: Float64Array,
): void {
  for (let i = 0; i < F.length; i++) {
    const p = sigmoid(F[i]!);
    const wi = w ? w[i]! : 1;
    g[i] = wi * (p - y[i]!);
    h[i] = wi * Math.max(p * (1 - p), 1e-16);
  }
}

/** Scratch buffers reused across lists by lambdaGradients. */
export type LambdaScratch = {
  order: Uint32Array;
  mark: Uint8Array;
  disc: Float64Array;
  discK: number;
  discN: number;
  ys: Float64Array;
  gs: Float64Array;
  ss: Float64Array;
  es: Float64Array;
  gr: Float64Array;
  hr: Float64Array;
};
export function lambdaScratch(maxLen: number): LambdaScratch {
  const f = () => new Float64Array(maxLen);
  return {
    order: new Uint32Array(maxLen),
    mark: new Uint8Array(maxLen),
    disc: f(),
    discK: -1,
    discN: 0,
    ys: f(),
    gs: f(),
    ss: f(),
    es: f(),
    gr: f(),
    hr: f(),
  };
}

/**
 * LambdaMART gradients for one list (Burges 2010, σ = 1), written into g/h[start..end).
 * Items are ranked by current score, ties by index (stable). For every pair with y_i > y_j:
 *   ρ = 1 / (1 + e^(s_i − s_j)),  Δ = |ΔNDCG@k| of swapping i and j
 *       = (2^y_i − 2^y_j) · |D(r_i) − D(r_j)| / IDCG@k,  D(r) = 1/log2(r + 2) if r < k else 0,
 *   g_i −= w·ρ·Δ,  g_j += w·ρ·Δ,  h_i += w·ρ(1−ρ)·Δ,  h_j += w·ρ(1−ρ)·Δ.
 * Pairs with both ranks ≥ k have Δ = 0, so only pairs touching the top k are visited (O(k·n)).
 * A list whose labels are all equal (including no relevant item) gets zeros. `idcg` may be passed
 * when known (IDCG@k of the list's labels).
 */
export function lambdaGradients(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  start: number,
  end: number,
  k: number,
  weight: number,
  g: Float64Array,
  h: Float64Array,
  scratch?: LambdaScratch,
  idcg?: number,
): void {
  const n = end - start;
  for (let i = start; i < end; i++) {
    g[i] = 0;
    h[i] = 0;
  }
  if (n < 2) return;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = start; i < end; i++) {
    lo = Math.min(lo, labels[i]!);
    hi = Math.max(hi, labels[i]!);
  }
  if (!(hi > lo)) return;
  if (idcg === undefined) {
    const sorted = Array.from({ length: n }, (_, i) => labels[start + i]!).sort((a, b) => b - a);
    idcg = 0;
    for (let p = 0; p < Math.min(k, n); p++) idcg += (2 ** sorted[p]! - 1) * discount(p);
  }
  if (!(idcg > 0)) return;
  const s = scratch && scratch.order.length >= n ? scratch : lambdaScratch(n);
  const order = s.order.subarray(0, n);
  const top = Math.min(k, n);
  if (top >= 48) {
    // Stable sort by score descending (ties keep index order; typed-array sort is stable).
    for (let i = 0; i < n; i++) order[i] = start + i;
    order.sort((a, b) => scores[b]! - scores[a]! || a - b);
  } else {
    // Only the top k need their order (ranks ≥ k all have discount 0): insertion into a sorted top-k
    // buffer (ties keep index order), then the others in index order.
    const mark = s.mark;
    let c = 0;
    for (let i = start; i < end; i++) {
      const v = scores[i]!;
      if (c === top && !(v > scores[order[c - 1]!]!)) continue;
      let p = c < top ? c++ : top - 1;
      while (p > 0 && scores[order[p - 1]!]! < v) {
        order[p] = order[p - 1]!;
        p--;
      }
      order[p] = i;
    }
    for (let p = 0; p < top; p++) mark[order[p]! - start] = 1;
    let p = top;
    for (let i = 0; i < n; i++) {
      if (mark[i]) mark[i] = 0;
      else order[p++] = start + i;
    }
  }
  const disc = s.disc;
  if (s.discK !== k || s.discN < n) {
    for (let p = 0; p < n; p++) disc[p] = p < k ? discount(p) : 0;
    s.discK = k;
    s.discN = n;
  }
  // Per rank: label, gain 2^y and score, in rank order (contiguous reads in the pair loop).
  // es = e^(score − max score): ρ of a pair is then e_j / (e_i + e_j), one exp per item, not per pair.
  const ys = s.ys,
    gs = s.gs,
    ss = s.ss,
    es = s.es;
  let smax = -Infinity;
  for (let p = 0; p < n; p++) {
    const r = order[p]!;
    const yr = labels[r]!;
    ys[p] = yr;
    gs[p] = yr === 0 ? 1 : yr === 1 ? 2 : 2 ** yr;
    ss[p] = scores[r]!;
    if (ss[p]! > smax) smax = ss[p]!;
  }
  for (let p = 0; p < n; p++) es[p] = Math.exp(ss[p]! - smax);
  // Accumulate per rank (gr/hr), then scatter once: i = the more relevant of each pair.
  const gr = s.gr,
    hr = s.hr;
  gr.fill(0, 0, n);
  hr.fill(0, 0, n);
  const inv = 1 / idcg;
  for (let p = 0; p < top; p++) {
    const ya = ys[p]!;
    const ga = gs[p]!;
    const sa = ss[p]!;
    const ea = es[p]!;
    const da = disc[p]!;
    let gp = 0;
    let hp = 0;
    for (let q = p + 1; q < n; q++) {
      // Branch-free (labels are in random order, so branches would mispredict): a pair with equal
      // labels has Δ = 0 and ρ = 0 and adds nothing.
      const yb = ys[q]!;
      const hi = (ya > yb) as unknown as number; // 1 when the item at rank p is the more relevant
      const lo = (yb > ya) as unknown as number;
      const delta = Math.abs((ga - gs[q]!) * (da - disc[q]!)) * inv;
      // ρ = 1 / (1 + e^(s_i − s_j)) = e_j / (e_i + e_j); both e underflow only for scores ~745 below the top.
      const eb = es[q]!;
      const den = ea + eb;
      const rho = den > 1e-290 ? (hi * eb + lo * ea) / den : (hi | lo) / (1 + Math.exp((hi - lo) * (sa - ss[q]!)));
      const lam = (hi - lo) * rho * delta;
      const hes = rho * (1 - rho) * delta;
      gp -= lam;
      gr[q] += lam;
      hp += hes;
      hr[q] += hes;
    }
    gr[p] += gp;
    hr[p] += hp;
  }
  for (let p = 0; p < n; p++) {
    const r = order[p]!;
    g[r] = weight * gr[p]!;
    h[r] = weight * hr[p]!;
  }
}
