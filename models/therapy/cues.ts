// Naming cues (issue 14): the cueing hierarchy from least to most help, and the cues derived from a
// card's word when its creator wrote none. Pure (no imports beyond the enums), so the card editor can
// show the derived value as a placeholder in the browser and the server uses the same rules.
import { CUE_LEVELS, LOCALES, type CueLevelName, type Locale } from "../../db/enums";

export { CUE_LEVELS, type CueLevelName };
/** A card's content language (the shared type: cues exist for every language a card can be written in). */
export type Lang = Locale;

/** Level index of a cue (0 = none … 5 = whole word), as review_log.cue_level stores it. */
export const CUE_LEVEL: Record<CueLevelName, number> = Object.fromEntries(CUE_LEVELS.map((n, i) => [n, i])) as Record<CueLevelName, number>;
export const MAX_CUE_LEVEL = CUE_LEVELS.length - 1;

export function isCueLevel(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= MAX_CUE_LEVEL;
}

const VOWELS = new Set([..."aeiouáéíóúàèìòùâêîôûäëïöüyœæ"]);
/** Arabic letters that write a long vowel (alif, waw, ya, alif maqsura): the sound after the first consonant. */
const ARABIC_LONG_VOWELS = new Set([..."اويىآ"]);
/**
 * Spellings at the start of a word that make one sound, longest first. Spanish: ch, ll, qu, gu (before
 * e/i), rr; English: sh, ch, th, ph, wh, qu, kn, wr, gn; French: ch, ph, qu, gn, th; German: sch, ch,
 * ph, qu, th (sp/st are two sounds). Arabic letters are each one sound. Each is one unit for the first
 * sound and letters.
 */
const ONSET_DIGRAPHS: Record<Lang, string[]> = {
  en: ["sch", "sh", "ch", "th", "ph", "wh", "qu", "kn", "wr", "gn", "ck"],
  es: ["ch", "ll", "qu", "rr"],
  fr: ["ch", "ph", "qu", "gn", "th"],
  de: ["sch", "ch", "ph", "qu", "th"],
  ar: [],
};

const lower = (s: string) => s.toLocaleLowerCase();
const isLetter = (ch: string) => /\p{L}/u.test(ch);

