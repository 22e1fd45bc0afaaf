/**
 * Arabic query words reduced to what a dictionary lists. Arabic writes the article and several
 * particles onto the word (و "and", ف "so", ب "with/by", ك "like", ل "for", ال "the") and object or
 * possessive pronouns at its end (ـه "his", ـها "her", ـهم "their", ـي "my", …); and it is spelt with
 * or without short-vowel marks and with several shapes of alef and hamza. Both sides of a lookup go
 * through `normalizeArabic`; the query word then tries its forms without clitics, article and suffixes.
 */

// Short vowels, tanwin, shadda, sukun, superscript alef, and the tatweel that only stretches a line.
const MARKS = /[\u064B-\u0652\u0670\u0640]/gu;

/** Diacritics off; alef shapes (أ إ آ ٱ) to ا, ى to ي, ة to ه, hamza on its seat (ؤ ئ) to the seat. */
export function normalizeArabic(s: string): string {
  return s
    .normalize("NFC")
    .replace(MARKS, "")
    .replace(/[أإآٱ]/gu, "ا")
    .replace(/ى/gu, "ي")
    .replace(/ة/gu, "ه")
    .replace(/ؤ/gu, "و")
    .replace(/ئ/gu, "ي");
}

export const hasArabic = (s: string) => /\p{Script=Arabic}/u.test(s);

// Suffixes after normalisation (ة is ه by now), longest first: pronouns, then plural and dual endings.
const PRONOUN_SUFFIXES = ["كما", "هما", "كم", "كن", "هم", "هن", "نا", "ها", "ه", "ك", "ي"];
const NUMBER_SUFFIXES = ["ات", "ون", "ين", "ان"];
const MIN_STEM = 2;

/**
 * The normalised word, then its forms without the conjunction (و ف), a preposition (ب ك ل), the
 * article (ال; لل is ل + ال), a pronoun suffix and a plural/dual ending — each reduction on top of the
 * previous, most complete word first. Stems keep at least two letters (Arabic roots have three, but
 * a broken plural or a weak root can look shorter once the article is off).
 */
export function arabicForms(word: string): string[] {
  const out: string[] = [];
  const add = (f: string) => {
    if (f.length >= MIN_STEM && !out.includes(f)) out.push(f);
  };
  const w = normalizeArabic(word.trim());
  add(w);
  // Prefix layers: conjunction, then preposition, then article. Each is optional.
  const stems = new Set<string>([w]);
  const strip = (s: string, prefixes: string[]) => {
    for (const p of prefixes) if (s.startsWith(p) && s.length - p.length >= MIN_STEM) return s.slice(p.length);
    return null;
  };
  for (const s of [...stems]) {
    const c = strip(s, ["و", "ف"]);
    if (c) stems.add(c);
  }
  for (const s of [...stems]) {
    // لل: ل before the article, whose alef is dropped in writing (للبيت = ل + البيت).
    if (s.startsWith("لل") && s.length > 3) stems.add("ال" + s.slice(2));
    const p = strip(s, ["ب", "ك", "ل"]);
    if (p) stems.add(p);
  }
  for (const s of [...stems]) {
    const a = strip(s, ["ال"]);
    if (a) stems.add(a);
  }
  // Longest (least reduced) first keeps "بيت" before a doubtful "يت".
  const prefixFree = [...stems].sort((a, b) => b.length - a.length);
  for (const s of prefixFree) add(s);
  for (const s of prefixFree) {
    for (const suf of PRONOUN_SUFFIXES)
      if (s.endsWith(suf) && s.length - suf.length >= MIN_STEM) {
        const stem = s.slice(0, s.length - suf.length);
        // A pronoun on a word ending in ة turns it into ت (مدرسته = مدرسة + ه): put the ه back.
        add(stem.endsWith("ت") ? stem.slice(0, -1) + "ه" : stem);
        add(stem);
      }
    for (const suf of NUMBER_SUFFIXES) if (s.endsWith(suf) && s.length - suf.length >= MIN_STEM + 1) add(s.slice(0, s.length - suf.length));
    // Adverbs made with tanwin alef on a relative adjective (كيميائيا "chemically" → كيميائي).
    if (s.endsWith("يا") && s.length > 4) add(s.slice(0, -1));
  }
  return out;
}

/** The forms as dictionaries spell headwords: each also with the article (many ara-eng headwords carry it). */
export function arabicLookupForms(word: string): string[] {
  const out: string[] = [];
  for (const f of arabicForms(word)) for (const g of f.startsWith("ال") ? [f] : [f, "ال" + f]) if (!out.includes(g)) out.push(g);
  return out;
}
