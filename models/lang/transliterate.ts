import { normalizeArabic } from "./arabic";

/**
 * Loanwords across scripts by their consonants. Arabic writes many borrowed words by sound (ساندويتش
 * sandwich, همبرغر hamburger, ميكروفون microphone, بولينغ bowling) that the small ara-eng dictionary
 * lacks. Both spellings are reduced to a consonant skeleton over shared sound classes, vowels and the
 * letters that stand for them (ا و ي; a e i o u w y) dropped: ساندويتش → SNDX, sandwich → SNDX.
 * A match is only a guess: callers keep it only when the word it finds is on the searched cards.
 */

// Arabic letters (after normalizeArabic: alef and hamza shapes folded, ة → ه, ى → ي) → sound class.
const ARABIC: Record<string, string> = {
  ب: "B",
  پ: "B",
  ت: "T",
  ط: "T",
  ث: "S",
  ج: "G",
  چ: "G",
  ح: "H",
  ه: "H",
  خ: "K",
  د: "D",
  ض: "D",
  ذ: "S",
  ز: "S",
  س: "S",
  ص: "S",
  ظ: "S",
  ش: "X",
  ر: "R",
  ع: "",
  غ: "G",
  گ: "G",
  ف: "F",
  ڤ: "F",
  ق: "K",
  ك: "K",
  ل: "L",
  م: "M",
  ن: "N",
  و: "",
  ي: "",
  ا: "",
  ء: "",
};

/** The consonant skeleton of an Arabic word, "" when it has letters outside the table. */
export function arabicSkeleton(word: string): string {
  let out = "";
  for (const ch of normalizeArabic(word)) {
    const c = ARABIC[ch];
    if (c === undefined) return "";
    out += c;
  }
  // تش is how Arabic writes "ch" (ساندويتش): one sound, as the English side reads it.
  return collapse(out.replace(/TX/g, "X"));
}

// English spellings → sound class, longest first at each place.
const DIGRAPHS: [RegExp, string][] = [
  [/^tch/, "X"],
  [/^sch/, "X"],
  [/^sh/, "X"],
  [/^ch/, "X"],
  [/^ph/, "F"],
  [/^gh/, ""],
  [/^th/, "T"],
  [/^ck/, "K"],
  [/^c(?=[eiy])/, "S"],
  [/^g(?=[eiy])/, "G"],
  [/^x/, "KS"],
];
const LATIN: Record<string, string> = {
  b: "B",
  p: "B",
  c: "K",
  k: "K",
  q: "K",
  d: "D",
  t: "T",
  f: "F",
  v: "F",
  g: "G",
  j: "G",
  h: "H",
  l: "L",
  m: "M",
  n: "N",
  r: "R",
  s: "S",
  z: "S",
  a: "",
  e: "",
  i: "",
  o: "",
  u: "",
  w: "",
  y: "",
};

/** The consonant skeleton of a Latin-script word (lower case letters only), "" for anything else. */
export function latinSkeleton(word: string): string {
  const w = word.toLowerCase();
  if (!/^[a-z]+$/.test(w)) return "";
  let out = "";
  for (let i = 0; i < w.length;) {
    const rest = w.slice(i);
    const d = DIGRAPHS.find(([re]) => re.test(rest));
    if (d) {
      out += d[1];
      i += d[0].exec(rest)![0].length;
      continue;
    }
    out += LATIN[w[i]!]!;
    i++;
  }
  return collapse(out);
}

/** Doubled sounds are one (shadda is gone from the Arabic; "mm", "ss" in English). */
const collapse = (s: string) => s.replace(/(.)\1+/g, "$1");

/** Fewer consonants than this say too little to guess a word from. */
export const MIN_SKELETON = 3;

/**
 * English words by skeleton, for guessing what an Arabic loanword is. A word also answers under its
 * skeleton without the last consonant when it has four or more (French loans lose a silent end:
 * croissant KRSNT, كرواسون KRSN).
 */
export class SkeletonIndex {
  private readonly by = new Map<string, string[]>();

  constructor(words: Iterable<string> = []) {
    for (const w of words) this.addWord(w);
  }

  addWord(w: string) {
    const k = latinSkeleton(w);
    if (k.length < MIN_SKELETON) return;
    this.add(k, w);
    if (k.length >= 4) this.add(k.slice(0, -1), w);
  }

  private add(k: string, w: string) {
    const list = this.by.get(k);
    if (!list) this.by.set(k, [w]);
    else if (!list.includes(w)) list.push(w);
  }

  /** English words whose skeleton is the Arabic word's; none for a short or unreadable skeleton. */
  guesses(arabic: string): string[] {
    const k = arabicSkeleton(arabic);
    return k.length >= MIN_SKELETON ? (this.by.get(k) ?? []) : [];
  }
}
