// Quantile binning and histogram split search, the core of the histogram GBDT.
//
// Every feature's values are cut once into at most `maxBins` bins by quantiles (bin b holds values in
// (t[b−1], t[b]]), so a split "bin <= b" is exactly the split "x <= t[b]" on raw values. Missing
// values (NaN) go to one more bin, MISSING = maxBins, shared by all features. Bin indices are stored
// row-major in one Uint8Array, n × F, so building a node's histogram reads each row's bytes in turn.

export type Binned = {
  n: number;
  /** Features (columns). */
  F: number;
  /** Histogram slots per feature: maxBins value bins + 1 missing bin. */
  stride: number;
  /** The missing bin's index (= maxBins). */
  missing: number;
  /** Bytes per row in `bins`: F rounded up to a multiple of 4 (padding bytes are 0). */
  rowStride: number;
  /** Row-major bin indices, n × rowStride. */
  bins: Uint8Array;
  /** The same bytes read four at a time (little-endian), or null on a big-endian machine. */
  words: Uint32Array | null;
  /** Column-major copy, F × n: a node's partition reads one feature of ascending rows. */
  cols: Uint8Array;
  /** Per feature, the upper edges t[0] < t[1] < … of its value bins but the last (so nbins = t.length + 1). */
  thresholds: Float64Array[];
};

