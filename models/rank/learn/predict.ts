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

export function predictMany(model: RankingModel, rows: ArrayLike<number>[]): Float64Array {
  const f = compileModel(model);
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = f(rows[i]!);
  return out;
}

/** A number as a JS literal, refusing anything that is not a number (models come from files). */
function lit(v: unknown): string {
  if (typeof v !== "number" || Number.isNaN(v)) throw new Error(`compileModel: bad number ${String(v)}`);
  return v === Infinity ? "Infinity" : v === -Infinity ? "-Infinity" : Object.is(v, -0) ? "-0" : String(v);
}
function int(v: unknown): string {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw new Error(`compileModel: bad index ${String(v)}`);
  return String(v);
}

/**
 * One tree as nested if/else source. `v <= t` is false for NaN, so a node whose missing values go
 * right tests `x[f] <= t` and one whose missing values go left tests `!(x[f] > t)`: no NaN branch.
 */
function treeSource(t: Tree, node: number, indent: string): string {
  const f = t.feature[node]!;
  if (f < 0) return `${indent}return ${lit(t.value[node])};\n`;
  const cond = t.missingLeft[node] ? `!(x[${int(f)}] > ${lit(t.threshold[node])})` : `x[${int(f)}] <= ${lit(t.threshold[node])}`;
  return `${indent}if (${cond}) {\n${treeSource(t, t.left[node]!, indent + " ")}${indent}} else {\n${treeSource(t, t.right[node]!, indent + " ")}${indent}}\n`;
}

/** Trees per generated function: small functions stay within what V8 optimises. */
const TREES_PER_CHUNK = 8;

function compileGbdtCodegen(model: GbdtModel): (x: ArrayLike<number>) => number {
  // Each chunk adds its trees to the running sum in order, so the result equals predict's bit for bit.
  const chunks: ((x: ArrayLike<number>, s: number) => number)[] = [];
  for (let c = 0; c < model.trees.length; c += TREES_PER_CHUNK) {
    let src = "";
    for (const t of model.trees.slice(c, c + TREES_PER_CHUNK)) src += `s += (() => {\n${treeSource(t, 0, " ")}})();\n`;
    src += "return s;\n";
    chunks.push(new Function("x", "s", src) as (x: ArrayLike<number>, s: number) => number);
  }
  const base = model.base;
  return (x) => {
    let s = base;
    for (let i = 0; i < chunks.length; i++) s = chunks[i]!(x, s);
    return s;
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
        node = (missLeft[node] ? !(v > threshold[node]!) : v <= threshold[node]!) ? left[node]! : right[node]! ;
        f = feature[node]!;
      }
      s += value[node]!;
    }
    return s;
  };
}

export type CompileOptions = { codegen?: boolean };

/**
 * A fast scoring closure equal to predict(model, ·). GBDTs are compiled to JavaScript (nested
 * comparisons with the thresholds inlined; every field is checked to be a number first), or walked
 * over flat typed arrays with { codegen: false } or where `new Function` is not allowed.
 */
export function compileModel(model: RankingModel, opts: CompileOptions = {}): (x: ArrayLike<number>) => number {
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
  if (opts.codegen !== false) {
    try {
      return compileGbdtCodegen(model);
    } catch (e) {
      if (!(e instanceof EvalError)) throw e;
    }
  }
  return compileGbdtFlat(model);
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
