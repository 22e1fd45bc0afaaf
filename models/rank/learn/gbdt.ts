// Histogram gradient-boosted trees: LambdaMART (lambdarank) and pointwise logistic.

import { binRows, buildHistogram, findBestSplit, newHist, subtractHist, type Binned, type Hist } from "./hist";
import { idealDcg, logLoss, meanNdcg, mulberry32 } from "./metrics";
import { lambdaGradients, lambdaScratch, logisticGradients } from "./objectives";
import { predictTree } from "./predict";
import type { GbdtModel, GbdtParams, TrainingList, Tree } from "./types";

/** A grown tree plus, per node, the bin threshold used in training (to route training rows by bins). */
export type GrownTree = { tree: Tree; binThreshold: Int32Array; leafRanges: { node: number; start: number; end: number }[] };

export type GrowOptions = { depth: number; minLeaf: number; l2: number; minGain: number; learningRate: number };

/**
 * Grows one depth-wise tree on rows idx[0..m) (permuted in place so that every node's rows are
 * contiguous). Each level splits every node that has a split gaining more than minGain; a node's
 * histogram is built for the smaller child only, the larger one is the parent's minus it. Leaf value
 * = −learningRate · G / (H + l2).
 */
export function growTree(
  data: Binned,
  gh: Float64Array,
  idx: Uint32Array,
  m: number,
  feats: Int32Array,
  o: GrowOptions,
  pool: Hist[] = [],
): GrownTree {
  const { n, cols, missing } = data;
  const take = () => {
    const a = pool.pop();
    if (a) {
      a.gh.fill(0);
      a.c.fill(0);
      return a;
    }
    return newHist(data);
  };
  const tree: Tree = { feature: [], threshold: [], left: [], right: [], value: [], missingLeft: [], gain: [], count: [] };
  const binThr: number[] = [];
  const leafRanges: GrownTree["leafRanges"] = [];
  const addNode = (G: number, H: number, C: number) => {
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    const d = H + o.l2;
    tree.value.push(d > 1e-300 ? (-o.learningRate * G) / d : 0);
    tree.missingLeft.push(false);
    tree.gain!.push(0);
    tree.count!.push(C);
    binThr.push(-1);
    return tree.feature.length - 1;
  };
  type Open = { node: number; start: number; end: number; G: number; H: number; C: number; hist: Hist | null };
  let G0 = 0,
    H0 = 0;
  for (let i = 0; i < m; i++) {
    G0 += gh[2 * idx[i]!]!;
    H0 += gh[2 * idx[i]! + 1]!;
  }
  const rootHist = o.depth > 0 ? take() : null;
  if (rootHist) buildHistogram(data, gh, idx, 0, m, feats, rootHist);
  let level: Open[] = [{ node: addNode(G0, H0, m), start: 0, end: m, G: G0, H: H0, C: m, hist: rootHist }];
  const scratch = new Uint32Array(m);
  for (let d = 0; d < o.depth; d++) {
    const next: Open[] = [];
    for (const nd of level) {
      const split = nd.hist ? findBestSplit(data, nd.hist, nd.G, nd.H, nd.C, feats, o.l2, Math.max(1, o.minLeaf), o.minGain) : null;
      if (!split) {
        if (nd.hist) pool.push(nd.hist);
        leafRanges.push({ node: nd.node, start: nd.start, end: nd.end });
        continue;
      }
      // Stable partition of the node's rows: left ones first.
      const f = split.feature;
      const b = split.bin;
      const ml = split.missingLeft;
      // Branch-free: each row is written to both sides and only its side's cursor advances.
      let l = nd.start;
      let r = 0;
      const mlBit = ml ? 1 : 0;
      const col = cols.subarray(f * n, (f + 1) * n);
      for (let i = nd.start; i < nd.end; i++) {
        const row = idx[i]!;
        const bin = col[row]!;
        const isMiss = (bin === missing) as unknown as number;
        const left = (((bin <= b) as unknown as number) & (isMiss ^ 1)) | (isMiss & mlBit);
        idx[l] = row;
        scratch[r] = row;
        l += left;
        r += left ^ 1;
      }
      idx.set(scratch.subarray(0, r), l);
      const mid = l;
      const cl = mid - nd.start;
      const cr = nd.end - mid;
      const left = addNode(split.gl, split.hl, cl);
      const right = addNode(nd.G - split.gl, nd.H - split.hl, cr);
      tree.feature[nd.node] = f;
      tree.threshold[nd.node] = split.threshold;
      tree.left[nd.node] = left;
      tree.right[nd.node] = right;
      tree.missingLeft[nd.node] = ml;
      tree.gain![nd.node] = split.gain;
      binThr[nd.node] = b;
      let hl: Hist | null = null;
      let hr: Hist | null = null;
      if (d + 1 < o.depth) {
        // Histogram of the smaller child; the larger is parent − smaller (reusing the parent's array).
        const small = take();
        const parent = nd.hist!;
        if (cl <= cr) buildHistogram(data, gh, idx, nd.start, mid, feats, small);
        else buildHistogram(data, gh, idx, mid, nd.end, feats, small);
        subtractHist(data, parent, small, feats);
        if (cl <= cr) {
          hl = small;
          hr = parent;
        } else {
          hl = parent;
          hr = small;
        }
      } else if (nd.hist) pool.push(nd.hist);
      next.push({ node: left, start: nd.start, end: mid, G: split.gl, H: split.hl, C: cl, hist: hl });
      next.push({ node: right, start: mid, end: nd.end, G: nd.G - split.gl, H: nd.H - split.hl, C: cr, hist: hr });
    }
    level = next;
  }
  for (const nd of level) leafRanges.push({ node: nd.node, start: nd.start, end: nd.end });
  return { tree, binThreshold: Int32Array.from(binThr), leafRanges };
}

