// In-memory approximate nearest-neighbour search over unit vectors (cosine = dot product).
// sqlite-vec stays the store of record; this index only narrows a query down to some hundreds or
// thousands of candidates by sign-bit Hamming distance and re-ranks them exactly, so results are
// exact cosine scores over an approximate candidate set. No I/O; the two loops that touch every code
// (Hamming distances, collecting the nearest) are a small WebAssembly kernel, hamming.wat.

import { HAMMING_WASM_BASE64 } from "./hamming-wasm";

export interface Hit {
  id: number;
  score: number;
}

export interface SignBitIndexOptions {
  /** Keep a resident copy of every float vector for re-ranking (dim*4 bytes per vector). */
  keepVectors?: boolean;
  /**
   * Keep a resident int8 copy of every vector instead (dim + 4 bytes per vector: one scale each) and
   * re-rank with it when no floats are resident. Scores are then cosines to within ~0.001, not exact;
   * a quarter of the memory of keepVectors and no reads from the store per query.
   */
  keepInt8?: boolean;
  /** Slots to allocate up front; avoids the copies of repeated growth when the size is known. */
  initialCapacity?: number;
  /**
   * Origin for the sign bits: code bit i is set when vector[i] > center[i]. Real embeddings sit in a
   * narrow cone (unrelated items score well above cosine 0), and the shared direction fixes many bits
   * to the same value for every vector; centring on the corpus mean (see meanVector) frees them again.
   * Scores stay plain cosines of the raw vectors. Changing it means rebuilding the index.
   */
  center?: Float32Array;
}

export interface SearchOptions {
  /** How many Hamming-nearest codes to re-rank exactly; raised to k if smaller. Default 400. */
  candidates?: number;
  /**
   * Ids to leave out. Called only for the ids nearest by code, never for the whole index, so a
   * filter that rejects most ids makes the search widen in rounds; for very selective filters an
   * exact search over the allowed ids is cheaper.
   */
  filter?: (id: number) => boolean;
  /**
   * Supplies the floats for re-ranking when the index keeps none (read from the store of record).
   * Ids missing from the map are dropped from the results, as they are gone from the store.
   */
  fetchVectors?: (ids: number[]) => Map<number, Float32Array>;
}

export const DEFAULT_CANDIDATES = 400;

/** Higher score first; equal scores by lower id, so results are deterministic. */
function ranksBefore(a: Hit, b: Hit): boolean {
  return a.score > b.score || (a.score === b.score && a.id < b.id);
}

function compareHits(a: Hit, b: Hit): number {
  return b.score - a.score || a.id - b.id;
}

// Both exactSearch and the re-rank use this one summation, so equal inputs give bit-equal scores
// and recall comparisons are not disturbed by rounding.
function dot(a: Float32Array, aOffset: number, b: Float32Array, dim: number): number {
  let s = 0;
  for (let j = 0; j < dim; j++) s += a[aOffset + j] * b[j];
  return s;
}

/** Brute-force cosine over unit vectors: the reference the index is measured against. */
export function exactSearch(vectors: Float32Array, ids: Int32Array | number[], dim: number, query: Float32Array, k: number): Hit[] {
  if (query.length !== dim) throw new Error(`query has ${query.length} dimensions, expected ${dim}`);
  if (vectors.length < ids.length * dim) throw new Error("vectors is shorter than ids.length * dim");
  if (k <= 0) return [];
  // Keep only the best k while scanning: sorting a million hits would dominate the time.
  const top: Hit[] = [];
  for (let row = 0; row < ids.length; row++) {
    const hit = { id: ids[row], score: dot(vectors, row * dim, query, dim) };
    if (top.length === k && !ranksBefore(hit, top[k - 1])) continue;
    let i = Math.min(top.length, k - 1);
    top[i] = hit;
    while (i > 0 && ranksBefore(hit, top[i - 1])) {
      top[i] = top[i - 1];
      top[--i] = hit;
    }
  }
  return top;
}

