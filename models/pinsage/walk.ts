// Random-walk importance for PinSage: from a card, walk card → board → card with restarts and count
// how often each card is visited. The top-T cards by visits are the card's neighbours (importance
// pooling weights); the tail of the ranking gives hard negatives for training.
//
// The graph is the pin–board CSR of models/pixie/graph.ts, and the walks are Pixie's.

import { pixie, type PinBoardGraph } from "../pixie/index";

export type WalkGraph = PinBoardGraph;

export { mulberry32, type Rng } from "../random";

export const pinCount = (g: WalkGraph) => g.pins;

/**
 * The cards most visited by random walks from `pin` (card → board → card, restart probability
 * `restart` after each step, `steps` steps, no early stopping), `pin` itself left out, most visited
 * first: Pixie's walk (models/pixie) with a single query.
 */
export function walkRanking(
  graph: PinBoardGraph,
  pin: number,
  steps: number,
  restart: number,
  limit: number,
  seed: number,
): { pins: Int32Array; visits: Int32Array } {
  const r = pixie(graph, [{ pin, weight: 1 }], { steps, alpha: restart, limit, seed, earlyStopPins: 0 });
  return { pins: Int32Array.from(r, (x) => x.pin), visits: Int32Array.from(r, (x) => x.visits) };
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
