// Scoring: plain tree walks (predict), a compiled closure for serving (compileModel), importance.

import type { GbdtModel, LinearModel, RankingModel, Tree } from "./types";

/** Output of one tree for row x. */
export function predictTree(t: Tree, x: ArrayLike<number>): number {
  let node = 0;
  while (t.feature[node]! >= 0) {
    const v = x[t.feature[node]!]!;
    node = v !== v ? (t.missingLeft[node] ? t.left[node]! : t.right[node]!) : v <= t.threshold[node]! ? t.left[node]! : t.right[node]!;
  }
  return t.value[node]!;
}

function linearMargin(m: LinearModel, x: ArrayLike<number>): number {
  let s = m.bias;
  for (let j = 0; j < m.weights.length; j++) {
    const v = x[j]!;
    if (v === v) s += m.weights[j]! * ((v - m.mean[j]!) / m.scale[j]!);
  }
  return s;
}

/** The model's raw margin for one row (a logit for logistic objectives, a ranking score otherwise). */
export function predict(model: RankingModel, x: ArrayLike<number>): number {
  if (model.kind === "linear") return linearMargin(model, x);
  let s = model.base;
  for (const t of model.trees) s += predictTree(t, x);
  return s;
}

/** Scores many rows (the compiled batch scorer; equal to predict row by row). */
export function predictMany(model: RankingModel, rows: ArrayLike<number>[]): Float64Array {
  return compileBatch(model)(rows);
}

/** Checks the fields the compiled scorers copy into typed arrays (a model may come from a file). */
function checkTree(t: Tree, F: number): void {
  const n = t.feature.length;
  for (const [name, a] of [
    ["threshold", t.threshold],
    ["left", t.left],
    ["right", t.right],
    ["value", t.value],
    ["missingLeft", t.missingLeft],
  ] as const)
    if (!Array.isArray(a) || a.length !== n) throw new Error(`compileModel: tree field ${name} has the wrong length`);
  for (let i = 0; i < n; i++) {
    const f = t.feature[i];
    if (typeof f !== "number" || !Number.isInteger(f) || f < -1 || f >= F) throw new Error(`compileModel: bad feature ${String(f)}`);
    if (typeof t.value[i] !== "number") throw new Error(`compileModel: bad number ${String(t.value[i])}`);
    if (f >= 0) {
      if (typeof t.threshold[i] !== "number" || Number.isNaN(t.threshold[i]))
        throw new Error(`compileModel: bad number ${String(t.threshold[i])}`);
      for (const c of [t.left[i], t.right[i]])
        if (typeof c !== "number" || !Number.isInteger(c) || c <= i || c >= n) throw new Error(`compileModel: bad child ${String(c)}`);
    }
  }
}

function treeDepth(t: Tree, node = 0): number {
  return t.feature[node]! < 0 ? 0 : 1 + Math.max(treeDepth(t, t.left[node]!), treeDepth(t, t.right[node]!));
}

function rowByRow(one: (x: ArrayLike<number>) => number): (rows: ArrayLike<number>[], out?: Float64Array) => Float64Array {
  return (rows, out = new Float64Array(rows.length)) => {
    for (let i = 0; i < rows.length; i++) out[i] = one(rows[i]!);
    return out;
  };
}

/** Booleans used as 0/1 in integer arithmetic: comparisons stay branch-free (no mispredicted jumps). */
type Bit = number;

/**
 * Every tree as a perfect binary tree of the model's depth D, in flat typed arrays: inner node k of
 * tree t at t·(2^D − 1) + k with children 2k+1 (x ≤ threshold, or missing-left NaN) and 2k+2; leaves
 * at t·2^D. A leaf above the bottom becomes pass-through nodes (threshold +∞: everything goes left)
 * whose leaves all carry its value. `mr` is 1 where a missing value goes right.
 */
