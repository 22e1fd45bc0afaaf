// The PinSage network at our size, with hand-written forward and backward passes.
//
// For card i with content vector c_i (D = 512, unit length) and neighbours j ∈ N(i) with importance
// weights α_ij (random-walk visits normalised over the top T):
//
//   m_j = ReLU(Q c_j + q)                       neighbour transform, H units
//   n_i = Σ_j α_ij m_j                          importance pooling (0 when i has no neighbours)
//   a_i = ReLU(W [c_i ; n_i] + w),  h_i = a_i / ‖a_i‖     the convolution (Ying et al. 2018, Alg. 1)
//   r_i = c_i + G h_i,              z_i = r_i / ‖r_i‖     D-dim output, residual on the content vector
//
// The residual keeps z in the content embedding's space (so a card without a learned embedding can fall
// back to its content vector, and training starts from content similarity); G adds what the graph knows.
// All parameters live in one Float64Array `theta` (Q, q, W, w, G), so Adam and gradient checks are flat.

import type { Rng } from "./walk";

export type Layout = { dim: number; hidden: number; Q: number; q: number; W: number; w: number; G: number; size: number };

export function layout(dim: number, hidden: number): Layout {
  const Q = 0;
  const q = Q + hidden * dim;
  const W = q + hidden;
  const w = W + hidden * (dim + hidden);
  const G = w + hidden;
  const size = G + dim * hidden;
  return { dim, hidden, Q, q, W, w, G, size };
}

/** Xavier-uniform weights, small positive biases (fewer dead ReLUs), G scaled down so z starts near c. */
export function initTheta(L: Layout, rng: Rng, residualScale = 0.3): Float64Array {
  const t = new Float64Array(L.size);
  const fill = (off: number, n: number, limit: number) => {
    for (let i = 0; i < n; i++) t[off + i] = (rng() * 2 - 1) * limit;
  };
  const { dim: D, hidden: H } = L;
  fill(L.Q, H * D, Math.sqrt(6 / (D + H)));
  t.fill(0.01, L.q, L.q + H);
  fill(L.W, H * (D + H), Math.sqrt(6 / (D + 2 * H)));
  t.fill(0.01, L.w, L.w + H);
  fill(L.G, D * H, residualScale * Math.sqrt(6 / (D + H)));
  return t;
}

/** Content vectors and neighbourhoods of the cards, by dense index. */
export type Inputs = {
  content: ArrayLike<Float32Array | undefined>;
  /** T slots per card; index −1 = empty. Weights of a card's neighbours sum to 1. */
  T: number;
  nbrIndex: Int32Array;
  nbrWeight: Float32Array;
};

export type Forward = {
  nodes: number[];
  /** Distinct neighbours of the nodes, and their transformed vectors m (|U| × H) with pre-activations. */
  nbrs: number[];
  nbrPos: Map<number, number>;
  mPre: Float64Array;
  m: Float64Array;
  pre: Float64Array;
  aNorm: Float64Array;
  h: Float64Array;
  nVec: Float64Array;
  rNorm: Float64Array;
  z: Float64Array;
  selfScale?: Float64Array;
};

const EPS = 1e-12;

/**
 * `selfScale` (training only): per node, the factor on c_i inside the convolution — 0 drops the card's
 * own content there (the residual keeps it), 1/(1−p) keeps it (inverted dropout). Dropping it now and
 * then makes the convolution rely on the neighbourhood, which is what a new card shares with its
 * board mates, instead of memorising each training card by its content.
 */
