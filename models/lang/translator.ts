import type { TranslationHints, Translator } from "../embed/index";
import { arabicForms, arabicLookupForms, hasArabic, normalizeArabic } from "./arabic";
import { germanCognates } from "./cognates";
import { compareSplits, splitCompound } from "./compound";
import { loadEnglishFrequency, type EnglishFrequency } from "./english-frequency";
import { DICT_DIR, dictKey, freeDict, type FreeDict } from "./freedict";
import { reducedForms } from "./inflect";
import { STOPWORDS } from "./stopwords";
import { SkeletonIndex } from "./transliterate";
import { WordNet } from "./wordnet";

/** The content languages (a union of the five; the app's own type lives in db/enums.ts). */
export type DictLang = "en" | "es" | "fr" | "de" | "ar";
const CODE: Record<DictLang, string> = { en: "eng", es: "spa", fr: "fra", de: "deu", ar: "ara" };
const isLang = (l: string): l is DictLang => l in CODE;

/** `guess`: a loanword's look-alike (transliterate.ts), kept only where the searched cards hold it. */
export type WeightedSense = { text: string; weight: number; guess?: true };

export type DictionaryOptions = {
  /** Folder of the dictd files (default /usr/share/dictd, or $TABLERO_DICT_DIR). */
  dir?: string;
  /** Senses kept per word, most weighted first (chosen on the DEV half of the translated queries). */
  senses?: number;
  /** Added to a sense's weight when the opposite dictionary translates it back to the word. */
  confirm?: number;
  /** Weight of a sense found only through the opposite dictionary (eng-xxx read backwards). */
  reverse?: number;
  /** Weight of an English word's commonness (see english-frequency.ts). */
  common?: number;
  /** How common an English word is, 0–1 (default: the encoder's tokenizer vocabulary). */
  frequency?: EnglishFrequency;
  /**
   * Senses considered per word when the caller says which words the searched collection contains
   * (TranslationHints.present): those it contains are kept first. 6, chosen on the DEV half of the
   * translated Cranfield questions (3/4/6/8 were tried; docs/quality.md).
   */
  candidates?: number;
  /** English synonyms for senses the searched cards lack (default: WordNet when installed; null: none). */
  wordnet?: WordNet | null;
};

/** One word (or dictionary phrase) of a text: its candidate senses, best first, or none (kept as written). */
type Position = { word: string; senses: WeightedSense[]; phrase?: true };

const EN_STOP = new Set(
  (
    "a an the of and or to in on at by for with from is are was were be been it its this that these those as i you he she we " +
    "they me my your his her our their what which who how when where why do does did can could would should will not"
  ).split(" "),
);
/** Look-alikes asked about per unknown Arabic word (a common skeleton, BTS, has a couple of hundred). */
const MAX_GUESSES = 100;
/** Dictionary senses longer than this are definitions ("the ninth letter of …"), not translations. */
const MAX_SENSE_WORDS = 3;

/** An Arabic word written with the article (الخبز), without it; nothing for a word without one. */
const bareArabic = (w: string): string[] => (w.startsWith("ال") && w.length > 3 ? [w.slice(2)] : []);

/** Each word's kept senses in order (a word nothing translates, as written), repeats dropped. */
function joinSenses(positions: Position[]): string {
  return [...new Set(positions.flatMap((p) => (p.senses.length ? p.senses.map((s) => s.text) : [p.word])))].join(" ");
}

/** Splits text into words (letters, digits and in-word apostrophes), keeping everything else out. */
export function words(text: string): string[] {
  return text.normalize("NFC").match(/[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}]+)*/gu) ?? [];
}

/**
 * Word-by-word translation through the FreeDict dictionaries: into English from fr/de/ar/es
 * (xxx-eng, read forwards, and eng-xxx read backwards where it is small enough to invert), and from
 * English into each (eng-xxx). A word is looked up as typed, then in reduced forms (inflections,
 * Arabic clitics), then — German — split into compound parts. Several senses are kept, weighted: a
 * dictionary's first entries first, and a sense the opposite dictionary translates back to the word
 * ahead of one it does not ("Haus" → house before establishment). Function words are dropped; a word
 * no dictionary knows (a name, a number, a technical term) is kept as written.
 */