/**
 * Sign-bit binary codes (bit i set when vector[i] > 0, or > center[i]) with an exact cosine
 * re-rank. Hamming distance between sign codes tracks the angle between vectors, so the true
 * neighbours sit among the nearest codes; at 512 dimensions a code is 64 bytes, 1/32 of the floats.
 * How many candidates recall needs grows with the corpus and with how crowded neighbourhoods are:
 * measure with bench/ann.ts.
 */
export class SignBitIndex {
  readonly dim: number;
  readonly keepVectors: boolean;
  readonly keepInt8: boolean;
  private readonly words: number;
  private readonly center: Float32Array | null;
  private capacity: number;
  private count = 0;
  private ids: Int32Array;
  private vectors: Float32Array | null;
  private int8: Int8Array | null;
  private scales: Float32Array | null;
  private readonly slotOf = new Map<number, number>();
  private readonly residual: Float32Array;
  // The codes, and the buffers every search reuses (query code, histogram, distances, collected
  // slots), live in the kernel's WebAssembly memory so its loops read them in place.
  private readonly kernel: Kernel;
  private layout!: Layout;
  private codes!: Uint32Array;
  private distances!: Uint16Array;
  private histogram!: Uint32Array;
  private queryCode!: Uint32Array;
  private collected!: Uint32Array;

  constructor(dim: number, options: SignBitIndexOptions = {}) {
    // Distances are kept in a Uint16Array.
    if (!Number.isInteger(dim) || dim < 1 || dim > 0xffff) throw new Error(`bad dimension ${dim}`);
    this.dim = dim;
    this.keepVectors = options.keepVectors ?? false;
    this.keepInt8 = !this.keepVectors && (options.keepInt8 ?? false);
    // Whole i64 words for the kernel; the padding bits are 0 in every code and in the query.
    this.words = 2 * Math.ceil(dim / 64);
    if (options.center && options.center.length !== dim) {
      throw new Error(`center has ${options.center.length} dimensions, expected ${dim}`);
    }
    this.center = options.center ? Float32Array.from(options.center) : null;
    this.capacity = Math.max(16, options.initialCapacity ?? 1024);
    this.kernel = newKernel();
    this.relayout(0);
    this.ids = new Int32Array(this.capacity);
    this.vectors = this.keepVectors ? new Float32Array(this.capacity * dim) : null;
    this.int8 = this.keepInt8 ? new Int8Array(this.capacity * dim) : null;
    this.scales = this.keepInt8 ? new Float32Array(this.capacity) : null;
    this.residual = new Float32Array(dim);
  }