export function forward(L: Layout, theta: Float64Array, inp: Inputs, nodes: number[], selfScale?: Float64Array): Forward {
  const { dim: D, hidden: H } = L;
  const T = inp.T;
  const S = nodes.length;
  const E = D + H;
  // 1. Distinct neighbours and their transform m_j = ReLU(Q c_j + q).
  const nbrPos = new Map<number, number>();
  const nbrs: number[] = [];
  for (const i of nodes) {
    for (let k = 0; k < T; k++) {
      const j = inp.nbrIndex[i * T + k]!;
      if (j < 0) break;
      if (!nbrPos.has(j)) {
        nbrPos.set(j, nbrs.length);
        nbrs.push(j);
      }
    }
  }
  const U = nbrs.length;
  const mPre = new Float64Array(U * H);
  const m = new Float64Array(U * H);
  for (let u = 0; u < U; u++) {
    const c = inp.content[nbrs[u]!];
    for (let r = 0; r < H; r++) {
      let s = theta[L.q + r]!;
      if (c) {
        const row = L.Q + r * D;
        for (let k = 0; k < D; k++) s += theta[row + k]! * c[k]!;
      }
      mPre[u * H + r] = s;
      m[u * H + r] = s > 0 ? s : 0;
    }
  }
  // 2. Pooling, convolution, residual output.
  const nVec = new Float64Array(S * H);
  const pre = new Float64Array(S * H);
  const aNorm = new Float64Array(S);
  const h = new Float64Array(S * H);
  const rNorm = new Float64Array(S);
  const z = new Float64Array(S * D);
  for (let s = 0; s < S; s++) {
    const i = nodes[s]!;
    const c = inp.content[i];
    const nOff = s * H;
    for (let k = 0; k < T; k++) {
      const j = inp.nbrIndex[i * T + k]!;
      if (j < 0) break;
      const a = inp.nbrWeight[i * T + k]!;
      const mOff = nbrPos.get(j)! * H;
      for (let r = 0; r < H; r++) nVec[nOff + r]! += a * m[mOff + r]!;
    }
    let sq = 0;
    const cs = selfScale ? selfScale[s]! : 1;
    for (let r = 0; r < H; r++) {
      const row = L.W + r * E;
      let v = theta[L.w + r]!;
      if (c && cs !== 0) {
        let t = 0;
        for (let k = 0; k < D; k++) t += theta[row + k]! * c[k]!;
        v += cs * t;
      }
      for (let k = 0; k < H; k++) v += theta[row + D + k]! * nVec[nOff + k]!;
      pre[nOff + r] = v;
      if (v > 0) sq += v * v;
    }
    const an = Math.sqrt(sq);
    aNorm[s] = an;
    const inv = an > EPS ? 1 / an : 0;
    for (let r = 0; r < H; r++) {
      const v = pre[nOff + r]!;
      h[nOff + r] = v > 0 ? v * inv : 0;
    }
    const zOff = s * D;
    let rq = 0;
    for (let d = 0; d < D; d++) {
      const row = L.G + d * H;
      let v = c ? c[d]! : 0;
      for (let k = 0; k < H; k++) v += theta[row + k]! * h[nOff + k]!;
      z[zOff + d] = v;
      rq += v * v;
    }
    const rn = Math.sqrt(rq);
    rNorm[s] = rn;
    const rinv = rn > EPS ? 1 / rn : 0;
    for (let d = 0; d < D; d++) z[zOff + d]! *= rinv;
  }
  return { nodes, nbrs, nbrPos, mPre, m, pre, aNorm, h, nVec, rNorm, z, selfScale };
}

/**
 * Backward pass: given dL/dz for every node (S × D), adds dL/dθ into `grad`.
 */
export function backward(L: Layout, theta: Float64Array, inp: Inputs, f: Forward, gz: Float64Array, grad: Float64Array): void {
  const { dim: D, hidden: H } = L;
  const T = inp.T;
  const E = D + H;
  const S = f.nodes.length;
  const gm = new Float64Array(f.nbrs.length * H);
  const dr = new Float64Array(D);
  const dh = new Float64Array(H);
  const dpre = new Float64Array(H);
  const dn = new Float64Array(H);
  for (let s = 0; s < S; s++) {
    const zOff = s * D;
    const nOff = s * H;
    let any = false;
    for (let d = 0; d < D; d++)
      if (gz[zOff + d] !== 0) {
        any = true;
        break;
      }
    if (!any) continue;
    const i = f.nodes[s]!;
    const c = inp.content[i];
    // z = r/‖r‖  →  dr = (gz − z (z·gz)) / ‖r‖
    const rn = f.rNorm[s]!;
    if (rn <= EPS) continue;
    let zg = 0;
    for (let d = 0; d < D; d++) zg += f.z[zOff + d]! * gz[zOff + d]!;
    for (let d = 0; d < D; d++) dr[d] = (gz[zOff + d]! - f.z[zOff + d]! * zg) / rn;
    // r = c + G h  →  dG += dr hᵀ, dh = Gᵀ dr
    dh.fill(0);
    for (let d = 0; d < D; d++) {
      const g = dr[d]!;
      if (g === 0) continue;
      const row = L.G + d * H;
      for (let k = 0; k < H; k++) {
        grad[row + k]! += g * f.h[nOff + k]!;
        dh[k]! += g * theta[row + k]!;
      }
    }
    // h = a/‖a‖  →  da = (dh − h (h·dh)) / ‖a‖ ; a = ReLU(pre)
    const an = f.aNorm[s]!;
    if (an <= EPS) continue;
    let hd = 0;
    for (let k = 0; k < H; k++) hd += f.h[nOff + k]! * dh[k]!;
    for (let k = 0; k < H; k++) dpre[k] = f.pre[nOff + k]! > 0 ? (dh[k]! - f.h[nOff + k]! * hd) / an : 0;
    // pre = W [c; n] + w  →  dW += dpre [c; n]ᵀ, dw += dpre, dn = W[:, D:]ᵀ dpre (c is an input)
    dn.fill(0);
    const cs = f.selfScale ? f.selfScale[s]! : 1;
    for (let r = 0; r < H; r++) {
      const g = dpre[r]!;
      if (g === 0) continue;
      grad[L.w + r]! += g;
      const row = L.W + r * E;
      if (c && cs !== 0) {
        const gc = g * cs;
        for (let k = 0; k < D; k++) grad[row + k]! += gc * c[k]!;
      }
      for (let k = 0; k < H; k++) {
        grad[row + D + k]! += g * f.nVec[nOff + k]!;
        dn[k]! += g * theta[row + D + k]!;
      }
    }
    // n = Σ α_j m_j  →  dm_j += α_j dn
    for (let k = 0; k < T; k++) {
      const j = inp.nbrIndex[i * T + k]!;
      if (j < 0) break;
      const a = inp.nbrWeight[i * T + k]!;
      const mOff = f.nbrPos.get(j)! * H;
      for (let r = 0; r < H; r++) gm[mOff + r]! += a * dn[r]!;
    }
  }
  // m = ReLU(Q c + q)  →  dQ += dmPre cᵀ, dq += dmPre
  for (let u = 0; u < f.nbrs.length; u++) {
    const c = inp.content[f.nbrs[u]!];
    for (let r = 0; r < H; r++) {
      const g = f.mPre[u * H + r]! > 0 ? gm[u * H + r]! : 0;
      if (g === 0) continue;
      grad[L.q + r]! += g;
      if (c) {
        const row = L.Q + r * D;
        for (let k = 0; k < D; k++) grad[row + k]! += g * c[k]!;
      }
    }
  }
}