export class DictionaryTranslator implements Translator {
  readonly id = "freedict";
  private readonly o: Required<Omit<DictionaryOptions, "frequency" | "wordnet">>;
  private readonly frequency: EnglishFrequency;
  private readonly memo = new Map<string, WeightedSense[]>();
  private readonly reverseIndexes = new Map<string, Map<string, { en: string; group: number }[]>>();
  private readonly arabicKeys = new Map<string, string[]>();
  private arabicKeysBuilt = false;

  constructor(options: DictionaryOptions = {}) {
    this.o = {
      dir: options.dir ?? DICT_DIR,
      senses: options.senses ?? 2,
      confirm: options.confirm ?? 1,
      reverse: options.reverse ?? 0.6,
      common: options.common ?? 1,
      candidates: Math.max(options.candidates ?? 6, options.senses ?? 2),
    };
    this.frequency = options.frequency ?? loadEnglishFrequency();
    this.wordnet = options.wordnet === undefined ? WordNet.open() : options.wordnet;
  }

  private readonly wordnet: WordNet | null;

  private dict(from: DictLang, to: DictLang): FreeDict | null {
    return from === to ? null : freeDict(`${CODE[from]}-${CODE[to]}`, this.o.dir);
  }

  canTranslate(from: string): boolean {
    return this.canTranslateBetween(from, "en");
  }

  canTranslateBetween(from: string, to: string): boolean {
    if (!isLang(from) || !isLang(to) || from === to) return false;
    if (to === "en") return !!this.dict(from, "en") || (from !== "de" && !!this.dict("en", from));
    if (from === "en") return !!this.dict("en", to);
    // A direct pair between two other languages (deu-fra, fra-deu, deu-spa, spa-deu, fra-spa): one
    // step, not two through English, each of which loses words ("galleta" → Keks, not biscuit → Zwieback).
    // Spanish → French: fra-spa read backwards (Debian has no spa-fra).
    return !!this.dict(from, to) || (from !== "ar" && to !== "ar" && !!this.dict(to, from));
  }

  toEnglish(texts: string[], from: string, hints?: TranslationHints): Promise<string[]> {
    return this.translate(texts, from, "en", hints);
  }

  async translate(texts: string[], from: string, to: string, hints?: TranslationHints): Promise<string[]> {
    if (!this.canTranslateBetween(from, to)) return texts;
    const n = hints?.senses ?? this.o.senses;
    if (!hints?.present) return texts.map((t) => this.translateText(t, from as DictLang, to as DictLang, n));
    const out: string[] = [];
    for (const t of texts) {
      const chosen = await this.keepPresent(this.positions(t, from as DictLang, to as DictLang), hints.present, to as DictLang, n);
      out.push(joinSenses(chosen.map((p) => this.withArticleForms(p, to as DictLang))));
    }
    return out;
  }

  private warming: Promise<void> | null = null;

  /**
   * Opens the dictionaries and builds the reverse indexes now, a slice at a time, off the first
   * search's path. Called again, it answers the same promise: it resolves once all is built (the
   * evaluation scripts wait for it, so no query sees a half-built index and figures do not vary).
   */
  warm(): Promise<void> {
    return (this.warming ??= this.build(["es", "fr", "de", "ar"]));
  }

  private async build(langs: DictLang[]): Promise<void> {
    const breathe = () => new Promise((r) => setImmediate(r));
    for (const l of langs) {
      this.dict(l, "en");
      await breathe();
      this.dict("en", l);
      await breathe();
      if (l !== "de") await this.reverseIndex(l, breathe);
    }
    if (langs.includes("ar")) {
      this.buildArabicKeys();
      for (const _ of this.buildSkeletons()) await breathe();
    }
    if (!this.dict("es", "fr")) await this.buildBackward("fr", "es", breathe);
  }

  /** One text, word by word: each word's kept senses (the dictionaries' order), joined by spaces. */
  translateText(text: string, from: DictLang, to: DictLang, n = this.o.senses): string {
    return joinSenses(
      this.positions(text, from, to).map((p) =>
        // Without the searched collection to check them against, a loanword's look-alikes are not kept.
        this.withArticleForms(p.phrase ? p : { ...p, senses: p.senses.filter((x) => !x.guess).slice(0, n) }, to),
      ),
    );
  }