/** The first word of a title, without leading punctuation ("¿", "¡", quotes). */
function firstWord(title: string): string {
  const m = title.trim().match(/[\p{L}\p{M}'’-]+/u);
  return m ? m[0] : "";
}

/** The first spelling unit of a word: a digraph from the list above, or one letter (with its accent). */
export function firstUnit(word: string, lang: Lang): string {
  const w = word.normalize("NFC");
  const lw = lower(w);
  for (const d of ONSET_DIGRAPHS[lang]) if (lw.startsWith(d) && lw.length > d.length) return w.slice(0, d.length);
  // Spanish and French "gu" before e/i is the hard g: the u is silent, so "gu" is the unit ("guitarra" → "gu").
  if ((lang === "es" || lang === "fr") && /^gu[eéièêií]/.test(lw)) return w.slice(0, 2);
  return [...w][0] ?? "";
}

/**
 * The first sound, written the way a reader would say it: the opening consonants and the first vowel,
 * so a speech synthesiser can pronounce it ("ba…" for banana, "che…" for cherry, "que…" for queso).
 * Spanish silent h is kept in writing ("hue…" for huevo) because that is how the word is spelt; the
 * creator can type another spelling on the card (pin.first_sound) when the spelling misleads.
 */
export function deriveFirstSound(title: string, lang: Lang): string {
  const word = firstWord(title).normalize("NFC");
  if (!word) return "";
  // Arabic writes short vowels only as optional marks: the first letter, with the long vowel after it
  // when there is one ("ما…" for ماء, "خ…" for خبز).
  if (lang === "ar") {
    const letters = [...word.replace(/\p{M}/gu, "")];
    return letters.slice(0, ARABIC_LONG_VOWELS.has(letters[1] ?? "") ? 2 : 1).join("");
  }
  const chars = [...word];
  const lw = [...lower(word)];
  const unit = [...firstUnit(word, lang)].length;
  let i = unit;
  // After a digraph that already ends in a vowel letter ("qu", "gu"), take the next vowel as well.
  while (i < chars.length && !VOWELS.has(lw[i]!) && isLetter(chars[i]!)) i++;
  // Leading vowel: the vowel is the sound. Otherwise consonants then one vowel.
  if (VOWELS.has(lw[0]!) && lw[0] !== "y") return chars[0]!;
  return chars.slice(0, Math.min(chars.length, i + 1)).join("");
}

/**
 * The first letters and a blank for each letter still hidden: one unit for short words (4 letters or
 * fewer), two letters for longer ones (or the digraph: "ch" of "chair", "ll" of "llave"). Spaces,
 * hyphens and apostrophes stay, so "ice cream" shows its shape: "i__ _____".
 */
export function deriveFirstLetters(title: string, lang: Lang): string {
  const text = title.trim().normalize("NFC");
  const word = firstWord(text);
  if (!word) return "";
  const start = text.indexOf(word);
  const unit = firstUnit(word, lang);
  const letters = [...word].length;
  const shown = letters <= 4 ? [...unit].length : Math.max(2, [...unit].length);
  let seen = 0;
  let out = "";
  for (const ch of [...text.slice(start)]) {
    if (isLetter(ch) || /\p{N}/u.test(ch)) {
      out += seen < shown ? ch : "_";
      seen++;
    } else out += ch;
  }
  return out;
}

/** How many letters a title has (for "Starts with ch, 5 letters"). */
export function letterCount(title: string): number {
  return [...title].filter((ch) => isLetter(ch) || /\p{N}/u.test(ch)).length;
}

export type CueSource = {
  title: string;
  lang: Lang;
  /** The creator's semantic cue (pin.cue); empty = the taxonomy default. */
  cue: string;
  cueSentence: string;
  firstSound: string;
  /** The card's main interest label in its language (from pin_interest), for the default semantic cue. */
  category: string | null;
};

/** One revealed cue. `text` is shown (and may be read aloud); `default` says it was derived, not written. */
export type Cue =
  | { level: "semantic"; text: string; category: string | null; derived: boolean }
  | { level: "sentence"; text: string; derived: boolean }
  | { level: "firstSound"; text: string; derived: boolean }
  | { level: "firstLetters"; text: string; letters: number; derived: true }
  | { level: "wholeWord"; text: string; derived: true };

/**
 * The five cues of a card, in hierarchy order. The semantic and sentence defaults are sentences in the
 * UI language, so they are returned as keys' parameters (category) for the route to translate: a
 * `semantic` cue with `derived` and a category says "It is in the group “Fruit”"; without a category
 * it says only "Think about what it is for". Derived sentences are null-text markers the UI fills in.
 */
export function cuesFor(src: CueSource): Cue[] {
  const semantic: Cue = src.cue.trim()
    ? { level: "semantic", text: src.cue.trim(), category: null, derived: false }
    : { level: "semantic", text: "", category: src.category, derived: true };
  const sentence: Cue = src.cueSentence.trim()
    ? { level: "sentence", text: src.cueSentence.trim(), derived: false }
    : { level: "sentence", text: "", derived: true };
  const sound = src.firstSound.trim();
  return [
    semantic,
    sentence,
    { level: "firstSound", text: sound || deriveFirstSound(src.title, src.lang), derived: !sound },
    { level: "firstLetters", text: deriveFirstLetters(src.title, src.lang), letters: letterCount(src.title), derived: true },
    { level: "wholeWord", text: src.title, derived: true },
  ];
}

/** The starter library's hint in each language, around the word's opening letters (each language's quotes). */
const STARTER_HINT: Record<Lang, (start: string) => string> = {
  en: (s) => `Starts with “${s}…”`,
  es: (s) => `Empieza por «${s}…»`,
  fr: (s) => `Commence par «\u00a0${s}…\u00a0»`,
  de: (s) => `Beginnt mit „${s}…“`,
  ar: (s) => `يبدأ بـ «${s}…»`,
};

/**
 * The starter library's hint ("Starts with “ap…”", "Empieza por «ár…»"): the word's opening letters.
 * In the cueing hierarchy that is the first-letters clue, not a meaning, so a card whose cue is exactly
 * this is given the taxonomy's meaning clue instead (meaningCue below): shown as the first clue, it
 * gave the answer away and recorded the most help as the least.
 */
export function starterHint(word: string, lang: Lang): string {
  const start = [...word.trim()].slice(0, 2).join("");
  return STARTER_HINT[lang](start);
}

/** The card's own meaning clue, or "" when it has none (the starter library's hint is not one). */
export function meaningCue(card: { title: string; lang: string; cue: string }): string {
  const cue = card.cue.trim();
  if ((LOCALES as readonly string[]).includes(card.lang) && cue === starterHint(card.title, card.lang as Lang)) return "";
  return cue;
}