/** One training example: query, positive and negatives, as positions into the batch's node list. */
export type Triple = { q: number; p: number; negs: number[] };

/**
 * Max-margin loss, averaged over (query, negative) pairs of the batch:
 *   L = mean max(0, z_q·z_neg − z_q·z_pos + Δ)
 * Returns the loss and adds its gradient into `grad`.
 */
export function lossAndGrad(
  L: Layout,
  theta: Float64Array,
  inp: Inputs,
  nodes: number[],
  triples: Triple[],
  margin: number,
  grad: Float64Array,
  selfScale?: Float64Array,
): number {
  const D = L.dim;
  const f = forward(L, theta, inp, nodes, selfScale);
  const gz = new Float64Array(nodes.length * D);
  let pairs = 0;
  for (const t of triples) pairs += t.negs.length;
  if (pairs === 0) return 0;
  const scale = 1 / pairs;
  const dot = (a: number, b: number) => {
    let s = 0;
    for (let d = 0; d < D; d++) s += f.z[a * D + d]! * f.z[b * D + d]!;
    return s;
  };
  let loss = 0;
  for (const t of triples) {
    const sp = dot(t.q, t.p);
    for (const n of t.negs) {
      const hinge = dot(t.q, n) - sp + margin;
      if (hinge <= 0) continue;
      loss += hinge * scale;
      for (let d = 0; d < D; d++) {
        const zq = f.z[t.q * D + d]!;
        gz[t.q * D + d]! += scale * (f.z[n * D + d]! - f.z[t.p * D + d]!);
        gz[n * D + d]! += scale * zq;
        gz[t.p * D + d]! -= scale * zq;
      }
    }
  }
  backward(L, theta, inp, f, gz, grad);
  return loss;
}

/** Adam (Kingma & Ba) over the flat parameter vector. */
export class Adam {
  private m: Float64Array;
  private v: Float64Array;
  private t = 0;
  constructor(
    size: number,
    private lr: number,
    private beta1 = 0.9,
    private beta2 = 0.999,
    private eps = 1e-8,
  ) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }
  step(theta: Float64Array, grad: Float64Array): void {
    this.t++;
    const { beta1: b1, beta2: b2, m, v } = this;
    const c1 = 1 - b1 ** this.t;
    const c2 = 1 - b2 ** this.t;
    const lr = this.lr;
    for (let i = 0; i < theta.length; i++) {
      const g = grad[i]!;
      m[i] = b1 * m[i]! + (1 - b1) * g;
      v[i] = b2 * v[i]! + (1 - b2) * g * g;
      theta[i]! -= (lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + this.eps);
    }
  }
}
