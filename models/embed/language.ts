import { detect } from "tinyld";

export type Lang = "en" | "es";

// Short queries ("afasia", "words for food") are too short for a statistical detector alone:
// these cues decide first, tinyld second, the reader's own language last.
const ES_MARKS = /[ñáéíóúü¿¡]/i;
const ES_WORDS = new Set(["de", "la", "el", "los", "las", "para", "con", "y", "en", "del", "por", "una", "un", "que", "palabras", "ejercicios", "habla", "comida", "familia", "terapia", "afasia", "tarjetas", "casa", "cuerpo", "ropa", "tiempo"]);
const EN_WORDS = new Set(["the", "of", "for", "and", "with", "to", "in", "words", "exercises", "speech", "food", "family", "therapy", "aphasia", "cards", "home", "body", "clothes", "time", "a", "an"]);

/**
 * @param lexicon optional evidence from the indexed texts: how many cards in each language contain the
 * query's words ("manzana" is only on Spanish cards). Used when the text itself does not tell.
 */
export function detectLanguage(text: string, fallback: Lang, lexicon?: Partial<Record<Lang, number>>): Lang {
  const t = text.trim();
  if (!t) return fallback;
  if (ES_MARKS.test(t)) return "es";
  const words = t.toLowerCase().split(/[^\p{L}]+/u).filter(Boolean);
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
