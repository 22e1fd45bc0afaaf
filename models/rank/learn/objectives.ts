// Gradients and hessians of the GBDT objectives with respect to the model's scores.

import { discount, sigmoid } from "./metrics";

/**
 * Pointwise binary cross-entropy on margins F: loss = w·[y·log(1+e^−F) + (1−y)·log(1+e^F)],
 * g = w·(p − y), h = w·p·(1 − p) with p = sigmoid(F) (floored so Newton steps stay finite).
 */
export function logisticGradients(F: ArrayLike<number>, y: ArrayLike<number>, w: ArrayLike<number> | null, g: Float64Array, h: Float64Array): void {
  for (let i = 0; i < F.length; i++) {
    const p = sigmoid(F[i]!);
    const wi = w ? w[i]! : 1;
    g[i] = wi * (p - y[i]!);
    h[i] = wi * Math.max(p * (1 - p), 1e-16);
  }
}

/** Scratch buffers reused across lists by lambdaGradients. */
export type LambdaScratch = { order: Uint32Array; disc: Float64Array };
export function lambdaScratch(maxLen: number): LambdaScratch {
  return { order: new Uint32Array(maxLen), disc: new Float64Array(maxLen) };
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
  scores: ArrayLike<number>, labels: ArrayLike<number>, start: number, end: number, k: number, weight: number,
  g: Float64Array, h: Float64Array, scratch?: LambdaScratch, idcg?: number,
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
  for (let i = 0; i < n; i++) order[i] = start + i;
  // Stable sort by score descending (ties keep index order); typed-array sort with a comparator is stable.
  order.sort((a, b) => scores[b]! - scores[a]! || a - b);
  const disc = s.disc;
  for (let p = 0; p < n; p++) disc[p] = p < k ? discount(p) : 0;
  const top = Math.min(k, n);
  const inv = 1 / idcg;
  for (let p = 0; p < top; p++) {
    const a = order[p]!;
    const ya = labels[a]!;
    const ga = 2 ** ya;
    const sa = scores[a]!;
    const da = disc[p]!;
    for (let q = p + 1; q < n; q++) {
      const b = order[q]!;
      const yb = labels[b]!;
      if (ya === yb) continue;
      const delta = Math.abs((ga - 2 ** yb) * (da - disc[q]!)) * inv;
      if (delta === 0) continue;
      // i = the more relevant of the pair, j = the other.
      const i = ya > yb ? a : b;
      const j = ya > yb ? b : a;
      const sij = ya > yb ? sa - scores[b]! : scores[b]! - sa;
      const rho = 1 / (1 + Math.exp(sij));
      const lam = weight * rho * delta;
      const hes = weight * rho * (1 - rho) * delta;
      g[i] -= lam;
      g[j] += lam;
      h[i] += hes;
      h[j] += hes;
    }
  }
}
