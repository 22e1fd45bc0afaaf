// Pixie: recommendations by random walks over the card–board graph (Eksombatchai et al., "Pixie: A
// System for Recommending 3+ Billion Items to 200+ Million Users in Real-Time", WWW 2018).
//
// From each query card, short walks go card → one of its boards → one of that board's cards, and
// restart at the query with probability alpha after every step. Cards visited often are the ones people
// keep together with the query. Several query cards share one step budget (more steps to the cards that
// need them), their visit counts are combined so cards reached from several queries rise (the booster),
// a query's walks stop once enough cards are clearly ahead (early stopping), and walks can be nudged
// towards cards a person prefers (bias) and kept off boards that mix too many topics (pruning).
//
// Pure and synchronous: typed arrays in, plain objects out. The walk loop allocates nothing per step.

import type { PinBoardGraph } from "./graph";

export { buildGraph, graphBytes, edgeCount, pinDegree, boardDegree, localityOrder, type PinBoardGraph } from "./graph";

export type PixieQuery = { pin: number; weight: number };
export type PixieResult = { pin: number; score: number; visits: number };

export type PixieOptions = {
  /**
   * Total steps N over all query pins. 100k is the paper's real-time budget: enough that the top
   * hundred or so pins are stable from run to run on a graph with millions of edges.
   */
  steps?: number;
  /**
   * Restart probability after each pin → board → pin step (mean walk 1/alpha steps). 0.5 keeps walks
   * within two or three hops of the query: close enough to be "more like this", far enough to reach
   * cards the query's own boards do not hold.
   */
  alpha?: number;
  /** How many results. */
  limit?: number;
  /** Seed of the walk's PRNG: the same seed, graph and queries give the same results. */
  seed?: number;
  /**
   * Early stopping, per query: stop once `earlyStopPins` pins have at least `earlyStopVisits` visits.
   * The paper's 2,000 and 4: by then the top of the list no longer changes much. In the bench, five-pin
   * queries walk ~70% of their budget, for ~4 points less top-100 overlap with a 1M-step run (88% → 84%).
   * Set earlyStopPins to Infinity (or 0) to walk the whole budget.
   */
  earlyStopPins?: number;
  earlyStopVisits?: number;
  /**
   * Scale earlyStopPins by each query's share of the budget (default true). The paper's thresholds
   * are for a query walking the whole budget; with five query pins each walks a fifth, and would
   * almost never gather 2,000 pins at 4 visits, so early stopping would never save anything.
   */
  earlyStopScale?: boolean;
  /**
   * Per-pin preference in [0, 1] (1 = preferred, e.g. the person's language and interests). When a
   * walk steps from a board to a pin it draws a pin and keeps it with probability bias[pin], drawing
   * again up to `biasTries` times (then it keeps the last draw). So a board's preferred pins are walked
   * into more often, while a board with none of them still leads somewhere: bias shifts, never blocks.
   */
  pinBias?: Float32Array;
  /** Draws per board → pin step when biased. 3: most of the shift for at most three reads. */
  biasTries?: number;
  /** Per-board flag: 0 = pruned, never walked into (see pruneDiverseBoards). */
  boardKeep?: Uint8Array;
  /** Extra pins to leave out of the results (e.g. cards the person hid or already has). */
  exclude?: ArrayLike<number>;
  /**
   * Walks advanced together in one loop. Their memory reads are independent, so the CPU overlaps
   * their cache misses instead of waiting on one walk's chain of dependent reads (see bench/README.md):
   * 1 → 8 walkers halves the time on a 10M-edge graph; 64 (the default) costs nothing more.
   */
  walkers?: number;
};

export type PixieStats = {
  /** Steps actually walked, over all queries. */
  steps: number;
  /** Per query (in the order given): its share of the budget and the steps it walked. */
  perQuery: { pin: number; budget: number; steps: number; stoppedEarly: boolean }[];
  /** Milliseconds in the walks, in folding counts into scores (booster), and in picking the top. */
  ms: { walk: number; combine: number; select: number };
};

