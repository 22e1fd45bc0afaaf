import { detect } from "tinyld";
import type { Locale } from "../../db/enums";

/** A content language (the shared type); the detector below still tells only English from Spanish. */
export type Lang = Locale;

// Short queries ("afasia", "words for food") are too short for a statistical detector alone:
// these cues decide first, tinyld second, the reader's own language last.
const ES_MARKS = /[ñáéíóúü¿¡]/i;
const ES_WORDS = new Set([
  "de",
  "la",
  "el",
  "los",
  "las",
  "para",
  "con",
  "y",
  "en",
  "del",
  "por",
  "una",
  "un",
  "que",
  "palabras",
  "ejercicios",
  "habla",
  "comida",
  "familia",
  "terapia",
  "afasia",
  "tarjetas",
  "casa",
  "cuerpo",
  "ropa",
  "tiempo",
  "tengo",
  "quiero",
  "estoy",
  "necesito",
  "mi",
  "al",
  "duele",
  "hace",
  "yo",
]);
const EN_WORDS = new Set([
  "the",
  "of",
  "for",
  "and",
  "with",
  "to",
  "in",
  "words",
  "exercises",
  "speech",
  "food",
  "family",
  "therapy",
  "aphasia",
  "cards",
  "home",
  "body",
  "clothes",
  "time",
  "a",
  "an",
  "i",
  "my",
  "want",
  "need",
  "is",
  "am",
  "feel",
  "it",
]);

/**
 * @param lexicon optional evidence from the indexed texts: how many cards in each language contain the
 * query's words ("manzana" is only on Spanish cards). Used when the text itself does not tell.
 */
export function detectLanguage(text: string, fallback: Lang, lexicon?: Partial<Record<Lang, number>>): Lang {
  const t = text.trim();
  if (!t) return fallback;
  if (ES_MARKS.test(t)) return "es";
  const words = t
    .toLowerCase()
    .split(/[^\p{L}]+/u)
    .filter(Boolean);
  const es = words.filter((w) => ES_WORDS.has(w)).length;
  const en = words.filter((w) => EN_WORDS.has(w)).length;
  if (es !== en) return es > en ? "es" : "en";
  const [lexEn, lexEs] = [lexicon?.en ?? 0, lexicon?.es ?? 0];
  if (lexEn !== lexEs && Math.max(lexEn, lexEs) >= 2 * Math.min(lexEn, lexEs)) return lexEs > lexEn ? "es" : "en";
  if (words.length >= 3) {
    const guess = detect(t, { only: ["en", "es"] });
    if (guess === "en" || guess === "es") return guess;
  }
  return fallback;
}

/** Which languages hold a word: its cards' and boards' own words, the taxonomy's labels, need phrases, emoji names. */
export type WordEvidence = { word: string; en: boolean; es: boolean };

/**
 * A query's language from evidence, not from the interface: each word counts for the languages whose
 * words hold it (a word in both, like "pizza", counts for neither). Spanish marks (ñ, accents, ¿¡) and
 * the short lists of function words above count too. `sure` is false when the evidence is even or
 * absent: the caller then searches both languages, and `lang` is only the reader's language.
 */
export function weighLanguages(text: string, fallback: Lang, words: WordEvidence[]): { lang: Lang; sure: boolean } {
  const t = text.trim();
  let es = ES_MARKS.test(t) ? 2 : 0;
  let en = 0;
  for (const w of t
    .toLowerCase()
    .split(/[^\p{L}]+/u)
    .filter(Boolean)) {
    if (ES_WORDS.has(w)) es += 1;
    if (EN_WORDS.has(w)) en += 1;
  }
  for (const w of words) {
    if (w.es && !w.en) es += 1;
    if (w.en && !w.es) en += 1;
  }
  if (es !== en) return { lang: es > en ? "es" : "en", sure: true };
  // Nothing tells them apart: a longer text may still read as one language to tinyld.
  if (t.split(/\s+/).length >= 3) {
    const guess = detect(t, { only: ["en", "es"] });
    if (guess === "en" || guess === "es") return { lang: guess, sure: false };
  }
  return { lang: fallback, sure: false };
}

/** The five content languages detection chooses among. */
export type ContentLang = "en" | "es" | "fr" | "de" | "ar";
export const CONTENT_LANGS: readonly ContentLang[] = ["en", "es", "fr", "de", "ar"];