/** Bin of value v given a feature's upper edges: the first b with v <= t[b], else t.length; NaN → missing. */
export function binOf(t: Float64Array, v: number, missing: number): number {
  if (v !== v) return missing;
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= t[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** A cut between consecutive distinct values a < b: their midpoint when it lies strictly between, else a. */
function cutBetween(a: number, b: number): number {
  if (a === -Infinity) return -Number.MAX_VALUE; // thresholds stay finite (JSON has no Infinity)
  const m = a + (b - a) / 2;
  return m > a && m < b && Number.isFinite(m) ? m : a;
}

/**
 * Upper edges for one feature's non-missing values (sorted ascending in place). With at most maxBins
 * distinct values each gets its own bin (cuts at midpoints); otherwise distinct values are packed
 * greedily into bins of about n/maxBins rows, so a value repeated often gets a bin to itself.
 */
export function quantileEdges(sorted: Float64Array, maxBins: number): Float64Array {
  const n = sorted.length;
  if (n === 0) return new Float64Array(0);
  // End (exclusive) of the run of equal values starting at i.
  const runEnd = (i: number) => {
    let j = i + 1;
    while (j < n && sorted[j] === sorted[i]) j++;
    return j;
  };
  let d = 1;
  for (let i = 1; i < n; i++) if (sorted[i] !== sorted[i - 1]) d++;
  const edges: number[] = [];
  if (d <= maxBins) {
    for (let i = 1; i < n; i++) if (sorted[i] !== sorted[i - 1]) edges.push(cutBetween(sorted[i - 1]!, sorted[i]!));
    return Float64Array.from(edges);
  }
  // Greedy: close the current bin once it holds its share of the rows still to place, or before a
  // value that alone fills a share, or at every value once the remaining ones fit one per bin.
  let placed = 0; // rows in closed bins
  let inBin = 0;
  let distinctLeft = d; // distinct values from the current run on
  for (let i = 0, e = runEnd(0); e < n && edges.length < maxBins - 1;) {
    inBin += e - i;
    distinctLeft--;
    const next = runEnd(e);
    const binsLeft = maxBins - edges.length;
    const share = (n - placed) / binsLeft;
    if (inBin >= share || next - e >= share || distinctLeft <= binsLeft - 1) {
      edges.push(cutBetween(sorted[e - 1]!, sorted[e]!));
      placed += inBin;
      inBin = 0;
    }
    i = e;
    e = next;
  }
  return Float64Array.from(edges);
}

/**
 * Bins every feature of the rows (row accessor: rows[i][f]). Bin edges are computed from at most
 * `sample` rows per feature (seeded choice) so binning stays fast on large data.
 */
export function binRows(rows: ArrayLike<ArrayLike<number>>, F: number, maxBins: number, rand: () => number, sample = 100_000): Binned {
  if (!(maxBins >= 2 && maxBins <= 255)) throw new Error(`bins must be in 2..255, got ${maxBins}`);
  const n = rows.length;
  const rowStride = Math.ceil(F / 4) * 4;
  const bins = new Uint8Array(n * rowStride);
  const cols = new Uint8Array(F * n);
  const thresholds: Float64Array[] = [];
  let pick: Uint32Array | null = null;
  if (n > sample) {
    pick = new Uint32Array(sample);
    for (let i = 0; i < sample; i++) pick[i] = Math.floor(rand() * n);
  }
  const tmp = new Float64Array(pick ? sample : n);
  // Features in chunks: one pass over the rows copies a chunk's columns (rows are separate arrays,
  // so reading them once per chunk rather than once per feature saves most cache misses).
  const CHUNK = 8;
  const chunk = new Float64Array(Math.min(CHUNK, F) * n);
  for (let f0 = 0; f0 < F; f0 += CHUNK) {
    const w = Math.min(CHUNK, F - f0);
    for (let i = 0; i < n; i++) {
      const row = rows[i]!;
      for (let c = 0; c < w; c++) chunk[c * n + i] = row[f0 + c]!;
    }
    for (let c = 0; c < w; c++) {
      const col = chunk.subarray(c * n, (c + 1) * n);
      let m = 0;
      if (pick) {
        for (let i = 0; i < pick.length; i++) {
          const v = col[pick[i]!]!;
          if (v === v) tmp[m++] = v;
        }
      } else {
        for (let i = 0; i < n; i++) {
          const v = col[i]!;
          if (v === v) tmp[m++] = v;
        }
      }
      const vals = tmp.subarray(0, m);
      vals.sort();
      const t = quantileEdges(vals, maxBins);
      thresholds.push(t);
      const f = f0 + c;
      const out = cols.subarray(f * n, (f + 1) * n);
      for (let i = 0, o = f; i < n; i++, o += rowStride) out[i] = bins[o] = binOf(t, col[i]!, maxBins);
    }
  }
  const littleEndian = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
  const words = littleEndian ? new Uint32Array(bins.buffer, bins.byteOffset, bins.length / 4) : null;
  return { n, F, stride: maxBins + 1, missing: maxBins, rowStride, bins, words, cols, thresholds };
}

/**
 * A node's histogram: per feature and bin, the sums of gradient and hessian (interleaved, gh[2k],
 * gh[2k+1]) and the row count, at slot k = feature·stride + bin.
 */
export type Hist = { gh: Float64Array; c: Uint32Array };
export function newHist(data: Binned): Hist {
  // Slots for the padding features too (they collect rows in bin 0 and are never split on).
  return { gh: new Float64Array(data.rowStride * data.stride * 2), c: new Uint32Array(data.rowStride * data.stride) };
}

/**
 * Adds rows idx[start..end) to a histogram, for the listed features only. `gh` holds each row's
 * gradient and hessian interleaved (gh[2r], gh[2r+1]).
 */
export function buildHistogram(
  data: Binned,
  gh: Float64Array,
  idx: Uint32Array,
  start: number,
  end: number,
  feats: Int32Array,
  hist: Hist,
): void {
  const { F, bins, words, stride, rowStride } = data;
  const nf = feats.length;
  const hg = hist.gh;
  const hc = hist.c;
  if (nf === F && words) {
    // All features: read each row's bins four bytes at a time.
    const W = rowStride >> 2;
    for (let i = start; i < end; i++) {
      const r = idx[i]!;
      const gr = gh[2 * r]!;
      const hr = gh[2 * r + 1]!;
      const rw = r * W;
      for (let q = 0, base = 0; q < W; q++) {
        const w = words[rw + q]!;
        let k = base + (w & 255);
        hg[2 * k] += gr;
        hg[2 * k + 1] += hr;
        hc[k]++;
        base += stride;
        k = base + ((w >>> 8) & 255);
        hg[2 * k] += gr;
        hg[2 * k + 1] += hr;
        hc[k]++;
        base += stride;
        k = base + ((w >>> 16) & 255);
        hg[2 * k] += gr;
        hg[2 * k + 1] += hr;
        hc[k]++;
        base += stride;
        k = base + (w >>> 24);
        hg[2 * k] += gr;
        hg[2 * k + 1] += hr;
        hc[k]++;
        base += stride;
      }
    }
  } else {
    for (let i = start; i < end; i++) {
      const r = idx[i]!;
      const gr = gh[2 * r]!;
      const hr = gh[2 * r + 1]!;
      const rb = r * rowStride;
      for (let j = 0; j < nf; j++) {
        const f = feats[j]!;
        const k = f * stride + bins[rb + f]!;
        hg[2 * k] += gr;
        hg[2 * k + 1] += hr;
        hc[k]++;
      }
    }
  }
}

/** parent −= child over the listed features (the histogram subtraction trick). */
export function subtractHist(data: Binned, parent: Hist, child: Hist, feats: Int32Array): void {
  const stride = data.stride;
  for (let j = 0; j < feats.length; j++) {
    const k0 = feats[j]! * stride;
    for (let k = k0; k < k0 + stride; k++) {
      parent.gh[2 * k] -= child.gh[2 * k]!;
      parent.gh[2 * k + 1] -= child.gh[2 * k + 1]!;
      parent.c[k] -= child.c[k]!;
    }
  }
}

export type Split = {
  feature: number;
  /** Rows with bin <= bin go left (x <= threshold). */
  bin: number;
  threshold: number;
  missingLeft: boolean;
  gain: number;
  gl: number;
  hl: number;
  cl: number;
};

/** The objective's second-order score of a node: G²/(H + λ) (twice the loss reduction of its Newton step). */
export function nodeScore(G: number, H: number, l2: number): number {
  const d = H + l2;
  return d > 1e-300 ? (G * G) / d : 0;
}

/** Threshold on raw values equivalent to "bin <= b" for a feature with these edges (b < nbins). */
export function thresholdOf(t: Float64Array, b: number): number {
  // The last value bin: "everything that is not missing" (a split that separates only NaNs).
  return b < t.length ? t[b]! : Number.MAX_VALUE;
}

/**
 * Best split of a node from its histogram: for every listed feature and every bin boundary, tries
 * the missing rows on the left and on the right and keeps the better; gain = score(L) + score(R) −
 * score(parent). Both children need at least minLeaf rows. When the node has no missing values for a
 * feature, missing values seen later go with the larger child. Ties keep the first found (lower
 * feature, lower bin, missing right before left). Returns null when no split gains more than minGain.
 */
export function findBestSplit(
  data: Binned,
  hist: Hist,
  G: number,
  H: number,
  C: number,
  feats: Int32Array,
  l2: number,
  minLeaf: number,
  minGain: number,
): Split | null {
  const { stride, missing, thresholds } = data;
  const parent = nodeScore(G, H, l2);
  const hg = hist.gh;
  const hc = hist.c;
  let best: Split | null = null;
  let bestGain = minGain;
  for (let j = 0; j < feats.length; j++) {
    const f = feats[j]!;
    const t = thresholds[f]!;
    const nb = t.length + 1;
    const base = f * stride;
    const mk = base + missing;
    const gm = hg[2 * mk]!;
    const hm = hg[2 * mk + 1]!;
    const cm = hc[mk]!;
    let gl = 0,
      hl = 0,
      cl = 0;
    for (let b = 0; b < nb; b++) {
      const k = base + b;
      gl += hg[2 * k]!;
      hl += hg[2 * k + 1]!;
      cl += hc[k]!;
      // Missing right: left = bins 0..b.
      {
        const cr = C - cl;
        if (cl >= minLeaf && cr >= minLeaf) {
          const gain = nodeScore(gl, hl, l2) + nodeScore(G - gl, H - hl, l2) - parent;
          if (gain > bestGain) {
            bestGain = gain;
            // With no missing rows here, unseen NaNs follow the larger child.
            const ml = cm === 0 ? cl >= cr : false;
            best = { feature: f, bin: b, threshold: thresholdOf(t, b), missingLeft: ml, gain, gl, hl, cl };
          }
        }
      }
      // Missing left: left = bins 0..b plus missing.
      if (cm > 0) {
        const l = cl + cm;
        const cr = C - l;
        if (l >= minLeaf && cr >= minLeaf) {
          const gain = nodeScore(gl + gm, hl + hm, l2) + nodeScore(G - gl - gm, H - hl - hm, l2) - parent;
          if (gain > bestGain) {
            bestGain = gain;
            best = { feature: f, bin: b, threshold: thresholdOf(t, b), missingLeft: true, gain, gl: gl + gm, hl: hl + hm, cl: l };
          }
        }
      }
    }
  }
  return best;
}