const DEFAULTS = {
  steps: 100_000,
  alpha: 0.5,
  limit: 100,
  seed: 1,
  earlyStopPins: 2000,
  earlyStopVisits: 4,
  biasTries: 3,
  walkers: 64,
  earlyStopScale: true,
};

/** Recommendations for the query pins: the most visited pins, query pins left out, best first. */
export function pixie(graph: PinBoardGraph, queries: PixieQuery[], opts: PixieOptions = {}): PixieResult[] {
  return pixieWithStats(graph, queries, opts).results;
}

// ── Budget split ─────────────────────────────────────────────────────────────────────────────────

/**
 * The paper's split of N steps over the query pins: N_q ∝ w_q · s_q with s_q = d_q · (C − ln d_q),
 * d_q the pin's degree and C the largest pin degree in the graph. A pin on many boards needs more steps
 * to gather the same evidence than a pin on few, but sub-linearly (the C − ln d term), so one very
 * popular query card cannot take the whole budget. Shares are scaled to sum to N (rounded down);
 * pins with no edges, or not in the graph, or with weight ≤ 0 get 0.
 */
export function stepSplit(graph: PinBoardGraph, queries: PixieQuery[], steps: number, boardKeep?: Uint8Array): number[] {
  const C = maxPinDegree(graph);
  const s = queries.map((q) => {
    if (!validPin(graph, q.pin) || !(q.weight > 0)) return 0;
    const d = boardKeep ? keptDegree(graph, q.pin, boardKeep) : graph.pinOffsets[q.pin + 1]! - graph.pinOffsets[q.pin]!;
    return d > 0 ? q.weight * d * (C - Math.log(d)) : 0;
  });
  const total = s.reduce((a, b) => a + b, 0);
  return s.map((x) => (total > 0 ? Math.floor((steps * x) / total) : 0));
}

// ── Walks ────────────────────────────────────────────────────────────────────────────────────────

type Scratch = {
  counts: Uint32Array; // one query's visits per pin, zeroed after each query via `touched`
  touched: Uint32Array;
  // [Σ_q √V_q[p], Σ_q V_q[p]] side by side (one cache line), zeroed via `allTouched`. Float32: half the
  // cache footprint; visits stay exact below 2^24 (the budget is far below), sums keep 7 digits.
  acc: Float32Array;
  allTouched: Uint32Array;
  excluded: Uint8Array;
  maxDegree: number;
};

// One set of per-pin arrays per graph, reused by every call: safe because pixie() is synchronous, and
// each call leaves them zeroed (only the entries it touched are reset, so a call costs O(steps), not O(pins)).
const scratches = new WeakMap<PinBoardGraph, Scratch>();

function scratchFor(g: PinBoardGraph): Scratch {
  let s = scratches.get(g);
  if (!s) {
    s = {
      counts: new Uint32Array(g.pins),
      touched: new Uint32Array(Math.min(g.pins, 1024)),
      acc: new Float32Array(2 * g.pins),
      allTouched: new Uint32Array(Math.min(g.pins, 1024)),
      excluded: new Uint8Array(g.pins),
      maxDegree: -1,
    };
    scratches.set(g, s);
  }
  return s;
}

function maxPinDegree(g: PinBoardGraph): number {
  const s = scratchFor(g);
  if (s.maxDegree < 0) {
    let m = 0;
    for (let p = 0; p < g.pins; p++) m = Math.max(m, g.pinOffsets[p + 1]! - g.pinOffsets[p]!);
    s.maxDegree = m;
  }
  return s.maxDegree;
}

const validPin = (g: PinBoardGraph, p: number) => Number.isInteger(p) && p >= 0 && p < g.pins;

function keptDegree(g: PinBoardGraph, p: number, keep: Uint8Array): number {
  let k = 0;
  for (let i = g.pinOffsets[p]!, end = g.pinOffsets[p + 1]!; i < end; i++) k += keep[g.pinBoards[i]!] ? 1 : 0;
  return k;
}