  /**
   * Each word keeps `senses` of its candidates, those the searched collection contains first (the
   * dictionaries' order otherwise). A sense no searched text contains cannot find anything by its
   * words, yet it would take one of the word's few places: deu-eng's Körper is "bod, soma, body",
   * and Cranfield has no "bod". No weight to tune: presence only reorders, ties keep the dictionaries' order.
   */
  async keepPresent(
    positions: Position[],
    present: NonNullable<TranslationHints["present"]>,
    to: DictLang = "en",
    n = this.o.senses,
  ): Promise<Position[]> {
    // Words whose senses need the cards' answer: more than n of them, look-alikes, or (into English, with
    // WordNet) any, since a word none of whose senses the cards hold may be named by a synonym.
    const open = positions.filter(
      (p) => !p.phrase && (p.senses.length > n || p.senses.some((s) => s.guess) || (to === "en" && !!this.wordnet && p.senses.length > 0)),
    );
    // An Arabic word counts as present with or without its article (cards write خبز and الخبز).
    const spellings = (w: string) => (to === "ar" ? [w, ...bareArabic(w)] : [w]);
    const asked = [...new Set(open.flatMap((p) => p.senses.flatMap((s) => s.text.split(" ").flatMap(spellings))))];
    const found = asked.length ? await present(asked) : new Set<string>();
    const contained = (s: WeightedSense) => s.text.split(" ").every((w) => spellings(w).some((x) => found.has(x)));
    // English senses none of which the cards hold: their WordNet synonyms the cards hold instead
    // ("weeps" → cry, "specs" → glasses). Asked only for such words, so a word the cards already
    // name by its dictionary sense is not widened.
    const missed = to === "en" && this.wordnet ? open.filter((p) => !p.senses.some(contained)) : [];
    const synonymsOf = new Map(
      missed.map((p) => [p, [...new Set(p.senses.filter((s) => !s.guess).flatMap((s) => this.wordnet!.synonyms(s.text)))]]),
    );
    const askedAgain = [...new Set([...synonymsOf.values()].flat().flatMap((w) => w.split(" ")))].filter((w) => !found.has(w));
    if (askedAgain.length) for (const w of await present(askedAgain)) found.add(w);
    return positions.map((p) => {
      if (p.phrase) return p;
      // A look-alike the cards do not hold is no translation at all (the word then stays as written).
      const kept = p.senses.filter((s) => !s.guess || contained(s));
      const synonyms = (synonymsOf.get(p) ?? []).filter((w) => contained({ text: w, weight: 0 })).map((text) => ({ text, weight: 0 }));
      const senses = [...synonyms, ...kept];
      if (senses.length <= n) return { ...p, senses };
      const ordered = [...senses.filter(contained), ...senses.filter((s) => !contained(s))];
      return { ...p, senses: ordered.slice(0, n) };
    });
  }

  /** A text's words, each with its candidate senses (at most `candidates`, best first); function words dropped. */
  private positions(text: string, from: DictLang, to: DictLang): Position[] {
    const ws = words(text);
    const out: Position[] = [];
    for (let i = 0; i < ws.length;) {
      // Two- and three-word headwords first ("pomme de terre", "zum Beispiel").
      let used = 1;
      let senses: WeightedSense[] = [];
      for (const n of [3, 2]) {
        if (i + n > ws.length) continue;
        // Function words together are no headword to translate: deu-eng has "gibt es" as GAD
        // (generalised anxiety disorder), where a question only means "is there".
        if (ws.slice(i, i + n).every((x) => this.isStopword(x, from))) continue;
        const phrase = ws.slice(i, i + n).join(" ");
        const s = from !== "en" ? this.phraseTo(phrase, from, to) : [];
        if (s.length) {
          senses = s;
          used = n;
          break;
        }
      }
      const w = ws[i]!;
      if (used === 1) {
        if (this.isStopword(w, from)) {
          i++;
          continue;
        }
        senses =
          to === "en"
            ? this.toEnglishCandidates(w, from)
            : from === "en"
              ? this.fromEnglishCandidates(w, to)
              : this.directCandidates(w, from, to);
      }
      // A dictionary phrase ("pomme de terre") keeps all its senses.
      if (used > 1) out.push({ word: ws.slice(i, i + used).join(" "), senses, phrase: true });
      else out.push({ word: w, senses: [...senses.filter((x) => !x.guess).slice(0, this.o.candidates), ...senses.filter((x) => x.guess)] });
      i += used;
    }
    return out;
  }

