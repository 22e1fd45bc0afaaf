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