/** mulberry32, used only to turn the seed into a non-zero xorshift32 state. */
function seedState(seed: number): number {
  let t = (seed | 0) + 0x6d2b79f5;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  t = (t ^ (t >>> 14)) | 0;
  return t === 0 ? 0x9e3779b9 | 0 : t;
}

const U32 = 2.3283064365386963e-10; // 2^-32: (x >>> 0) * U32 is uniform in [0, 1)

export function pixieWithStats(
  graph: PinBoardGraph,
  queries: PixieQuery[],
  opts: PixieOptions = {},
): { results: PixieResult[]; stats: PixieStats } {
  const o = { ...DEFAULTS, ...stripUndefined(opts) };
  const stats: PixieStats = { steps: 0, perQuery: [], ms: { walk: 0, combine: 0, select: 0 } };
  if (graph.pins === 0 || queries.length === 0 || !(o.limit > 0)) return { results: [], stats };
  const alpha = Math.min(1, Math.max(1e-6, o.alpha));
  const np = o.earlyStopPins > 0 ? o.earlyStopPins : Infinity;
  const nv = Math.max(1, Math.floor(o.earlyStopVisits));
  const K = Math.max(1, Math.floor(o.walkers));
  const keep = opts.boardKeep ?? null;
  const bias = opts.pinBias ?? null;
  if (keep && keep.length < graph.boards) throw new RangeError("boardKeep is shorter than the number of boards");
  if (bias && bias.length < graph.pins) throw new RangeError("pinBias is shorter than the number of pins");

  const N = Math.max(0, Math.floor(o.steps));
  const budgets = stepSplit(graph, queries, N, keep ?? undefined);
  const sc = scratchFor(graph);
  const w: Walk = {
    g: graph,
    sc,
    K,
    nv,
    restartBelow: alpha * 4294967296, // restart when a uniform uint32 falls below this
    keep,
    bias,
    tries: Math.max(1, Math.floor(o.biasTries)),
    x: seedState(o.seed),
    cur: new Uint32Array(K),
    idx: new Uint32Array(K),
    nt: 0,
  };
  const walked = budgets.filter((b) => b > 0).length;
  let nAll = 0;
  let single = -1; // with one walked query its counts are the scores: no folding needed

  for (let qi = 0; qi < queries.length; qi++) {
    const q = queries[qi]!.pin;
    const budget = budgets[qi]!;
    const entry = { pin: q, budget, steps: 0, stoppedEarly: false };
    stats.perQuery.push(entry);
    if (budget === 0) continue;
    const want = Math.min(graph.pins, budget);
    if (sc.touched.length < want) sc.touched = new Uint32Array(Math.min(graph.pins, Math.max(want, sc.touched.length * 2)));
    // The paper's thresholds are for a query's whole budget; a query given a share of it stops at the
    // same share of pins (see earlyStopScale).
    const npq = o.earlyStopScale && Number.isFinite(np) ? Math.max(1, Math.ceil((np * budget) / N)) : np;
    const t0 = performance.now();
    const taken = walkQuery(w, q, budget, npq);
    const t1 = performance.now();
    stats.ms.walk += t1 - t0;
    entry.steps = taken;
    entry.stoppedEarly = taken < budget;
    stats.steps += taken;
    if (walked === 1) {
      single = qi;
      break;
    }

    // Booster: V[p] = (Σ_q √V_q[p])², so a pin reached from several queries beats one reached as often
    // from a single query. Fold this query's counts in and zero them for the next one.
    if (sc.allTouched.length < nAll + w.nt) {
      const grown = new Uint32Array(Math.min(graph.pins, Math.max(nAll + w.nt, sc.allTouched.length * 2)));
      grown.set(sc.allTouched.subarray(0, nAll));
      sc.allTouched = grown;
    }
    const { counts, touched, acc, allTouched } = sc;
    for (let i = 0, nt = w.nt; i < nt; i++) {
      const p = touched[i]!;
      const c = counts[p]!;
      counts[p] = 0;
      const a = 2 * p;
      if (acc[a + 1] === 0) allTouched[nAll++] = p;
      acc[a]! += Math.sqrt(c);
      acc[a + 1]! += c;
    }
    stats.ms.combine += performance.now() - t1;
  }

  // Keep the top `limit`, leaving out the queries and the caller's exclusions.
  const t2 = performance.now();
  const { counts, touched, acc, allTouched, excluded } = sc;
  for (const qq of queries) if (validPin(graph, qq.pin)) excluded[qq.pin] = 1;
  if (opts.exclude) for (let i = 0; i < opts.exclude.length; i++) if (validPin(graph, opts.exclude[i]!)) excluded[opts.exclude[i]!] = 1;
  const top = new TopK(Math.min(Math.floor(o.limit), single >= 0 ? w.nt : nAll));
  const results: PixieResult[] = [];
  if (single >= 0) {
    for (let i = 0, nt = w.nt; i < nt; i++) {
      const p = touched[i]!;
      const c = counts[p]!;
      if (top.beats(c, p) && !excluded[p]) top.offer(c, p);
    }
    for (let i = 0; i < top.size; i++) results.push({ pin: top.pins[i]!, score: top.scores[i]!, visits: top.scores[i]! });
    for (let i = 0, nt = w.nt; i < nt; i++) counts[touched[i]!] = 0;
  } else {
    for (let i = 0; i < nAll; i++) {
      const p = allTouched[i]!;
      const s = acc[2 * p]!;
      if (top.beats(s, p) && !excluded[p]) top.offer(s, p);
    }
    for (let i = 0; i < top.size; i++) {
      const p = top.pins[i]!;
      results.push({ pin: p, score: top.scores[i]! * top.scores[i]!, visits: acc[2 * p + 1]! });
    }
    for (let i = 0; i < nAll; i++) {
      const a = 2 * allTouched[i]!;
      acc[a] = 0;
      acc[a + 1] = 0;
    }
  }
  results.sort((a, b) => b.score - a.score || a.pin - b.pin);
  for (const qq of queries) if (validPin(graph, qq.pin)) excluded[qq.pin] = 0;
  if (opts.exclude) for (let i = 0; i < opts.exclude.length; i++) if (validPin(graph, opts.exclude[i]!)) excluded[opts.exclude[i]!] = 0;
  stats.ms.select = performance.now() - t2;
  return { results, stats };
}