  private isStopword(w: string, lang: DictLang): boolean {
    const l = w.toLowerCase();
    if (lang === "en") return EN_STOP.has(l);
    return STOPWORDS[lang].has(lang === "ar" ? normalizeArabic(l) : l);
  }

  private phraseTo(phrase: string, from: DictLang, to: DictLang): WeightedSense[] {
    const d = this.dict(from, to);
    if (!d) return [];
    const keys = from === "ar" ? this.arabicKeysFor(phrase) : d.has(phrase) ? [phrase] : [];
    return keys.length ? this.rank(keys.flatMap((k) => d.lookup(k).map((s) => ({ text: s.text, weight: 1 / (1 + s.group) })))) : [];
  }

  /** A word's English senses, most weighted first, at most `senses` of them. */
  toEnglishSenses(word: string, from: DictLang): WeightedSense[] {
    return this.toEnglishCandidates(word, from)
      .filter((s) => !s.guess)
      .slice(0, this.o.senses);
  }

  /** A word's English senses, most weighted first, at most `candidates` of them. */
  private toEnglishCandidates(word: string, from: DictLang): WeightedSense[] {
    const key = `${from}>en:${word.toLowerCase()}`;
    const hit = this.memo.get(key);
    if (hit) return hit;
    // Arabic: a form with and without the article is one word (الخبز, خبز): both looked up together.
    const forms = from === "ar" ? arabicForms(word) : reducedForms(from as "es" | "fr" | "de", word);
    let out: WeightedSense[] = [];
    let at = -1;
    for (const [i, form] of forms.entries()) {
      const spellings = from === "ar" ? arabicLookupForms(form).filter((f) => f === form || f === "ال" + form) : [form];
      out = this.rank(spellings.flatMap((f) => this.formToEnglish(f, from)));
      at = i;
      if (out.length) break;
    }
    const listed = out.length > 0;
    if (!out.length && from === "de") out = this.compoundTo(forms, "en");
    out = out.slice(0, this.o.candidates);
    // A German word no dictionary lists as written is often a learned borrowing that English spells
    // its own way (aeroelastisch → aeroelastic): those spellings, each only a guess as below.
    if (from === "de" && !listed) out = [...out, ...this.cognateGuesses(forms)];
    // An Arabic word no dictionary knows as written may be a loanword written by sound: its English
    // look-alikes (ساندويتش → sandwich), each only a guess that search keeps where the cards hold it.
    // "As written": clitic stripping finds some entry for most long words (كرواسون read as و + كرواسون
    // minus letters), so the guesses come after those senses rather than only when nothing is found.
    const whole = forms.slice(0, 1).flatMap((f) => [f, ...bareArabic(f)]);
    if (from === "ar" && (!out.length || !whole.includes(forms[at]!))) out = [...out, ...this.loanwordGuesses(whole)];
    this.remember(key, out);
    return out;
  }

  /** Senses of one form: forward entries, confirmed ones raised; entries of the opposite dictionary that list it. */
  private formToEnglish(form: string, from: DictLang): WeightedSense[] {
    const fwd = this.dict(from, "en");
    const back = this.dict("en", from);
    const norm = (s: string) => (from === "ar" ? normalizeArabic(dictKey(s)) : dictKey(s));
    const target = norm(form);
    const found: WeightedSense[] = [];
    const keys = from === "ar" ? this.arabicKeysFor(form) : fwd?.has(form) ? [form] : [];
    for (const k of keys)
      for (const s of fwd!.lookup(k).slice(0, 12)) {
        // Does the English word translate back to this one? The earlier among its senses, the surer.
        const at = back?.lookup(s.text.toLowerCase()).findIndex((b, i) => i < 8 && norm(b.text) === target) ?? -1;
        // ara-eng numbers its senses in no useful order (الجبن: "1. Currishness … 4. Cheese"): all count alike.
        const place = from === "ar" ? 1 : 1 / (1 + s.group);
        found.push({ text: s.text, weight: place + (at >= 0 ? this.o.confirm / (1 + at) : 0) });
      }
    const reverse = from === "de" ? undefined : this.reverseIndexSync(from)?.get(target);
    for (const r of reverse ?? []) {
      // A multi-word English headword ("bread and butter") is a weaker answer than a single word.
      const penalty = r.en.includes(" ") ? 0.5 : 1;
      found.push({ text: r.en, weight: (this.o.reverse * penalty) / (1 + r.group) });
    }
    for (const f of found) f.weight += this.commonness(f.text);
    return this.rank(found);
  }

