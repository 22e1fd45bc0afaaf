/**
 * German compound splitting ("Apfelsaft" → Apfel + Saft, "Geburtstagskuchen" → Geburtstag + Kuchen):
 * the word cut into known dictionary words, with the linking elements German puts between them
 * (-s-, -es-, -n-, -en-, -e-, -er-). Among all ways to cut it, the best has the fewest parts, then the
 * longest parts first (compared left to right) — "Wasserflasche" is Wasser + Flasche, not Was + Ser….
 */

export const LINKERS = ["", "s", "es", "n", "en", "e", "er"] as const;

export type SplitOptions = {
  /** Shortest part accepted (short dictionary words — "ei", "ab" — make nonsense splits). */
  minPart?: number;
  /** Most parts a split may have. */
  maxParts?: number;
};

/** Negative when `a` is the better split: fewer parts, then longer parts left to right. */
export function compareSplits(a: string[], b: string[]): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) if (a[i]!.length !== b[i]!.length) return b[i]!.length - a[i]!.length;
  return 0;
}

/**
 * The best split of `word` (lower case) into two or more parts that `isWord` knows, each part at least
 * `minPart` letters, optionally followed by a linking element before the next part; null when there is
 * none. Dynamic programming over suffixes: the best split of a suffix does not depend on what precedes
 * it, and comparing splits with the same first part compares their rests. O(n² · linkers) lookups.
 */
export function splitCompound(word: string, isWord: (w: string) => boolean, o: SplitOptions = {}): string[] | null {
  const minPart = o.minPart ?? 3;
  const maxParts = o.maxParts ?? 4;
  const w = word.toLowerCase();
  const n = w.length;
  // best[i][b]: the best split of w[i:] into at most b parts (one part allowed: the suffix itself).
  const best: (string[] | null)[][] = Array.from({ length: n + 1 }, () => Array<string[] | null>(maxParts + 1).fill(null));
  const choose = (i: number, budget: number, whole: boolean): string[] | null => {
    let chosen: string[] | null = null;
    for (let j = i + minPart; j <= n; j++) {
      const part = w.slice(i, j);
      if (!isWord(part)) continue;
      const options: string[][] = [];
      if (j === n) {
        if (whole) options.push([part]);
      } else if (budget > 1)
        for (const link of LINKERS) {
          if (!w.startsWith(link, j)) continue;
          const rest = best[j + link.length]?.[budget - 1];
          if (rest) options.push([part, ...rest]);
        }
      for (const c of options) if (!chosen || compareSplits(c, chosen) < 0) chosen = c;
    }
    return chosen;
  };
  for (let i = n - minPart; i >= 1; i--) for (let budget = 1; budget <= maxParts; budget++) best[i]![budget] = choose(i, budget, true);
  // The word itself is not a split: at least two parts.
  return n >= 2 * minPart ? choose(0, maxParts, false) : null;
}

/**
 * The same answer by brute force: every way to cut the word, every linking element at every cut,
 * filtered and sorted by the same rule. Exponential; for tests only.
 */
export function splitCompoundBrute(word: string, isWord: (w: string) => boolean, o: SplitOptions = {}): string[] | null {
  const minPart = o.minPart ?? 3;
  const maxParts = o.maxParts ?? 4;
  const w = word.toLowerCase();
  const all: string[][] = [];
  const walk = (at: number, parts: string[]) => {
    if (at === w.length) {
      if (parts.length >= 2) all.push(parts);
      return;
    }
    if (parts.length === maxParts) return;
    for (let j = at + 1; j <= w.length; j++) {
      const part = w.slice(at, j);
      if (part.length < minPart || !isWord(part)) continue;
      if (j === w.length) walk(j, [...parts, part]);
      else for (const link of LINKERS) if (w.startsWith(link, j) && j + link.length < w.length) walk(j + link.length, [...parts, part]);
    }
  };
  walk(0, []);
  all.sort(compareSplits);
  return all[0] ?? null;
}
