// The card–board bipartite graph held in memory for Pixie's random walks, as compressed sparse rows
// (CSR) in both directions. Indices are dense and 0-based; the database adapter maps ids to them.
//
// Why CSR in typed arrays: a walk step is two random reads (pin → one of its boards → one of that
// board's pins), and at 10M edges the adjacency is far bigger than the CPU caches. Flat Uint32Arrays
// keep each neighbour list contiguous, cost 8 bytes per edge for both directions together (plus 4 bytes
// per node of offsets), and put nothing on the JS heap for the garbage collector to trace.

export type PinBoardGraph = {
  pins: number;
  boards: number;
  /** pinBoards[pinOffsets[p] .. pinOffsets[p+1]) are pin p's boards, ascending. Length pins + 1. */
  pinOffsets: Uint32Array;
  pinBoards: Uint32Array;
  /** boardPins[boardOffsets[b] .. boardOffsets[b+1]) are board b's pins, ascending. Length boards + 1. */
  boardOffsets: Uint32Array;
  boardPins: Uint32Array;
};

/**
 * Builds both directions from an edge list (edgePins[i] sits on edgeBoards[i]) in O(E + pins + boards)
 * with counting sorts; a repeated edge is kept once. Throws RangeError on an index out of range.
 */
export function buildGraph(pins: number, boards: number, edgePins: ArrayLike<number>, edgeBoards: ArrayLike<number>): PinBoardGraph {
  if (!Number.isInteger(pins) || pins < 0 || !Number.isInteger(boards) || boards < 0)
    throw new RangeError("pins and boards must be non-negative integers");
  if (edgePins.length !== edgeBoards.length) throw new RangeError("edgePins and edgeBoards differ in length");
  const n = edgePins.length;
  if (n > 0xffffffff) throw new RangeError("too many edges for 32-bit offsets");

  // 1. Group edges by board (counting sort), checking ranges on the way.
  const boardCount = new Uint32Array(boards + 1);
  for (let i = 0; i < n; i++) {
    const p = edgePins[i]!;
    const b = edgeBoards[i]!;
    if (!(p >= 0 && p < pins && p === (p | 0))) throw new RangeError(`edge ${i}: pin ${p} out of range`);
    if (!(b >= 0 && b < boards && b === (b | 0))) throw new RangeError(`edge ${i}: board ${b} out of range`);
    boardCount[b + 1]!++;
  }
  for (let b = 0; b < boards; b++) boardCount[b + 1]! += boardCount[b]!;
  const byBoard = new Uint32Array(n); // pins, grouped by board, in input order
  const cursor = boardCount.slice(0, boards);
  for (let i = 0; i < n; i++) byBoard[cursor[edgeBoards[i]!]!++] = edgePins[i]!;

  // 2. Pin side from the board-grouped list: visiting boards in ascending order leaves each pin's
  //    boards ascending, so a repeated edge is always next to its twin and dropped by one comparison.
  const pinCount = new Uint32Array(pins + 1);
  for (let i = 0; i < n; i++) pinCount[byBoard[i]! + 1]!++;
  for (let p = 0; p < pins; p++) pinCount[p + 1]! += pinCount[p]!;
  const pinFill = new Uint32Array(pins); // how many distinct boards each pin has so far
  const pinBoardsRaw = new Uint32Array(n);
  for (let b = 0; b < boards; b++) {
    for (let i = boardCount[b]!, end = boardCount[b + 1]!; i < end; i++) {
      const p = byBoard[i]!;
      const start = pinCount[p]!;
      const k = pinFill[p]!;
      if (k > 0 && pinBoardsRaw[start + k - 1] === b) continue; // duplicate edge
      pinBoardsRaw[start + k] = b;
      pinFill[p] = k + 1;
    }
  }

  // 3. Compact the pin side, then derive the board side from it (pins ascending within each board).
  const pinOffsets = new Uint32Array(pins + 1);
  for (let p = 0; p < pins; p++) pinOffsets[p + 1] = pinOffsets[p]! + pinFill[p]!;
  const edges = pinOffsets[pins]!;
  const pinBoards = edges === n ? pinBoardsRaw : new Uint32Array(edges);
  if (edges !== n) {
    for (let p = 0; p < pins; p++) pinBoards.set(pinBoardsRaw.subarray(pinCount[p]!, pinCount[p]! + pinFill[p]!), pinOffsets[p]!);
  }
  const boardOffsets = new Uint32Array(boards + 1);
  for (let i = 0; i < edges; i++) boardOffsets[pinBoards[i]! + 1]!++;
  for (let b = 0; b < boards; b++) boardOffsets[b + 1]! += boardOffsets[b]!;
  const boardPins = byBoard.length === edges ? byBoard : new Uint32Array(edges);
  const fill = boardOffsets.slice(0, boards);
  for (let p = 0; p < pins; p++) {
    for (let i = pinOffsets[p]!, end = pinOffsets[p + 1]!; i < end; i++) boardPins[fill[pinBoards[i]!]!++] = p;
  }
  return { pins, boards, pinOffsets, pinBoards, boardOffsets, boardPins };
}

/** Bytes the graph's arrays hold (the figure the ≤ 16 bytes per edge goal is about). */
export function graphBytes(g: PinBoardGraph): number {
  return g.pinOffsets.byteLength + g.pinBoards.byteLength + g.boardOffsets.byteLength + g.boardPins.byteLength;
}

export const edgeCount = (g: PinBoardGraph): number => g.pinBoards.length;
export const pinDegree = (g: PinBoardGraph, pin: number): number => g.pinOffsets[pin + 1]! - g.pinOffsets[pin]!;
export const boardDegree = (g: PinBoardGraph, board: number): number => g.boardOffsets[board + 1]! - g.boardOffsets[board]!;

/**
 * A renumbering of pins that puts the pins of one board next to each other: pins are numbered in
 * the order they are first met walking boards in `boardOrder` (default ascending). Returns
 * newIndex[oldPin]. Walks move between pins that share boards, so neighbouring pins then share cache
 * lines of the per-pin arrays (offsets, visit counts); the adapter applies it when it loads the graph.
 */
export function localityOrder(g: PinBoardGraph, boardOrder?: ArrayLike<number>): Uint32Array {
  const UNSET = 0xffffffff;
  const next = new Uint32Array(g.pins).fill(UNSET);
  let k = 0;
  for (let j = 0; j < g.boards; j++) {
    const b = boardOrder ? boardOrder[j]! : j;
    for (let i = g.boardOffsets[b]!, end = g.boardOffsets[b + 1]!; i < end; i++) {
      const p = g.boardPins[i]!;
      if (next[p] === UNSET) next[p] = k++;
    }
  }
  for (let p = 0; p < g.pins; p++) if (next[p] === UNSET) next[p] = k++; // pins on no board
  return next;
}