  private skeletons: SkeletonIndex | null = null;

  /** The look-alike index (~0.5 s of work for ~300 000 words), pausing (yielding) every 20 000 words. */
  private *buildSkeletons(): Generator<void> {
    const index = new SkeletonIndex();
    let n = 0;
    for (const to of ["ar", "de"] as const)
      for (const w of this.dict("en", to)?.headwords() ?? [])
        if (/^[a-z]+$/.test(w)) {
          index.addWord(w);
          if (++n % 20_000 === 0) yield;
        }
    this.skeletons ??= index;
  }

  /**
   * English words spelt like an Arabic loanword sounds, by consonants, the most common first: the
   * single-word headwords of eng-ara and eng-deu (the largest English word lists here; eng-ara alone
   * lacks croissant and maracas).
   */
  private loanwordGuesses(forms: string[]): WeightedSense[] {
    if (!this.skeletons) for (const _ of this.buildSkeletons());
    const all = [...new Set(forms.flatMap((f) => this.skeletons!.guesses(f)))];
    return all
      .map((w) => ({ text: w, weight: this.frequency(w), guess: true as const }))
      .sort((a, b) => b.weight - a.weight)
      .slice(0, MAX_GUESSES);
  }

  /** English spellings of a German borrowing (cognates.ts), the most common English word first. */
  private cognateGuesses(forms: string[]): WeightedSense[] {
    return [...new Set(forms.flatMap(germanCognates))]
      .map((w) => ({ text: w, weight: this.frequency(w), guess: true as const }))
      .sort((a, b) => b.weight - a.weight);
  }

  /** German compounds the dictionary lacks: each part's first sense ("Apfelkuchen" → "apple cake"). */
  private compoundTo(forms: string[], to: DictLang): WeightedSense[] {
    const d = this.dict("de", to);
    if (!d) return [];
    // The best split over all the word's forms: "Hochgeschwindigkeitsflugzeugen" splits best as its
    // singular, Hochgeschwindigkeit + Flugzeug, not as …flug + zeugen ("witnesses").
    let best: string[] | null = null;
    for (const form of forms) {
      // Inside a word, "sch" is the ending of an adjective made from a name (Newtonsch, Joulesch), not
      // deu-eng's "sch" (Hush!).
      const parts = splitCompound(form, (w) => w !== "sch" && d.has(w));
      if (parts && (!best || compareSplits(parts, best) < 0)) best = parts;
    }
    const part = (p: string) => (to === "en" ? this.formToEnglish(p, "de") : this.formDirect(p, "de", to))[0]?.text;
    const translated = best?.map(part);
    return translated?.every(Boolean) ? [{ text: translated.join(" "), weight: 1 }] : [];
  }

  /** A word's senses in another language than English through a direct pair, at most `candidates`. */
  private directCandidates(word: string, from: DictLang, to: DictLang): WeightedSense[] {
    const key = `${from}>${to}:${word.toLowerCase()}`;
    const hit = this.memo.get(key);
    if (hit) return hit;
    const forms = from === "ar" ? [word.toLowerCase()] : reducedForms(from, word);
    let out: WeightedSense[] = [];
    const backward = this.dict(from, to) ? null : this.backwardIndex(to, from);
    for (const form of forms) {
      out = backward
        ? this.rank((backward.get(dictKey(form)) ?? []).map(([w, place]) => ({ text: w, weight: 1 / (1 + place) })))
        : this.formDirect(form, from, to);
      if (out.length) break;
    }
    if (!out.length && from === "de") out = this.compoundTo(forms, to);
    out = out.slice(0, this.o.candidates);
    // Not remembered while the backward index is still being built: the answer may be incomplete.
    if (!backward || this.backwardBuilt.has(`${to}-${from}`)) this.remember(key, out);
    return out;
  }