type Walk = {
  g: PinBoardGraph;
  sc: Scratch;
  K: number;
  nv: number;
  restartBelow: number;
  keep: Uint8Array | null;
  bias: Float32Array | null;
  tries: number;
  /** xorshift32 state, carried from one query to the next */
  x: number;
  cur: Uint32Array;
  idx: Uint32Array;
  /** distinct pins the last query visited, listed in sc.touched */
  nt: number;
};

/**
 * Walks `budget` steps from q (fewer if early stopping triggers), counting visits into sc.counts.
 *
 * K walkers advance together, one stage at a time, and each stage is split into a loop that only
 * computes addresses and a loop that only loads: the loads of one stage are then independent of each
 * other and short enough that the CPU keeps many cache misses in flight. A lone walker instead waits
 * on each miss in turn (pin → its offsets → a board → its offsets → a pin). See bench/README.md.
 */
function walkQuery(w: Walk, q: number, budget: number, np: number): number {
  const { pinOffsets, pinBoards, boardOffsets, boardPins } = w.g;
  const { counts, touched } = w.sc;
  const { K, nv, restartBelow, keep, bias, tries, cur, idx } = w;
  let x = w.x;
  let nt = 0;
  let high = 0;
  let taken = 0;
  cur.fill(q);
  while (taken < budget && high < np) {
    const m = Math.min(K, budget - taken);
    // Stage 1: pin → a random board of it (a kept board, when pruning).
    for (let i = 0; i < m; i++) {
      const p = cur[i]!;
      const s = pinOffsets[p]!;
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      idx[i] = s + (((x >>> 0) * U32 * (pinOffsets[p + 1]! - s)) | 0);
    }
    for (let i = 0; i < m; i++) cur[i] = pinBoards[idx[i]!]!;
    if (keep !== null) {
      for (let i = 0; i < m; i++) {
        if (keep[cur[i]!] !== 0) continue;
        // A few redraws, then an exact uniform pick among the kept boards. Every walker's pin has one:
        // the query was checked by stepSplit and every other pin was reached through a kept board.
        // (Walker i's pin is board cur[i]'s predecessor: recover it from idx, which points into its row.)
        const row = idx[i]!;
        let p = 0;
        let lo = 0;
        let hi = w.g.pins;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (pinOffsets[mid + 1]! <= row) lo = mid + 1;
          else hi = mid;
        }
        p = lo;
        const s = pinOffsets[p]!;
        const d = pinOffsets[p + 1]! - s;
        let b = cur[i]!;
        for (let t = 0; t < 4 && keep[b] === 0; t++) {
          x ^= x << 13;
          x ^= x >>> 17;
          x ^= x << 5;
          b = pinBoards[s + (((x >>> 0) * U32 * d) | 0)]!;
        }
        if (keep[b] === 0) {
          let k = 0;
          for (let j = s; j < s + d; j++) k += keep[pinBoards[j]!] ? 1 : 0;
          x ^= x << 13;
          x ^= x >>> 17;
          x ^= x << 5;
          let j = ((x >>> 0) * U32 * k) | 0;
          for (let r = s; r < s + d; r++) {
            const c = pinBoards[r]!;
            if (keep[c] && j-- === 0) {
              b = c;
              break;
            }
          }
        }
        cur[i] = b;
      }
    }
    // Stage 2: board → a random pin of it (biased towards preferred pins when asked).
    for (let i = 0; i < m; i++) {
      const b = cur[i]!;
      const s = boardOffsets[b]!;
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      idx[i] = s + (((x >>> 0) * U32 * (boardOffsets[b + 1]! - s)) | 0);
    }
    if (bias === null) {
      for (let i = 0; i < m; i++) cur[i] = boardPins[idx[i]!]!;
    } else {
      for (let i = 0; i < m; i++) {
        let p = boardPins[idx[i]!]!;
        for (let t = 1; t < tries; t++) {
          x ^= x << 13;
          x ^= x >>> 17;
          x ^= x << 5;
          if ((x >>> 0) * U32 < bias[p]!) break;
          const b = cur[i]!;
          const s = boardOffsets[b]!;
          x ^= x << 13;
          x ^= x >>> 17;
          x ^= x << 5;
          p = boardPins[s + (((x >>> 0) * U32 * (boardOffsets[b + 1]! - s)) | 0)]!;
        }
        idx[i] = p;
      }
      for (let i = 0; i < m; i++) cur[i] = idx[i]!;
    }
    // Stage 3: count the visits; each walker restarts at the query with probability alpha. (The paper
    // samples each walk's length up front; a geometric length is exactly this per-step restart.)
    for (let i = 0; i < m; i++) {
      const p = cur[i]!;
      const c = ++counts[p]!;
      if (c === 1) touched[nt++] = p;
      if (c === nv) high++;
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      if (x >>> 0 < restartBelow) cur[i] = q;
    }
    taken += m;
  }
  w.x = x;
  w.nt = nt;
  return taken;
}

