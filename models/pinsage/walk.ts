// Random-walk importance for PinSage: from a card, walk card → board → card with restarts and count
// how often each card is visited. The top-T cards by visits are the card's neighbours (importance
// pooling weights); the tail of the ranking gives hard negatives for training.
//
// The graph is the pin–board CSR of models/pixie/graph.ts (any object with these four arrays fits).

export type WalkGraph = {
  /** pinBoards[pinOffsets[p] .. pinOffsets[p+1]) are pin p's boards. Length pins + 1. */
  pinOffsets: ArrayLike<number>;
  pinBoards: ArrayLike<number>;
  /** boardPins[boardOffsets[b] .. boardOffsets[b+1]) are board b's pins. Length boards + 1. */
  boardOffsets: ArrayLike<number>;
  boardPins: ArrayLike<number>;
};

export type Rng = () => number;

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pinCount = (g: WalkGraph) => g.pinOffsets.length - 1;

/**
 * Visit counter reused across walks (one Int32Array of counts and a touched list, reset after each
 * walk), so walking from every card costs no allocation per step.
 */
export class VisitCounter {
  private counts: Int32Array;
  private touched: number[] = [];
  constructor(private graph: WalkGraph) {
    this.counts = new Int32Array(pinCount(graph));
  }

  /**
   * Walks `steps` card-to-card steps from `start` (restarting there with probability `restart` after
   * each step) and returns the visited cards other than `start`, most visited first (ties: lower
   * index first, so the order is deterministic for a given rng).
   */
  walk(start: number, steps: number, restart: number, rng: Rng): { pins: Int32Array; visits: Int32Array } {
    const g = this.graph;
    const { counts, touched } = this;
    let cur = start;
    for (let s = 0; s < steps; s++) {
      const b0 = g.pinOffsets[cur]!;
      const nb = g.pinOffsets[cur + 1]! - b0;
      if (nb === 0) {
        if (cur === start) break; // an isolated card: nothing to visit
        cur = start;
        continue;
      }
      const board = g.pinBoards[b0 + Math.floor(rng() * nb)]!;
      const p0 = g.boardOffsets[board]!;
      const np = g.boardOffsets[board + 1]! - p0;
      const next = g.boardPins[p0 + Math.floor(rng() * np)]!;
      if (next !== start) {
        if (counts[next] === 0) touched.push(next);
        counts[next]!++;
      }
      cur = rng() < restart ? start : next;
    }
    const order = touched.slice().sort((a, b) => counts[b]! - counts[a]! || a - b);
    const pins = Int32Array.from(order);
    const visits = new Int32Array(order.length);
    for (let i = 0; i < order.length; i++) visits[i] = counts[order[i]!]!;
    for (const p of touched) counts[p] = 0;
    touched.length = 0;
    return { pins, visits };
  }
}

export type Neighbourhood = {
  /** T slots per card: neighbour indices (−1 = empty) and importance weights summing to 1 per card. */
  T: number;
  index: Int32Array;
  weight: Float32Array;
  /** Number of neighbours each card has (0 = no graph neighbours: its content alone is used). */
  count: Int32Array;
};

/** Top-T neighbours of one card from its walk ranking, weights = visits normalised over the top T. */
export function topNeighbours(ranked: { pins: Int32Array; visits: Int32Array }, T: number): { pins: number[]; weights: number[] } {
  const n = Math.min(T, ranked.pins.length);
  let total = 0;
  for (let i = 0; i < n; i++) total += ranked.visits[i]!;
  const pins: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < n; i++) {
    pins.push(ranked.pins[i]!);
    weights.push(ranked.visits[i]! / total);
  }
  return { pins, weights };
}