  /**
   * One form's senses through a direct pair: the dictionary's order, a sense raised when the opposite
   * pair (where Debian has it) translates it back to the form. No commonness: that is English-only.
   */
  private formDirect(form: string, from: DictLang, to: DictLang): WeightedSense[] {
    const fwd = this.dict(from, to);
    if (!fwd?.has(form)) return [];
    const back = this.dict(to, from);
    const target = dictKey(form);
    return this.rank(
      fwd
        .lookup(form)
        .slice(0, 12)
        .map((s) => {
          const at = back?.lookup(s.text).findIndex((b, i) => i < 8 && dictKey(b.text) === target) ?? -1;
          return { text: s.text, weight: 1 / (1 + s.group) + (at >= 0 ? this.o.confirm / (1 + at) : 0) };
        }),
    );
  }

  /** English word → senses in `to` (eng-xxx forwards), first entries first, at most `senses` of them. */
  fromEnglishSenses(word: string, to: DictLang): WeightedSense[] {
    return this.withArticleForms({ word, senses: this.fromEnglishCandidates(word, to).slice(0, this.o.senses) }, to).senses;
  }

  /** English word → senses in `to`, first entries first, at most `candidates` of them. */
  private fromEnglishCandidates(word: string, to: DictLang): WeightedSense[] {
    const key = `en>${to}:${word.toLowerCase()}`;
    const hit = this.memo.get(key);
    if (hit) return hit;
    const d = this.dict("en", to);
    const back = this.dict(to, "en");
    let out: WeightedSense[] = [];
    for (const form of d ? reducedForms("en", word) : []) {
      const found: WeightedSense[] = [];
      for (const s of d!.lookup(form).slice(0, 40)) {
        // Confirmed when the other dictionary translates it back to the English word (eng-deu lists
        // "Bandhaken" first for dog; deu-eng gives dog for Hund, not for Bandhaken).
        const at = back?.lookup(s.text).findIndex((b, i) => i < 8 && dictKey(b.text) === form) ?? -1;
        found.push({ text: s.text, weight: 1 / (1 + s.group) + (at >= 0 ? this.o.confirm / (1 + at) : 0) });
      }
      // The small xxx-eng pairs read backwards: words whose entries give this English word (fra-eng has
      // chat → cat; eng-fra's "cat" entry does not list chat).
      if (to !== "de")
        for (const [word, senses] of this.backwardIndex(to, "en").get(form) ?? [])
          found.push({ text: word, weight: this.o.reverse / (1 + senses) });
      if (!found.length) continue;
      out = this.rank(found).slice(0, this.o.candidates);
      break;
    }
    this.remember(key, out);
    return out;
  }

  /** Arabic dictionaries write the article on nouns (الخبز): the bare word too, for a search that types it bare. */
  private withArticleForms(p: Position, to: DictLang): Position {
    if (to !== "ar") return p;
    return { ...p, senses: p.senses.flatMap((s) => [s, ...bareArabic(s.text).map((text) => ({ text, weight: s.weight }))]) };
  }

  /** How common an English sense is, 0–`common` (a phrase: its rarest word). */
  private commonness(english: string): number {
    if (!this.o.common) return 0;
    return this.o.common * Math.min(...english.toLowerCase().split(" ").map(this.frequency));
  }

  /** Sums the weights of repeated senses (lower case), keeps the order of first appearance among equals. */
  private rank(list: WeightedSense[]): WeightedSense[] {
    const by = new Map<string, WeightedSense>();
    for (const s of list) {
      const k = s.text.toLowerCase();
      if (k.split(" ").length > MAX_SENSE_WORDS) continue;
      const prev = by.get(k);
      if (prev) prev.weight += s.weight;
      else by.set(k, { text: k, weight: s.weight });
    }
    return [...by.values()].sort((a, b) => b.weight - a.weight);
  }

  private remember(key: string, v: WeightedSense[]) {
    if (this.memo.size > 50_000) this.memo.clear();
    this.memo.set(key, v);
  }