type Perfect = { D: number; T: number; NI: number; NL: number; feat: Int32Array; thr: Float64Array; mr: Int32Array; leaf: Float64Array };
function perfectLayout(model: GbdtModel, D: number): Perfect {
  const T = model.trees.length;
  const NI = (1 << D) - 1;
  const NL = 1 << D;
  const feat = new Int32Array(T * NI);
  const thr = new Float64Array(T * NI).fill(Infinity);
  const mr = new Int32Array(T * NI);
  const leaf = new Float64Array(T * NL);
  model.trees.forEach((t, ti) => {
    const fill = (node: number, pos: number, depth: number): void => {
      if (depth === D) {
        leaf[ti * NL + pos - NI] = t.value[node]!;
        return;
      }
      const f = t.feature[node]!;
      if (f >= 0) {
        feat[ti * NI + pos] = f;
        thr[ti * NI + pos] = t.threshold[node]!;
        mr[ti * NI + pos] = t.missingLeft[node] ? 0 : 1;
      }
      fill(f >= 0 ? t.left[node]! : node, 2 * pos + 1, depth + 1);
      fill(f >= 0 ? t.right[node]! : node, 2 * pos + 2, depth + 1);
    };
    fill(0, 0, 0);
  });
  return { D, T, NI, NL, feat, thr, mr, leaf };
}

/** The perfect layout when the model is shallow enough for it (≤ 12 levels), else null. */
function perfectOf(model: GbdtModel): Perfect | null {
  for (const t of model.trees) checkTree(t, model.featureNames.length);
  const D = model.trees.reduce((d, t) => Math.max(d, treeDepth(t)), 0);
  return D <= 12 ? perfectLayout(model, D) : null;
}

/**
 * Scorer for many rows at once (a request's candidates), equal to predict bit for bit (the same
 * additions in the same order). On the perfect layout a row takes exactly D steps per tree,
 * node → 2·node + 1 + [x > threshold or (x is NaN and missing goes right)], computed without
 * branches; trees are the outer loop (each stays in cache) and four rows walk each tree together,
 * so their independent chains of loads overlap.
 */
export function compileBatch(model: RankingModel): (rows: ArrayLike<number>[], out?: Float64Array) => Float64Array {
  if (model.kind === "linear") return rowByRow(compileModel(model));
  const p = perfectOf(model);
  if (!p) return rowByRow(compileModel(model));
  const { D, T, NI, NL, feat, thr, mr, leaf } = p;
  const base = model.base;
  return (rows, out = new Float64Array(rows.length)) => {
    const n = rows.length;
    out.fill(base, 0, n);
    for (let t = 0, o = 0, lo = 0; t < T; t++, o += NI, lo += NL) {
      let i = 0;
      for (; i + 4 <= n; i += 4) {
        const x0 = rows[i]!,
          x1 = rows[i + 1]!,
          x2 = rows[i + 2]!,
          x3 = rows[i + 3]!;
        let n0 = 0,
          n1 = 0,
          n2 = 0,
          n3 = 0;
        for (let level = 0; level < D; level++) {
          const v0 = x0[feat[o + n0]!]!;
          const v1 = x1[feat[o + n1]!]!;
          const v2 = x2[feat[o + n2]!]!;
          const v3 = x3[feat[o + n3]!]!;
          n0 = 2 * n0 + 1 + (((v0 > thr[o + n0]!) as unknown as Bit) | (mr[o + n0]! & ((v0 !== v0) as unknown as Bit)));
          n1 = 2 * n1 + 1 + (((v1 > thr[o + n1]!) as unknown as Bit) | (mr[o + n1]! & ((v1 !== v1) as unknown as Bit)));
          n2 = 2 * n2 + 1 + (((v2 > thr[o + n2]!) as unknown as Bit) | (mr[o + n2]! & ((v2 !== v2) as unknown as Bit)));
          n3 = 2 * n3 + 1 + (((v3 > thr[o + n3]!) as unknown as Bit) | (mr[o + n3]! & ((v3 !== v3) as unknown as Bit)));
        }
        out[i] += leaf[lo + n0 - NI]!;
        out[i + 1] += leaf[lo + n1 - NI]!;
        out[i + 2] += leaf[lo + n2 - NI]!;
        out[i + 3] += leaf[lo + n3 - NI]!;
      }
      for (; i < n; i++) {
        const x = rows[i]!;
        let n0 = 0;
        for (let level = 0; level < D; level++) {
          const v = x[feat[o + n0]!]!;
          n0 = 2 * n0 + 1 + (((v > thr[o + n0]!) as unknown as Bit) | (mr[o + n0]! & ((v !== v) as unknown as Bit)));
        }
        out[i] += leaf[lo + n0 - NI]!;
      }
    }
    return out;
  };
}