/** Which languages' word lists hold a word (a dictionary's headwords, the cards' own words). */
export type Vocabulary = (word: string) => ContentLang[];

const FR_MARKS = /[çœæèêëîïôûùàâÿ]/iu;
const DE_MARKS = /[äöüß]/iu;
const ES_ONLY_MARKS = /[ñ¿¡áíóú]/iu;
const FUNCTION_WORDS: Record<Exclude<ContentLang, "ar">, ReadonlySet<string>> = {
  en: EN_WORDS,
  es: ES_WORDS,
  fr: new Set(
    "le la les un une des du de et ou pour avec dans sur est sont je tu il elle nous vous mon ma mes ton ta au aux ce cette qui que quoi quel quelle veux voudrais suis j ai".split(
      " ",
    ),
  ),
  de: new Set(
    "der die das den dem des ein eine einen und oder für mit mit von zu zum zur im ist sind ich du er sie wir mein meine möchte will habe bin nicht was welche wie".split(
      " ",
    ),
  ),
};

export type Detection = {
  /** null: nothing to tell a language by (emoji, digits, punctuation only). */
  lang: ContentLang | null;
  /** false when the evidence is even or absent: `lang` is then the fallback (or tinyld's guess). */
  sure: boolean;
  scores: Record<ContentLang, number>;
};

/**
 * A short text's language among the five, from evidence in order of strength: Arabic letters (only
 * Arabic of the five uses them); letters only one language uses (ß and umlauts German, ç œ è ê French,
 * ñ ¿ ¡ á í ó ú Spanish); function words; then each word's vocabulary — a word in one language's
 * lexicon counts 1 for it, a word in k lexicons 1/k for each ("pain" is French and English, "Brot"
 * only German). `cards` is the searched collection's own vocabulary and counts double. Longer texts
 * with no winner go to tinyld over the five; else the reader's language, not sure.
 */
export function detectContentLanguage(
  text: string,
  fallback: ContentLang,
  o: { vocabulary?: Vocabulary; cards?: Vocabulary } = {},
): Detection {
  const scores: Record<ContentLang, number> = { en: 0, es: 0, fr: 0, de: 0, ar: 0 };
  const t = text.normalize("NFC").trim();
  const ws = t
    .toLowerCase()
    .split(/[^\p{L}\p{M}]+/u)
    .filter(Boolean);
  if (!ws.length) return { lang: null, sure: false, scores };
  const arabic = ws.filter((w) => /\p{Script=Arabic}/u.test(w)).length;
  if (arabic * 2 >= ws.length) return { lang: "ar", sure: true, scores: { ...scores, ar: arabic } };
  for (const w of ws) {
    if (DE_MARKS.test(w)) scores.de += 2;
    if (FR_MARKS.test(w)) scores.fr += 2;
    if (ES_ONLY_MARKS.test(w)) scores.es += 2;
    if (/é/u.test(w)) {
      scores.fr += 0.5;
      scores.es += 0.5;
    }
    for (const l of ["en", "es", "fr", "de"] as const) if (FUNCTION_WORDS[l].has(w)) scores[l] += 1;
    for (const [vocab, weight] of [
      [o.vocabulary, 1],
      [o.cards, 2],
    ] as const) {
      const langs = vocab ? [...new Set(vocab(w))] : [];
      for (const l of langs) scores[l] += weight / langs.length;
    }
  }
  const ranked = CONTENT_LANGS.filter((l) => l !== "ar").sort((a, b) => scores[b] - scores[a]);
  const [top, second] = [ranked[0]!, ranked[1]!];
  if (scores[top] > 0 && scores[top] > scores[second]) return { lang: top, sure: true, scores };
  // Even between some languages ("pain": French and English): the reader's if it is one of them.
  const tied: ContentLang[] = ranked.filter((l) => scores[top] > 0 && scores[l] === scores[top]);
  if (tied.length && ws.length < 3) return { lang: tied.includes(fallback) ? fallback : tied[0]!, sure: false, scores };
  if (ws.length >= 3) {
    const guess = detect(t, { only: ["en", "es", "fr", "de"] });
    if (guess === "en" || guess === "es" || guess === "fr" || guess === "de") return { lang: guess, sure: false, scores };
  }
  return { lang: fallback, sure: false, scores };
}