  /** ara-eng keys by normalised spelling (the index keeps hamza shapes and taa marbuta as written). */
  private buildArabicKeys() {
    if (this.arabicKeysBuilt) return;
    this.arabicKeysBuilt = true;
    const d = this.dict("ar", "en");
    if (!d) return;
    for (const k of d.headwords()) {
      const n = normalizeArabic(k);
      const list = this.arabicKeys.get(n);
      if (list) list.push(k);
      else this.arabicKeys.set(n, [k]);
    }
  }

  private arabicKeysFor(form: string): string[] {
    if (!hasArabic(form)) return [];
    this.buildArabicKeys();
    return this.arabicKeys.get(normalizeArabic(dictKey(form))) ?? [];
  }

  private readonly backwardIndexes = new Map<string, Map<string, [string, number][]>>();

  /**
   * A small pair read backwards: a word of `to` → [headword of `from`, its sense's place]. xxx-eng (English
   * word → foreign headwords), built on first use; and fra-spa for Spanish → French, which Debian has in
   * one direction only, built by `warm` a slice at a time (~0.8 s of parsing): a search meanwhile sees
   * what is there so far.
   */
  private backwardIndex(from: DictLang, to: DictLang): Map<string, [string, number][]> {
    const key = `${from}-${to}`;
    let index = this.backwardIndexes.get(key);
    if (index) return index;
    if (to !== "en") {
      void this.buildBackward(from, to); // sets the (growing) index before its first pause
      return this.backwardIndexes.get(key)!;
    }
    index = new Map();
    this.backwardIndexes.set(key, index);
    for (const _ of this.fillBackward(index, from, to));
    return index;
  }

  /** Builds a backward index a slice at a time; called again, answers the same promise. */
  private buildBackward(from: DictLang, to: DictLang, breathe = () => new Promise((r) => setImmediate(r))): Promise<void> {
    const key = `${from}-${to}`;
    let building = this.backwardBuilding.get(key);
    if (building) return building;
    const index = new Map<string, [string, number][]>();
    this.backwardIndexes.set(key, index);
    building = (async () => {
      for (const _ of this.fillBackward(index, from, to)) await breathe();
      this.backwardBuilt.add(key);
    })();
    this.backwardBuilding.set(key, building);
    return building;
  }

  private readonly backwardBuilding = new Map<string, Promise<void>>();

  /** Backward indexes built to the end (a search meanwhile sees part of one). */
  private readonly backwardBuilt = new Set<string>();

  /** Fills a backward index, pausing (yielding) every 2 000 headwords. */
  private *fillBackward(index: Map<string, [string, number][]>, from: DictLang, to: DictLang): Generator<void> {
    const d = this.dict(from, to);
    if (!d || d.size > 60_000) return;
    // xxx-eng as before (its figures were measured with index keys); a direct pair by written headword.
    let n = 0;
    for (const [word, senses] of to === "en" ? d.entries() : d.writtenEntries()) {
      senses.forEach((s, i) => {
        const k = dictKey(s.text);
        const list = index.get(k);
        if (list) list.push([word, i]);
        else index.set(k, [[word, i]]);
      });
      if (++n % 2000 === 0) yield;
    }
  }

  /**
   * eng-xxx read backwards: a word of `lang` → the English headwords whose entries list it, with its
   * place there (group). Only for the small pairs (fr, es: ~9 000 entries; ar: ~87 000, ~1 s).
   */
  private reverseIndexSync(lang: DictLang): Map<string, { en: string; group: number }[]> | undefined {
    if (!this.reverseIndexes.has(lang)) void this.reverseIndex(lang);
    return this.reverseIndexes.get(lang);
  }

  private async reverseIndex(lang: DictLang, breathe?: () => Promise<unknown>): Promise<void> {
    if (this.reverseIndexes.has(lang)) return;
    const d = this.dict("en", lang);
    const index = new Map<string, { en: string; group: number }[]>();
    this.reverseIndexes.set(lang, index); // filled below; a search meanwhile sees what is there so far
    if (!d) return;
    let n = 0;
    for (const [en, senses] of d.entries()) {
      for (const s of senses) {
        const k = lang === "ar" ? normalizeArabic(dictKey(s.text)) : dictKey(s.text);
        if (!k) continue;
        const list = index.get(k);
        const entry = { en, group: s.group };
        if (list) list.push(entry);
        else index.set(k, [entry]);
      }
      if (breathe && ++n % 2000 === 0) await breathe();
    }
  }
}
