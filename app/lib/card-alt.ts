import type { Locale } from "../../db/enums";

/**
 * A card's picture description written for it when its creator gave none, in the CARD's language (not
 * the interface's): it is part of the card, read aloud and searched with it. Each language's own
 * punctuation (French puts a space before the colon).
 */
const DRAWING: Record<Locale, (word: string) => string> = {
  en: (w) => `Drawing: ${w}`,
  es: (w) => `Dibujo: ${w}`,
  fr: (w) => `Dessin\u00a0: ${w}`,
  de: (w) => `Zeichnung: ${w}`,
  ar: (w) => `رسم: ${w}`,
};
const TEXT_CARD: Record<Locale, (title: string) => string> = {
  en: (t) => `Text card: ${t}`,
  es: (t) => `Tarjeta de texto: ${t}`,
  fr: (t) => `Carte texte\u00a0: ${t}`,
  de: (t) => `Textkarte: ${t}`,
  ar: (t) => `بطاقة نصية: ${t}`,
};

/** "Drawing: apple" for a starter card's picture. */
export const drawingAlt = (word: string, lang: Locale): string => DRAWING[lang](word);
/** "Text card: …" for an imported card that has words and no picture of its own. */
export const textCardAlt = (title: string, lang: Locale): string => TEXT_CARD[lang](title);
