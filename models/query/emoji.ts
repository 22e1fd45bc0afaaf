// Emoji in queries: "🍎" is searched as its names ("red apple", "manzana roja"), and a word that is
// only an emoji keyword ("cafe" is a keyword of ☕) can reach the emoji's names. Names and keywords
// come from emojibase-data (MIT; CLDR annotations) in English, Spanish, French and German, and from
// CLDR's own annotations (cldr-annotations-full, Unicode licence) in Arabic, which emojibase lacks.
import { createRequire } from "node:module";
import { LOCALES, normalizeText, type Locale } from "../taxonomy/index";

type Compact = { hexcode: string; label: string; tags?: string[]; unicode: string; skins?: Compact[] };
export type EmojiNames = { hexcode: string; label: Record<Locale, string>; tags: Record<Locale, string[]> };

type EmojiIndex = {
  byUnicode: Map<string, EmojiNames>;
  /** normalised keyword or label word → emoji holding it (per language) */
  byKeyword: Record<Locale, Map<string, EmojiNames[]>>;
  /** how many emoji labels hold each word (per language): words in many ("face", "cara") say little */
  labelDf: Record<Locale, Map<string, number>>;
};

let index: EmojiIndex | undefined;
const require = createRequire(import.meta.url);
/** Without variation selectors and skin tones: "❤️" and "❤" are the same emoji. */
const bare = (s: string) => s.replace(/[\uFE0E\uFE0F]|\u{1F3FB}|\u{1F3FC}|\u{1F3FD}|\u{1F3FE}|\u{1F3FF}/gu, "");
const wordsOf = (s: string) =>
  normalizeText(s)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

type Names = { label: string; tags: string[] };

/** Arabic names by bare emoji, from CLDR (`tts` is the short name, `default` the keywords); none if the package is absent. */
function arabicNames(): Map<string, Names> {
  try {
    const file = require("cldr-annotations-full/annotations/ar/annotations.json") as {
      annotations: { annotations: Record<string, { default?: string[]; tts?: string[] }> };
    };
    return new Map(
      Object.entries(file.annotations.annotations)
        .filter(([, a]) => a.tts?.[0])
        .map(([ch, a]) => [bare(ch), { label: a.tts![0]!, tags: a.default ?? [] }]),
    );
  } catch {
    return new Map();
  }
}

function load(): EmojiIndex {
  if (index) return index;
  const en = require("emojibase-data/en/compact.json") as Compact[];
  const byHex = (lang: "es" | "fr" | "de") =>
    new Map((require(`emojibase-data/${lang}/compact.json`) as Compact[]).map((e) => [e.hexcode, { label: e.label, tags: e.tags ?? [] }]));
  const other = { es: byHex("es"), fr: byHex("fr"), de: byHex("de") };
  const ar = arabicNames();
  const byUnicode = new Map<string, EmojiNames>();
  const byKeyword = Object.fromEntries(LOCALES.map((l) => [l, new Map()])) as EmojiIndex["byKeyword"];
  const labelDf = Object.fromEntries(LOCALES.map((l) => [l, new Map()])) as EmojiIndex["labelDf"];
  for (const e of en) {
    // French, German or Arabic without a name for this emoji get an empty one (not the English name: it
    // would count as evidence that an English word is French). Spanish keeps its English fallback label.
    const byLang: Record<Locale, Names> = {
      en: { label: e.label, tags: e.tags ?? [] },
      es: other.es.get(e.hexcode) ?? { label: e.label, tags: [] },
      fr: other.fr.get(e.hexcode) ?? { label: "", tags: [] },
      de: other.de.get(e.hexcode) ?? { label: "", tags: [] },
      ar: ar.get(bare(e.unicode)) ?? { label: "", tags: [] },
    };
    const names: EmojiNames = {
      hexcode: e.hexcode,
      label: Object.fromEntries(LOCALES.map((l) => [l, byLang[l].label])) as Record<Locale, string>,
      tags: Object.fromEntries(LOCALES.map((l) => [l, byLang[l].tags])) as Record<Locale, string[]>,
    };
    byUnicode.set(bare(e.unicode), names);
    for (const lang of LOCALES) {
      const labelWords = new Set(wordsOf(names.label[lang]));
      for (const w of labelWords) labelDf[lang].set(w, (labelDf[lang].get(w) ?? 0) + 1);
      const keys = new Set([normalizeText(names.label[lang]), ...names.tags[lang].map(normalizeText)].filter(Boolean));
      for (const k of keys) {
        const list = byKeyword[lang].get(k) ?? [];
        list.push(names);
        byKeyword[lang].set(k, list);
      }
    }
  }
  index = { byUnicode, byKeyword, labelDf };
  return index;
}

const PICTO = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;

/** Whether the text holds an emoji at all (cheap; the index is loaded only when it does). */
export const hasEmoji = (text: string) => PICTO.test(text);

/** The emoji in a text (as whole grapheme clusters, ZWJ sequences included), with their names; unknown ones left out. */
export function emojiIn(text: string): EmojiNames[] {
  if (!hasEmoji(text)) return [];
  const { byUnicode } = load();
  const out: EmojiNames[] = [];
  const seg = new Intl.Segmenter("en", { granularity: "grapheme" });
  for (const { segment } of seg.segment(text)) {
    if (!PICTO.test(segment)) continue;
    const e = byUnicode.get(bare(segment));
    if (e && !out.includes(e)) out.push(e);
  }
  return out;
}

/** The text with its emoji taken out (what is left are the words). */
export const withoutEmoji = (text: string) =>
  text
    // eslint-disable-next-line no-misleading-character-class -- ZWJ and variation selectors on their own, on purpose
    .replace(/\p{Extended_Pictographic}|\p{Regional_Indicator}|[\u200D\uFE0E\uFE0F]|\p{Emoji_Modifier}/gu, " ")
    .replace(/\s+/g, " ")
    .trim();

/**
 * The words of an emoji's label that tell it apart: a word in more than `maxDf` emoji labels
 * ("face" is in 121, "cara" in as many) says little and would match every face card.
 */
export function distinctiveWords(e: EmojiNames, lang: Locale, maxDf = 12): string[] {
  const { labelDf } = load();
  return wordsOf(e.label[lang]).filter((w) => w.length > 1 && (labelDf[lang].get(w) ?? 0) <= maxDf);
}

/**
 * Emoji whose label or keyword is exactly this word (normalised), in either language, when few emoji
 * share it (a keyword of many — "face", "sad" — is too vague to stand for one picture).
 */
export function emojiForWord(word: string, maxEmoji = 3): { lang: Locale; emoji: EmojiNames[] }[] {
  const { byKeyword } = load();
  const key = normalizeText(word);
  const out: { lang: Locale; emoji: EmojiNames[] }[] = [];
  for (const lang of LOCALES) {
    const list = byKeyword[lang].get(key);
    if (list && list.length <= maxEmoji) out.push({ lang, emoji: list });
  }
  return out;
}

/** Whether a word is an emoji label word or keyword in a language (language evidence). */
export function isEmojiWord(word: string, lang: Locale): boolean {
  const { byKeyword, labelDf } = load();
  const key = normalizeText(word);
  return byKeyword[lang].has(key) || labelDf[lang].has(key);
}
