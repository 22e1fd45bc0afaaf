// Writing mode (issue 14): letter tiles and answer checking. Pure.
import { mulberry32 } from "../random";
import type { Lang } from "./cues";

/** Lower case, trimmed, inner spaces collapsed; without accents when `ignoreAccents` (ñ stays ñ in Spanish). */
export function normaliseAnswer(s: string, ignoreAccents: boolean): string {
  let out = s.normalize("NFC").trim().replace(/\s+/g, " ").toLocaleLowerCase();
  if (ignoreAccents) {
    // Keep ñ: in Spanish it is its own letter (año is not ano), not n with an accent.
    out = [...out].map((ch) => (ch === "ñ" ? ch : ch.normalize("NFD").replace(/\p{M}/gu, ""))).join("");
  }
  return out;
}

export function answerMatches(typed: string, word: string, ignoreAccents: boolean): boolean {
  return normaliseAnswer(typed, ignoreAccents) === normaliseAnswer(word, ignoreAccents) && typed.trim() !== "";
}

/** Letters that are not in the word, most frequent first in each language (so the spare tiles look like real letters). */
const EXTRA: Record<Lang, string> = {
  en: "etaoinshrdlucmfwypgb",
  es: "eaosrnidlctumpbgvyqhfzjñ",
  fr: "esaitnrulodcmpévqfbghjàèç",
  de: "enisratdhulcgmobwfkzpvüäöß",
  ar: "اليمونهرتبكعفقسدحجخشصطزة",
};

/**
 * The tiles for a word: its letters (lower case, spaces left out) shuffled, plus `extra` letters that
 * are not in the word, in a seeded order. Each tile has an id so the same letter twice is two tiles.
 */
export function letterTiles(word: string, lang: Lang, seed: number, extra = 3): { id: number; letter: string }[] {
  const letters = [...word.normalize("NFC").toLocaleLowerCase()].filter((ch) => /\p{L}/u.test(ch));
  const rnd = mulberry32(seed);
  const inWord = new Set(letters);
  const spare = [...EXTRA[lang]].filter((ch) => !inWord.has(ch));
  const extras: string[] = [];
  while (extras.length < extra && spare.length) extras.push(spare.splice(Math.floor(rnd() * spare.length), 1)[0]!);
  const all = [...letters, ...extras];
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.map((letter, id) => ({ id, letter }));
}