/** Routes training row r through a grown tree by its bins (same result as the raw thresholds). */
function treeValueByBins(gt: GrownTree, data: Binned, r: number): number {
  const t = gt.tree;
  const rb = r * data.rowStride;
  let node = 0;
  while (t.feature[node]! >= 0) {
    const bin = data.bins[rb + t.feature[node]!]!;
    const goLeft = bin === data.missing ? t.missingLeft[node] : bin <= gt.binThreshold[node]!;
    node = goLeft ? t.left[node]! : t.right[node]!;
  }
  return t.value[node]!;
}

/** Fisher–Yates choice of k of 0..n−1, returned sorted. */
function sampleSorted(n: number, k: number, rand: () => number, pool: Uint32Array): Uint32Array {
  for (let i = 0; i < n; i++) pool[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rand() * (n - i));
    const t = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = t;
  }
  return pool.subarray(0, k).sort();
}

function checkLists(lists: TrainingList[], F: number, what: string): void {
  lists.forEach((l, q) => {
    if (l.x.length !== l.y.length) throw new Error(`${what} list ${q}: ${l.x.length} rows but ${l.y.length} labels`);
    for (const row of l.x) if (row.length !== F) throw new Error(`${what} list ${q}: a row has ${row.length} features, expected ${F}`);
  });
}

/**
 * Trains a histogram GBDT. Lambdarank: LambdaMART gradients per list (|ΔNDCG@ndcgAt| swaps, σ = 1),
 * base 0. Logistic: pointwise cross-entropy on every row (lists only carry weights), base = prior
 * log-odds. See GbdtParams for the knobs and README.md for the design.
 */