/** The best `k` (score, pin) pairs seen, in a min-heap; ties go to the lower pin index. */
class TopK {
  readonly pins: Uint32Array;
  readonly scores: Float64Array;
  size = 0;
  constructor(k: number) {
    this.pins = new Uint32Array(Math.max(0, k));
    this.scores = new Float64Array(Math.max(0, k));
  }
  /** Whether (s, p) would enter the heap. */
  beats(s: number, p: number): boolean {
    if (this.size < this.pins.length) return true;
    if (this.pins.length === 0) return false;
    const s0 = this.scores[0]!;
    return s > s0 || (s === s0 && p < this.pins[0]!);
  }
  offer(s: number, p: number): void {
    const { pins, scores } = this;
    const worse = (sa: number, pa: number, sb: number, pb: number) => sa < sb || (sa === sb && pa > pb);
    if (this.size < pins.length) {
      let j = this.size++;
      while (j > 0) {
        const parent = (j - 1) >> 1;
        if (!worse(s, p, scores[parent]!, pins[parent]!)) break;
        pins[j] = pins[parent]!;
        scores[j] = scores[parent]!;
        j = parent;
      }
      pins[j] = p;
      scores[j] = s;
      return;
    }
    let j = 0;
    for (;;) {
      const l = 2 * j + 1;
      if (l >= this.size) break;
      const r = l + 1;
      const c = r < this.size && worse(scores[r]!, pins[r]!, scores[l]!, pins[l]!) ? r : l;
      if (!worse(scores[c]!, pins[c]!, s, p)) break;
      pins[j] = pins[c]!;
      scores[j] = scores[c]!;
      j = c;
    }
    pins[j] = p;
    scores[j] = s;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

// ── Exact personalised PageRank, the reference the walks are tested against ───────────────────────

/**
 * Personalised PageRank on the pin → board → pin chain by power iteration: π = α·s + (1 − α)·π·P,
 * s the query weights normalised. A walk that restarts with probability α after each step visits
 * pins (other than the queries) in proportion to π. Pins with no (kept) boards send their mass back to
 * s, as a walk restarts there. For tests and evaluation on small graphs: O(E) per iteration.
 */
export function exactPpr(
  graph: PinBoardGraph,
  queries: PixieQuery[],
  alpha: number,
  opts: { iterations?: number; boardKeep?: Uint8Array } = {},
): Float64Array {
  const { pins, boards, pinOffsets, pinBoards, boardOffsets, boardPins } = graph;
  const keep = opts.boardKeep;
  const src = new Float64Array(pins);
  let total = 0;
  for (const q of queries) if (validPin(graph, q.pin) && q.weight > 0) total += q.weight;
  if (total === 0) return src;
  for (const q of queries) if (validPin(graph, q.pin) && q.weight > 0) src[q.pin]! += q.weight / total;
  const keptDeg = new Uint32Array(pins);
  for (let p = 0; p < pins; p++) keptDeg[p] = keep ? keptDegree(graph, p, keep) : pinOffsets[p + 1]! - pinOffsets[p]!;
  let pi = Float64Array.from(src);
  const boardMass = new Float64Array(boards);
  for (let it = 0; it < (opts.iterations ?? 200); it++) {
    boardMass.fill(0);
    let dangling = 0;
    for (let p = 0; p < pins; p++) {
      if (pi[p] === 0) continue;
      const d = keptDeg[p]!;
      if (d === 0) {
        dangling += pi[p]!;
        continue;
      }
      const share = pi[p]! / d;
      for (let i = pinOffsets[p]!; i < pinOffsets[p + 1]!; i++) if (!keep || keep[pinBoards[i]!]) boardMass[pinBoards[i]!]! += share;
    }
    const next = new Float64Array(pins);
    for (let b = 0; b < boards; b++) {
      if (boardMass[b] === 0) continue;
      const per = boardMass[b]! / (boardOffsets[b + 1]! - boardOffsets[b]!);
      for (let i = boardOffsets[b]!; i < boardOffsets[b + 1]!; i++) next[boardPins[i]!]! += per;
    }
    for (let p = 0; p < pins; p++) next[p] = alpha * src[p]! + (1 - alpha) * (next[p]! + dangling * src[p]!);
    pi = next;
  }
  return pi;
}

// ── Board pruning ────────────────────────────────────────────────────────────────────────────────

/**
 * The paper prunes boards whose pins spread over many topics ("Things I like"): a walk through them
 * lands anywhere, which dilutes every query. A board's entropy (in bits) is taken over the topic ids
 * of its pins, each pin spreading one unit over its topics; boards above maxEntropy are pruned (0).
 * Pins with no topics add nothing, and a board with no topic information is kept. Around 2.5–3 bits
 * (six to eight evenly mixed topics) is a reasonable start for a taxonomy of a few hundred interests.
 */
export function pruneDiverseBoards(graph: PinBoardGraph, pinTopics: (pin: number) => ArrayLike<number>, maxEntropy: number): Uint8Array {
  // Ask for each pin's topics once (a pin sits on many boards), stored as CSR.
  const topicOffsets = new Uint32Array(graph.pins + 1);
  const lists: ArrayLike<number>[] = new Array(graph.pins);
  for (let p = 0; p < graph.pins; p++) {
    lists[p] = pinTopics(p);
    topicOffsets[p + 1] = topicOffsets[p]! + lists[p]!.length;
  }
  const topics = new Float64Array(topicOffsets[graph.pins]!);
  for (let p = 0; p < graph.pins; p++) for (let i = 0; i < lists[p]!.length; i++) topics[topicOffsets[p]! + i] = lists[p]![i]!;

  const keep = new Uint8Array(graph.boards);
  const mass = new Map<number, number>();
  for (let b = 0; b < graph.boards; b++) {
    mass.clear();
    let total = 0;
    for (let i = graph.boardOffsets[b]!; i < graph.boardOffsets[b + 1]!; i++) {
      const p = graph.boardPins[i]!;
      const n = topicOffsets[p + 1]! - topicOffsets[p]!;
      if (n === 0) continue;
      for (let j = topicOffsets[p]!; j < topicOffsets[p + 1]!; j++) mass.set(topics[j]!, (mass.get(topics[j]!) ?? 0) + 1 / n);
      total += 1;
    }
    let h = 0;
    if (total > 0) for (const m of mass.values()) h -= (m / total) * Math.log2(m / total);
    keep[b] = h <= maxEntropy + 1e-12 ? 1 : 0;
  }
  return keep;
}

// ── Query pins from a person's engagement ────────────────────────────────────────────────────────

/**
 * How much one action says about what a person wants more of. Saving a card to a board is the paper's
 * strongest signal; opening the close-up or reading it aloud is deliberate interest; a click less so;
 * an impression barely counts (it was only shown). Practice means the card is in use. Hiding a card
 * removes it from the queries altogether.
 */
export const ACTION_WEIGHTS: Record<string, number> = {
  save: 1,
  practice: 0.7,
  closeup: 0.5,
  readaloud: 0.5,
  click: 0.3,
  impression: 0.05,
};

export type QueryWeightOptions = {
  /** Weight halves every this many days: two weeks follows a rehab fortnight's changing topics. */
  halfLifeDays?: number;
  /** Keep the strongest this many pins: more queries split the budget thinner. */
  maxPins?: number;
};

/**
 * Query pins and weights from a person's recent events: the sum over each pin's events of
 * ACTION_WEIGHTS[action] · ½^(ageDays / halfLife). A pin the person hid is left out; unknown actions
 * count nothing. Strongest first.
 */
export function queryWeights(events: { pin: number; action: string; ageDays: number }[], opts: QueryWeightOptions = {}): PixieQuery[] {
  const halfLife = opts.halfLifeDays ?? 14;
  const maxPins = opts.maxPins ?? 20;
  const weight = new Map<number, number>();
  const hidden = new Set<number>();
  for (const e of events) {
    if (e.action === "hide") {
      hidden.add(e.pin);
      continue;
    }
    const base = ACTION_WEIGHTS[e.action] ?? 0;
    if (base <= 0) continue;
    const w = base * Math.pow(0.5, Math.max(0, e.ageDays) / halfLife);
    weight.set(e.pin, (weight.get(e.pin) ?? 0) + w);
  }
  return [...weight]
    .filter(([pin, w]) => !hidden.has(pin) && w > 0)
    .map(([pin, w]) => ({ pin, weight: w }))
    .sort((a, b) => b.weight - a.weight || a.pin - b.pin)
    .slice(0, maxPins);
}