  /**
   * Lays the kernel's memory out for the current capacity, growing it as needed, and moves the first
   * `keep` codes to their new place. Codes go last, so a larger capacity only ever moves them up.
   */
  private relayout(keep: number): void {
    const { dim, words, capacity } = this;
    const align = (n: number) => Math.ceil(n / 8) * 8;
    const query = 0;
    const histogram = align(query + words * 4);
    const distances = align(histogram + (dim + 1) * 4);
    const collected = align(distances + capacity * 2);
    const codes = align(collected + capacity * 4);
    const end = codes + capacity * words * 4;
    const memory = this.kernel.memory;
    if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / 65536));
    const buffer = memory.buffer; // a new ArrayBuffer after grow: every view is made again
    if (keep > 0 && this.layout) new Uint8Array(buffer).copyWithin(codes, this.layout.codes, this.layout.codes + keep * words * 4);
    this.layout = { query, histogram, distances, collected, codes };
    this.queryCode = new Uint32Array(buffer, query, words);
    this.histogram = new Uint32Array(buffer, histogram, dim + 1);
    this.distances = new Uint16Array(buffer, distances, capacity);
    this.collected = new Uint32Array(buffer, collected, capacity);
    this.codes = new Uint32Array(buffer, codes, capacity * words);
  }

  get size(): number {
    return this.count;
  }

  /** Bytes of typed-array storage per vector (code, id, distance, collected slot, copies); the id → slot Map adds some tens more. */
  get bytesPerVector(): number {
    return this.words * 4 + 4 + 2 + 4 + (this.keepVectors ? this.dim * 4 : 0) + (this.keepInt8 ? this.dim + 4 : 0);
  }

  has(id: number): boolean {
    return this.slotOf.has(id);
  }

  /** Adds the vector, or replaces the one stored under the same id. */
  add(id: number, vector: Float32Array): void {
    if (!Number.isInteger(id) || id < -0x80000000 || id > 0x7fffffff) throw new Error(`id ${id} is not an int32`);
    if (vector.length !== this.dim) throw new Error(`vector has ${vector.length} dimensions, expected ${this.dim}`);
    let slot = this.slotOf.get(id);
    if (slot === undefined) {
      if (this.count === this.capacity) this.grow();
      slot = this.count++;
      this.slotOf.set(id, slot);
      this.ids[slot] = id;
    }
    encode(vector, this.center, this.codes, slot * this.words, this.words);
    this.vectors?.set(vector, slot * this.dim);
    if (this.int8) {
      // With a centre, what is quantised is the offset from it: smaller than the vector, so the
      // same 8 bits resolve it more finely (the centre's part of a score is added back exactly).
      const r = this.residual;
      for (let j = 0; j < this.dim; j++) r[j] = vector[j] - (this.center ? this.center[j] : 0);
      this.scales![slot] = quantize(r, this.int8, slot * this.dim);
    }
  }

  /** Removes the id if present; the last slot moves into the hole so storage stays dense. */
  remove(id: number): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    this.slotOf.delete(id);
    const last = --this.count;
    if (slot !== last) {
      const movedId = this.ids[last];
      this.ids[slot] = movedId;
      this.slotOf.set(movedId, slot);
      const w = this.words;
      this.codes.copyWithin(slot * w, last * w, last * w + w);
      this.vectors?.copyWithin(slot * this.dim, last * this.dim, last * this.dim + this.dim);
      this.int8?.copyWithin(slot * this.dim, last * this.dim, last * this.dim + this.dim);
      if (this.scales) this.scales[slot] = this.scales[last];
    }
    return true;
  }

  /** Top-k by exact cosine among the `candidates` ids nearest to the query by code. */
  search(query: Float32Array, k: number, options: SearchOptions = {}): Hit[] {
    if (query.length !== this.dim) throw new Error(`query has ${query.length} dimensions, expected ${this.dim}`);
    if (!this.vectors && !this.int8 && !options.fetchVectors) {
      throw new Error("this index keeps no vectors: pass fetchVectors to re-rank");
    }
    if (this.count === 0 || k <= 0) return [];
    const want = Math.max(k, options.candidates ?? DEFAULT_CANDIDATES);
    encode(query, this.center, this.queryCode, 0, this.words);
    this.measureDistances();
    const slots = this.nearestSlots(want, options.filter);
    return this.rerank(query, slots, k, options.fetchVectors);
  }

  private grow(): void {
    this.capacity *= 2;
    this.relayout(this.count);
    const ids = new Int32Array(this.capacity);
    ids.set(this.ids);
    this.ids = ids;
    if (this.vectors) {
      const vectors = new Float32Array(this.capacity * this.dim);
      vectors.set(this.vectors);
      this.vectors = vectors;
    }
    if (this.int8 && this.scales) {
      const int8 = new Int8Array(this.capacity * this.dim);
      int8.set(this.int8);
      this.int8 = int8;
      const scales = new Float32Array(this.capacity);
      scales.set(this.scales);
      this.scales = scales;
    }
  }

  // Hamming distance from the query code to every stored code, plus their histogram: distances
  // fall in 0..dim, so the histogram finds the cut-off for the nearest C without sorting or a heap.
  private measureDistances(): void {
    this.histogram.fill(0);
    const { layout } = this;
    this.kernel.hamming(layout.codes, this.count, this.words / 2, layout.query, layout.distances, layout.histogram);
  }

  // The `want` slots nearest by code whose ids pass the filter; ties at the cut-off go by slot order.
  // Without a filter one pass suffices. With one, each round widens the cut-off to twice as many raw
  // slots as the last, so a filter that passes a fraction p costs about log2(1/p) extra passes,
  // and the filter only ever sees slots inside the cut-off, each at most once.
  private nearestSlots(want: number, filter?: (id: number) => boolean): number[] {
    const { distances, histogram, ids, collected, count, dim, layout } = this;
    const picked: number[] = [];
    const ties: number[] = [];
    let done = -1; // every distance <= done has been looked at
    let seen = 0; // slots at distance <= done
    for (let target = want; picked.length < want && done < dim; target *= 2) {
      let cut = done;
      let within = seen;
      while (cut < dim && within < target) within += histogram[++cut];
      ties.length = 0;
      // The slots in (done, cut], in slot order, found by the kernel's pass over the distances.
      const n = this.kernel.collect(layout.distances, count, done + 1, cut, layout.collected);
      for (let i = 0; i < n; i++) {
        const slot = collected[i];
        const d = distances[slot];
        if (d === cut && ties.length >= want) continue;
        if (filter && !filter(ids[slot])) continue;
        (d < cut ? picked : ties).push(slot);
      }
      for (let i = 0; i < ties.length && picked.length < want; i++) picked.push(ties[i]);
      done = cut;
      seen = within;
    }
    if (picked.length > want) {
      // A late round can pick up more near slots than are still needed; keep the nearest.
      picked.sort((a, b) => distances[a] - distances[b] || a - b);
      picked.length = want;
    }
    return picked;
  }

  private rerank(query: Float32Array, slots: number[], k: number, fetchVectors?: SearchOptions["fetchVectors"]): Hit[] {
    const { dim, ids } = this;
    const hits: Hit[] = [];
    if (this.vectors) {
      for (const slot of slots) hits.push({ id: ids[slot], score: dot(this.vectors, slot * dim, query, dim) });
    } else if (this.int8 && this.scales) {
      const { int8, scales, center } = this;
      const base = center ? dot(center, 0, query, dim) : 0; // the centre's part of every score
      for (const slot of slots) {
        let s = 0;
        for (let j = 0, off = slot * dim; j < dim; j++) s += int8[off + j] * query[j];
        hits.push({ id: ids[slot], score: base + s * scales[slot] });
      }
    } else {
      const wanted = slots.map((slot) => ids[slot]);
      const fetched = fetchVectors!(wanted);
      for (const id of wanted) {
        const vector = fetched.get(id);
        if (!vector) continue;
        if (vector.length !== dim) {
          throw new Error(`fetched vector ${id} has ${vector.length} dimensions, expected ${dim}`);
        }
        hits.push({ id, score: dot(vector, 0, query, dim) });
      }
    }
    hits.sort(compareHits);
    if (hits.length > k) hits.length = k;
    return hits;
  }
}