export function trainGbdt(lists: TrainingList[], featureNames: string[], p: GbdtParams): GbdtModel {
  const F = featureNames.length;
  checkLists(lists, F, "train");
  if (p.valid) checkLists(p.valid, F, "valid");
  const rand = mulberry32((p.seed ?? 1) * 0x9e3779b1 + 7);
  const l2 = p.l2 ?? 1;
  const k = p.ndcgAt ?? 10;
  const rows: number[][] = [];
  const starts: number[] = [0];
  for (const l of lists) {
    for (const r of l.x) rows.push(r);
    starts.push(rows.length);
  }
  const n = rows.length;
  const y = new Float64Array(n);
  const w = new Float64Array(n);
  lists.forEach((l, q) => {
    for (let i = 0; i < l.y.length; i++) {
      y[starts[q]! + i] = l.y[i]!;
      w[starts[q]! + i] = l.weight ?? 1;
    }
  });
  for (let i = 0; i < n; i++) {
    if (!(y[i]! >= 0)) throw new Error(`label ${y[i]} at row ${i}: labels must be >= 0`);
    if (p.objective === "logistic" && y[i] !== 0 && y[i] !== 1) throw new Error(`logistic labels must be 0 or 1, got ${y[i]}`);
  }
  const data = binRows(rows, F, p.bins ?? 64, rand);

  let base = 0;
  if (p.objective === "logistic") {
    let sy = 0,
      sw = 0;
    for (let i = 0; i < n; i++) {
      sy += w[i]! * y[i]!;
      sw += w[i]!;
    }
    const prior = Math.min(1 - 1e-6, Math.max(1e-6, sw > 0 ? sy / sw : 0.5));
    base = Math.log(prior / (1 - prior));
  }
  const score = new Float64Array(n).fill(base);
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const gh = new Float64Array(2 * n);
  const histPool: Hist[] = [];
  const idcg = lists.map((l) => idealDcg(l.y, k));
  let maxLen = 0;
  for (const l of lists) maxLen = Math.max(maxLen, l.y.length);
  const scratch = lambdaScratch(maxLen);

  // Validation state: running scores per valid row.
  const valid = p.valid ?? [];
  const vScores = valid.map((l) => new Float64Array(l.y.length).fill(base));
  const vLabels = valid.map((l) => l.y);
  const vWeights = valid.map((l) => l.weight ?? 1);
  const vFlatY = valid.flatMap((l) => l.y);
  const vFlatW = valid.flatMap((l) => l.y.map(() => l.weight ?? 1));
  // Higher is better for both: NDCG, or −logloss.
  const validMetric = (): number =>
    p.objective === "lambdarank"
      ? meanNdcg(vScores, vLabels, k, vWeights)
      : -logLoss(Float64Array.from(vScores.flatMap((s) => Array.from(s))), vFlatY, vFlatW);
  const useValid = valid.length > 0;
  let bestMetric = useValid ? validMetric() : -Infinity;
  let bestTrees = 0;

  const rowCount = Math.max(1, Math.min(n, Math.round(n * (p.rowFraction ?? 1))));
  const featCount = Math.max(1, Math.min(F, Math.round(F * (p.featureFraction ?? 1))));
  const rowPool = new Uint32Array(n);
  const featPool = new Uint32Array(F);
  const allFeats = Int32Array.from({ length: F }, (_, i) => i);
  const idx = new Uint32Array(n);
  const trees: Tree[] = [];
  const grow: GrowOptions = { depth: p.depth, minLeaf: p.minLeaf, l2, minGain: p.minGain ?? 0, learningRate: p.learningRate };

  for (let t = 0; t < p.trees; t++) {
    if (p.objective === "logistic") logisticGradients(score, y, w, g, h);
    else
      for (let q = 0; q < lists.length; q++)
        lambdaGradients(score, y, starts[q]!, starts[q + 1]!, k, lists[q]!.weight ?? 1, g, h, scratch, idcg[q]);

    const feats = featCount === F ? allFeats : Int32Array.from(sampleSorted(F, featCount, rand, featPool));
    let m = n;
    if (rowCount < n) {
      idx.set(sampleSorted(n, rowCount, rand, rowPool));
      m = rowCount;
    } else for (let i = 0; i < n; i++) idx[i] = i;

    for (let i = 0; i < n; i++) {
      gh[2 * i] = g[i]!;
      gh[2 * i + 1] = h[i]!;
    }
    const gt = growTree(data, gh, idx, m, feats, grow, histPool);
    if (m === n) {
      for (const lr of gt.leafRanges) {
        const v = gt.tree.value[lr.node]!;
        for (let i = lr.start; i < lr.end; i++) score[idx[i]!] += v;
      }
    } else for (let r = 0; r < n; r++) score[r] += treeValueByBins(gt, data, r);
    trees.push(gt.tree);

    let vm: number | undefined;
    if (useValid) {
      valid.forEach((l, q) => {
        const s = vScores[q]!;
        for (let i = 0; i < l.x.length; i++) s[i] += predictTree(gt.tree, l.x[i]!);
      });
      vm = validMetric();
      if (vm > bestMetric + 1e-12) {
        bestMetric = vm;
        bestTrees = trees.length;
      }
    }
    p.onTree?.({ tree: t, valid: vm === undefined ? undefined : p.objective === "logistic" ? -vm : vm });
    if (useValid && p.earlyStoppingRounds !== undefined && trees.length - bestTrees >= p.earlyStoppingRounds) break;
  }
  if (useValid && p.earlyStoppingRounds !== undefined) trees.length = bestTrees;
  return { kind: "gbdt", objective: p.objective, featureNames: [...featureNames], base, trees };
}
