import { mulberry32 } from "./walk";

/**
 * Positive training pairs from boards: each card with up to `perCard` random other cards of each of
 * its boards. The app (app/services/pinsage.server.ts) and the MovieLens evaluation both train on these.
 */
export function boardPairs(
  graph: { boardOffsets: ArrayLike<number>; boardPins: ArrayLike<number> },
  perCard: number,
  seed: number,
): [number, number][] {
  const rng = mulberry32(seed);
  const out: [number, number][] = [];
  const boards = graph.boardOffsets.length - 1;
  for (let b = 0; b < boards; b++) {
    const from = graph.boardOffsets[b]!;
    const n = graph.boardOffsets[b + 1]! - from;
    if (n < 2) continue;
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < Math.min(perCard, n - 1); k++) {
        let j = Math.floor(rng() * (n - 1));
        if (j >= i) j++;
        out.push([graph.boardPins[from + i]!, graph.boardPins[from + j]!]);
      }
    }
  }
  return out;
}

/** A card's walk ranking cut to its most visited cards: the pool its co-engagement positives come from. */
export type WalkPool = { pins: ArrayLike<number>; visits: ArrayLike<number> };

/**
 * Co-engagement positives from random walks (Ying et al. 2018, §3.4): for each card q with a walk
 * pool, `perPin` cards drawn with replacement from its pool with probability ∝ visit count (the
 * importance: cards reached more often from q are engaged with q more often), as pairs [q, p].
 * Binary search over the cumulative visits; `plainWalkPairs` in the tests is the linear-scan version.
 */
export function walkPairs(pools: (WalkPool | undefined)[], perPin: number, rng: () => number): [number, number][] {
  const out: [number, number][] = [];
  for (let q = 0; q < pools.length; q++) {
    const pool = pools[q];
    const n = pool?.pins.length ?? 0;
    if (!pool || n === 0 || perPin <= 0) continue;
    const cum = new Float64Array(n);
    let total = 0;
    for (let k = 0; k < n; k++) cum[k] = total += Math.max(0, pool.visits[k]!);
    if (total <= 0) continue;
    for (let r = 0; r < perPin; r++) {
      const x = rng() * total;
      // First k with cum[k] > x.
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid]! > x) hi = mid;
        else lo = mid + 1;
      }
      out.push([q, pool.pins[lo]!]);
    }
  }
  return out;
}

/**
 * A sampler of cards ∝ (degree + 1)^exponent (0 = uniform; 0.75 = word2vec's popularity-aware
 * negatives): the random negatives then include popular cards, which a uniform draw over a long-tailed
 * catalogue almost never does.
 */
export function degreeSampler(pinOffsets: ArrayLike<number>, exponent: number): (rng: () => number) => number {
  const N = pinOffsets.length - 1;
  if (exponent === 0) return (rng) => Math.floor(rng() * N);
  const cum = new Float64Array(N);
  let total = 0;
  for (let p = 0; p < N; p++) cum[p] = total += Math.pow(pinOffsets[p + 1]! - pinOffsets[p]! + 1, exponent);
  return (rng) => {
    const x = rng() * total;
    let lo = 0;
    let hi = N - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}