type Layout = { query: number; histogram: number; distances: number; collected: number; codes: number };

interface Kernel {
  memory: WebAssembly.Memory;
  hamming(codes: number, count: number, words: number, query: number, distances: number, histogram: number): void;
  collect(distances: number, count: number, lo: number, hi: number, out: number): number;
}

let kernelModule: WebAssembly.Module | undefined;
/** One instance, with its own memory, per index; the module is compiled once. */
function newKernel(): Kernel {
  kernelModule ??= new WebAssembly.Module(Uint8Array.from(atob(HAMMING_WASM_BASE64), (c) => c.charCodeAt(0)));
  return new WebAssembly.Instance(kernelModule).exports as unknown as Kernel;
}

/** Symmetric scalar quantisation of one vector into out[offset..]; returns its scale (value = q × scale). */
function quantize(vector: Float32Array, out: Int8Array, offset: number): number {
  let max = 0;
  for (let i = 0; i < vector.length; i++) max = Math.max(max, Math.abs(vector[i]));
  const scale = max / 127 || 1;
  for (let i = 0; i < vector.length; i++) out[offset + i] = Math.round(vector[i] / scale);
  return scale;
}

function encode(vector: Float32Array, center: Float32Array | null, out: Uint32Array, offset: number, words: number): void {
  out.fill(0, offset, offset + words);
  for (let i = 0; i < vector.length; i++) {
    if (vector[i] > (center ? center[i] : 0)) out[offset + (i >>> 5)] |= 1 << (i & 31);
  }
}

/** Mean of n*dim row-major vectors: the `center` for a SignBitIndex over them (a sample will do). */
export function meanVector(vectors: Float32Array, dim: number): Float32Array {
  const rows = Math.floor(vectors.length / dim);
  const sum = new Float64Array(dim);
  for (let i = 0; i < rows; i++) for (let j = 0; j < dim; j++) sum[j] += vectors[i * dim + j];
  return Float32Array.from(sum, (x) => (rows > 0 ? x / rows : 0));
}