/** All trees in flat typed arrays with absolute child indices; a leaf has feature −1. */
function compileGbdtFlat(model: GbdtModel): (x: ArrayLike<number>) => number {
  let total = 0;
  for (const t of model.trees) total += t.feature.length;
  const feature = new Int32Array(total);
  const threshold = new Float64Array(total);
  const left = new Int32Array(total);
  const right = new Int32Array(total);
  const value = new Float64Array(total);
  const missLeft = new Uint8Array(total);
  const roots = new Int32Array(model.trees.length);
  let off = 0;
  model.trees.forEach((t, ti) => {
    roots[ti] = off;
    for (let i = 0; i < t.feature.length; i++) {
      feature[off + i] = t.feature[i]!;
      threshold[off + i] = t.threshold[i]!;
      left[off + i] = t.left[i]! + off;
      right[off + i] = t.right[i]! + off;
      value[off + i] = t.value[i]!;
      missLeft[off + i] = t.missingLeft[i] ? 1 : 0;
    }
    off += t.feature.length;
  });
  const base = model.base;
  return (x) => {
    let s = base;
    for (let ti = 0; ti < roots.length; ti++) {
      let node = roots[ti]!;
      let f = feature[node]!;
      while (f >= 0) {
        const v = x[f]!;
        node = (missLeft[node] ? !(v > threshold[node]!) : v <= threshold[node]!) ? left[node]! : right[node]!;
        f = feature[node]!;
      }
      s += value[node]!;
    }
    return s;
  };
}

/**
 * A fast scoring closure for one row, equal to predict(model, ·) bit for bit. Trees are copied into
 * typed arrays (every field checked first, as a model may come from a file) in the perfect layout
 * and walked two at a time without branches; very deep models fall back to a flat walk. For a
 * request's candidates, compileBatch is faster still.
 */
export function compileModel(model: RankingModel): (x: ArrayLike<number>) => number {
  if (model.kind === "linear") {
    const w = Float64Array.from(model.weights);
    const mean = Float64Array.from(model.mean);
    const scale = Float64Array.from(model.scale);
    const bias = model.bias;
    const d = w.length;
    return (x) => {
      let s = bias;
      for (let j = 0; j < d; j++) {
        const v = x[j]!;
        if (v === v) s += w[j]! * ((v - mean[j]!) / scale[j]!); // same arithmetic as predict
      }
      return s;
    };
  }
  const p = perfectOf(model);
  if (!p) return compileGbdtFlat(model);
  const { D, T, NI, NL, feat, thr, mr, leaf } = p;
  const base = model.base;
  return (x) => {
    let s = base;
    let t = 0,
      o = 0,
      lo = 0;
    for (; t + 2 <= T; t += 2, o += 2 * NI, lo += 2 * NL) {
      const o2 = o + NI;
      let a = 0,
        b = 0;
      for (let level = 0; level < D; level++) {
        const va = x[feat[o + a]!]!;
        const vb = x[feat[o2 + b]!]!;
        a = 2 * a + 1 + (((va > thr[o + a]!) as unknown as Bit) | (mr[o + a]! & ((va !== va) as unknown as Bit)));
        b = 2 * b + 1 + (((vb > thr[o2 + b]!) as unknown as Bit) | (mr[o2 + b]! & ((vb !== vb) as unknown as Bit)));
      }
      s += leaf[lo + a - NI]!; // tree t, then tree t + 1: predict's order of additions
      s += leaf[lo + NL + b - NI]!;
    }
    for (; t < T; t++, o += NI, lo += NL) {
      let a = 0;
      for (let level = 0; level < D; level++) {
        const v = x[feat[o + a]!]!;
        a = 2 * a + 1 + (((v > thr[o + a]!) as unknown as Bit) | (mr[o + a]! & ((v !== v) as unknown as Bit)));
      }
      s += leaf[lo + a - NI]!;
    }
    return s;
  };
}

/** Total split gain per feature over all trees (features never split on get 0). */
export function featureImportance(model: GbdtModel): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of model.featureNames) out[name] = 0;
  for (const t of model.trees) {
    if (!t.gain) continue;
    for (let i = 0; i < t.feature.length; i++) {
      const f = t.feature[i]!;
      if (f >= 0) out[model.featureNames[f]!] = (out[model.featureNames[f]!] ?? 0) + t.gain[i]!;
    }
  }
  return out;
}
