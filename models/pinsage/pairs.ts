import { mulberry32 } from "./walk";

/**
 * Positive training pairs from boards: each card with up to `perCard` random other cards of each of
 * its boards. The app (app/services/pinsage.server.ts) and the MovieLens evaluation both train on these.
 */
export function boardPairs(graph: { boardOffsets: ArrayLike<number>; boardPins: ArrayLike<number> }, perCard: number, seed: number): [number, number][] {
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