// ---------------------------------------------------------------------------------------------
// Synthetic data, shared by the tests and bench/ann.ts so both measure the same distribution.

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal samples from a uniform source (Box–Muller, both outputs used). */
export function gaussian(random: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const u = 1 - random(); // (0, 1]: log(0) would be -Infinity
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * random();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
}

function normalize(v: Float32Array, offset: number, dim: number): void {
  let s = 0;
  for (let j = 0; j < dim; j++) s += v[offset + j] * v[offset + j];
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let j = 0; j < dim; j++) v[offset + j] *= inv;
}

export interface ClusterOptions {
  clusters: number;
  /** Clusters share this many topics; neighbouring clusters of a topic overlap. Default √clusters. */
  topics?: number;
  /**
   * Norm of a cluster centre's own offset from its topic (topic direction has norm 1). Default 0.3,
   * close enough that an exact top-10 usually mixes several clusters of a topic.
   */
  clusterSpread?: number;
  /** Norm of a point's noise relative to its cluster centre (norm 1). Default 1. */
  pointSpread?: number;
  /**
   * Norm of one direction added to every vector before normalising: the anisotropy of real embedding
   * models, where unrelated items still score well above 0. Default 0 (random pairs near cosine 0).
   */
  common?: number;
  seed?: number;
}

export interface ClusteredData {
  vectors: Float32Array;
  /** Cluster of each row, to check that neighbours are not all from one cluster. */
  labels: Int32Array;
}

/**
 * n unit vectors in two-level clusters: topics, clusters around topics, points around clusters,
 * each level an isotropic Gaussian offset. Spreads are norms, so they mean the same at any dim.
 */
export function clusteredUnitVectors(n: number, dim: number, options: ClusterOptions): ClusteredData {
  const { clusters, clusterSpread = 0.3, pointSpread = 1, common = 0, seed = 1 } = options;
  const topics = options.topics ?? Math.max(1, Math.round(Math.sqrt(clusters)));
  const random = mulberry32(seed);
  const normal = gaussian(random);
  const unitNoise = (out: Float32Array, offset: number, scale: number) => {
    const s = scale / Math.sqrt(dim);
    for (let j = 0; j < dim; j++) out[offset + j] += normal() * s;
  };
  const shared = new Float32Array(dim);
  unitNoise(shared, 0, 1);
  normalize(shared, 0, dim);
  const topicCentres = new Float32Array(topics * dim);
  for (let t = 0; t < topics; t++) {
    unitNoise(topicCentres, t * dim, 1);
    normalize(topicCentres, t * dim, dim);
  }
  const centres = new Float32Array(clusters * dim);
  for (let c = 0; c < clusters; c++) {
    centres.set(topicCentres.subarray((c % topics) * dim, (c % topics) * dim + dim), c * dim);
    unitNoise(centres, c * dim, clusterSpread);
    normalize(centres, c * dim, dim);
  }
  const vectors = new Float32Array(n * dim);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(random() * clusters);
    labels[i] = c;
    vectors.set(centres.subarray(c * dim, c * dim + dim), i * dim);
    unitNoise(vectors, i * dim, pointSpread);
    for (let j = 0; j < dim; j++) vectors[i * dim + j] += common * shared[j];
    normalize(vectors, i * dim, dim);
  }
  return { vectors, labels };
}

/** Queries near the data: random rows plus Gaussian noise of the given norm, normalised. */
export function queriesNear(vectors: Float32Array, dim: number, count: number, noise: number, seed = 2): Float32Array[] {
  const random = mulberry32(seed);
  const normal = gaussian(random);
  const rows = vectors.length / dim;
  const queries: Float32Array[] = [];
  for (let q = 0; q < count; q++) {
    const row = Math.floor(random() * rows);
    const v = vectors.slice(row * dim, row * dim + dim);
    for (let j = 0; j < dim; j++) v[j] += (normal() * noise) / Math.sqrt(dim);
    normalize(v, 0, dim);
    queries.push(v);
  }
  return queries;
}
