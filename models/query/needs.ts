// Need phrases ("tengo sed", "I'm hungry", "me duele la cabeza") and request words ("I need", "quiero").
// Pure: the lexicon is a versioned data file beside this module (needs.json).
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { LOCALES, normalizeText, type Locale } from "../taxonomy/index";

export type Need = {
  id: string;
  words: Record<Locale, string[]>;
  withRequest: Record<Locale, string[]>;
  interests: Record<string, number>;
  search: Record<Locale, string[]>;
};
export type NeedLexicon = { version: number; needs: Need[] };

/**
 * Words that say someone asks, feels or wants — "I'm", "need", "quiero", "tengo" — and nothing about
 * what: they must not drive text match ("tengo" is on no card, "need" on a few by chance). With them
 * a word like "baño" or "cold" becomes a need ("necesito el baño", "I'm cold").
 */
export const REQUEST_WORDS = new Set(
  (
    "i im i'm am m me my mine we us our need needs needed want wants wanted would like please have has got get " +
    "feel feeling felt go going gonna wanna to a an the some something can could may let give am is are be it its so very really too " +
    "quiero quiere queremos quisiera necesito necesita necesitamos tengo tiene tenemos estoy esta estamos siento sientes me mi mis " +
    "yo nos voy vamos ir a al el la los las un una unos unas algo de por favor dame deme pon ponme hace hay muy mucho mucha tan poco es " +
    "je j ai suis veux voudrais besoin envie faut moi me mon ma mes du des le les une s il vous plait donne donnez fait tres " +
    "ich habe brauche mochte will mir mich mein meine ein eine einen etwas bitte gib geben sehr ist es " +
    "انا عندي اريد احتاج اشعر بدي ممكن من فضلك لو سمحت اعطني جدا"
  ).split(" "),
);

let shipped: NeedLexicon | undefined;

/** The shipped need lexicon (models/query/needs.json), read once. */
export function loadNeeds(): NeedLexicon {
  if (!shipped) {
    const beside = new URL("./needs.json", import.meta.url);
    const path = existsSync(beside) ? beside : resolve(process.cwd(), "models/query/needs.json");
    const raw = JSON.parse(readFileSync(path, "utf8")) as NeedLexicon;
    if (!Number.isInteger(raw.version) || !Array.isArray(raw.needs))
      throw new Error('needs.json must look like {"version": <integer>, "needs": [...]}');
    shipped = raw;
  }
  return shipped;
}

const words = (s: string) =>
  normalizeText(s)
    .split(/[^\p{L}\p{N}']+/u)
    .filter(Boolean);

export type NeedMatch = { need: Need; lang: Locale; /** token positions the phrase covered */ span: [number, number] };

/**
 * The needs a query says, longest phrase first, each word claimed once. `withRequest` phrases count
 * only when the query also holds a request word ("necesito el baño", not "baño").
 * Tokens: normalizeText'd words of the query (apostrophes split: "i'm" → "i", "m").
 */
export function matchNeeds(tokens: string[], lexicon: NeedLexicon = loadNeeds()): NeedMatch[] {
  const hasRequest = tokens.some((t) => REQUEST_WORDS.has(t));
  const phrases: { key: string[]; need: Need; lang: Locale }[] = [];
  for (const need of lexicon.needs) {
    for (const lang of LOCALES) {
      for (const p of need.words[lang]) phrases.push({ key: words(p).flatMap((w) => w.split("'")), need, lang });
      if (hasRequest) for (const p of need.withRequest[lang]) phrases.push({ key: words(p).flatMap((w) => w.split("'")), need, lang });
    }
  }
  phrases.sort((a, b) => b.key.length - a.key.length);
  const claimed = new Array<boolean>(tokens.length).fill(false);
  const out: NeedMatch[] = [];
  for (const ph of phrases) {
    const n = ph.key.length;
    if (!n) continue;
    for (let i = 0; i + n <= tokens.length; i++) {
      if (claimed.slice(i, i + n).some(Boolean)) continue;
      if (ph.key.every((w, j) => tokens[i + j] === w)) {
        claimed.fill(true, i, i + n);
        if (!out.some((m) => m.need.id === ph.need.id)) out.push({ need: ph.need, lang: ph.lang, span: [i, i + n] });
      }
    }
  }
  return out;
}
