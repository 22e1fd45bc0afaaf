// Spelling correction from the words of the cards themselves: a query word that matches nothing is
// replaced by the closest card word (Damerau–Levenshtein), the more common one on ties.

/** Optimal string alignment distance (insertions, deletions, substitutions, adjacent swaps), capped: returns max+1 once above `max`. */
export function editDistance(a: string, b: string, max = 3): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const m = a.length;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]!;
}

/** How far a word of this length may be from its correction: 1 edit up to 5 letters, 2 beyond. */
export const allowedEdits = (word: string) => (word.length < 4 ? 0 : word.length <= 5 ? 1 : 2);

/** The word with each pair of neighbouring letters swapped ("hnud" → nhud, hund, hndu), distinct, without the word. */
export function adjacentSwaps(word: string): string[] {
  const letters = [...word];
  const out = new Set<string>();
  for (let i = 0; i + 1 < letters.length; i++) {
    if (letters[i] === letters[i + 1]) continue;
    const l = [...letters];
    [l[i], l[i + 1]] = [l[i + 1]!, l[i]!];
    out.add(l.join(""));
  }
  return [...out];
}

/** How many letters two words share, each letter counted as often as both hold it ("glases"/"glasses" 6, "glases"/"glass" 5). */
export function sharedLetters(a: string, b: string): number {
  const count = new Map<string, number>();
  for (const ch of a) count.set(ch, (count.get(ch) ?? 0) + 1);
  let n = 0;
  for (const ch of b) {
    const c = count.get(ch) ?? 0;
    if (c > 0) {
      n++;
      count.set(ch, c - 1);
    }
  }
  return n;
}

/**
 * The best correction of `word` among `vocabulary` (word → how many cards hold it): the fewest edits
 * within allowedEdits, then the most letters shared with the word (a typo more often drops or swaps a
 * letter than adds one: "glases" is "glasses", not "glass"), then the same first letter, then the most
 * cards. Null when none is close enough.
 */
export function correctWord(word: string, vocabulary: Map<string, number>): { word: string; edits: number } | null {
  // A three-letter word may only have two letters swapped ("dgo" → "dog"): any other edit of so short
  // a word reaches too many words ("cat" is one letter from bat, car, cut…).
  const swapOnly = word.length === 3;
  const limit = swapOnly ? 1 : allowedEdits(word);
  if (!limit) return null;
  let best: { word: string; edits: number; shared: number; first: number; freq: number } | null = null;
  for (const [w, freq] of vocabulary) {
    if (w === word || w.length < 3) continue;
    if (swapOnly && !adjacentSwaps(word).includes(w)) continue;
    const d = editDistance(word, w, limit);
    if (d > limit) continue;
    const shared = sharedLetters(word, w);
    const first = w[0] === word[0] ? 1 : 0;
    const better =
      !best ||
      d < best.edits ||
      (d === best.edits &&
        (shared > best.shared || (shared === best.shared && (first > best.first || (first === best.first && freq > best.freq)))));
    if (better) best = { word: w, edits: d, shared, first, freq };
  }
  return best && { word: best.word, edits: best.edits };
}
