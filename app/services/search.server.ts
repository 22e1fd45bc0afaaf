import { and, desc, eq, gte, inArray, sql } from "drizzle-orm";
import { boardIsPublic, boardListedCondition, listedPinIds, rawSql } from "./access/visibility.server";
import { detectContentLanguage, weighLanguages } from "../../models/embed/language";
import { dictionaryVocabulary } from "../../models/lang/vocabulary";
import {
  cleanQuery,
  expandQuery,
  ftsPhrases,
  isStopword,
  suggestionWords,
  trigramScorer,
  trigramExpression,
  type QueryUnderstanding,
} from "../../models/query/index";
import { loadNeeds, matchNeeds, REQUEST_WORDS, type NeedMatch } from "../../models/query/needs";
import { distinctiveWords, emojiForWord, emojiIn, isEmojiWord, withoutEmoji, type EmojiNames } from "../../models/query/emoji";
import { adjacentSwaps, correctWord } from "../../models/query/spelling";
import {
  fuse,
  fuseScores,
  mergeTranslatedMatches,
  rank,
  DEFAULT_WEIGHTS,
  type Candidate,
  type CandidateLists,
  type FusionWeights,
  type Generator,
} from "../../models/rank/index";
import { LOCALES, matchSynonyms, normalizeText, type Locale } from "../../models/taxonomy/index";
import { arabicWithoutArticle } from "../../models/query/arabic-fold";
import { boardInterests, boardPins, boards, interests, pinInterests, pins, users, type User } from "../../db/tables";
import { logSearch } from "./discovery/served-log.server";
import type { Db } from "./db.server";
import { exec, first, rows } from "./data/raw.server";
import { dialectOf } from "./data/dialect.server";
import { phraseOf, textMatchesPg, tsMatch, tsMatchIn, tsQuery } from "./pg/text-match.server";
import { fuzzyCandidatesPg, similarWordsPg } from "./pg/text-search.server";
import type pg from "pg";
import { readerLanguageFirst, summaryColumns } from "./boards.server";
import { ensureInterests, interestVectors } from "./indexing.server";
import type { Pipeline } from "./pipeline.server";
import { pinIndex, readVectors, readVectorsNow, vectorCandidates } from "./vectors.server";
import { cosine, type TranslationHints } from "../../models/embed/index";
import { queryKind } from "../../models/rank/features";
import { logServed, rankCandidates, SEARCH_RERANK_DEPTH, withExploration, type Loaded, type ServedBy } from "./discovery/ranking.server";
import { interestLabel } from "./interest-labels.server";
import { textFeedback } from "./discovery/text-feedback.server";

export const SEARCH_KINDS = ["all", "cards", "boards"] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export type SearchOptions = {
  q: string;
  /** The reader's language: the fallback when a query's own language cannot be told. */
  uiLang: Locale;
  viewer: Pick<User, "id"> | null;
  limit?: number;
  kind?: SearchKind;
  /** Only cards and boards in this language. */
  langFilter?: Locale;
  /** Which generators run (evaluation compares them); default all. */
  generators?: Generator[];
  weights?: FusionWeights;
  /** "score": CombSUM of normalised scores (default); "rrf": reciprocal rank fusion. */
  fusion?: "score" | "rrf";
  /** When set, the search is logged under this key (one browser or account). */
  sessionKey?: string;
  /** When set, the cards served are logged with their features under this request id (discovery/served-log). */
  served?: ServedBy;
  /** Exploration (a small randomised share of lists) for logged lists; default on. */
  explore?: boolean;
  /** The ranker: undefined = the one in service; null = today's fusion order (evaluation); or a given model. */
  ranker?: Loaded | null;
};

export type CardHit = {
  id: number;
  title: string;
  lang: Locale;
  alt: string;
  imageKey: string;
  creatorName: string;
  score: number;
  sources: Generator[];
};
export type BoardHit = {
  id: number;
  title: string;
  description: string;
  lang: Locale;
  ownerName: string;
  cardCount: number;
  coverKey: string | null;
  score: number;
  sources: Generator[];
};
/** `requestId`: the served list's id when it was logged (engagement on its cards carries it). */
export type SearchResult = { query: QueryUnderstanding; cards: CardHit[]; boards: BoardHit[]; requestId?: string | null };

const PER_GENERATOR = 200;

/** What understandQuery adds for the search stages (kept off the page's QueryUnderstanding). */
export type Understood = QueryUnderstanding & {
  vec: Float32Array | null;
  english: string | null;
  /** Words matched against card titles only: the query's content words in the other language(s). */
  translated: string | null;
  /** Whether the query's language was told by evidence; false: both languages were searched. */
  langSure: boolean;
  /**
   * The language whose cards come first among equal matches: the reader's own when its cards, boards
   * or topics hold every content word as their own words (a French reader's "tomate", "crayon", a
   * German reader's "Hut", "Teller": words other languages share), else the query's language.
   */
  preferred: Locale;
  /** The query as typed in the language it was read in, when that is not English (for a direct translation). */
  source: { lang: Locale; text: string } | null;
  /** Need phrases found ("thirst", "pain"), and whether the query has words beyond them and emoji. */
  needs: string[];
  /** Content words matched by no card in any language, before correction (similar-spelling match is for them). */
  unknown: string[];
  /** The query's own content words (after correction), without need or emoji words. */
  content: string[];
  /** A need, or words that are the label of one of its strong interests: cards of that topic are answers. */
  namesTopic: boolean;
};

/**
 * With a language filter, the query's words in that language too: the filtered cards are then matched
 * by their own words, not only by the machine translation of them that indexing stored ("pomme" for
 * Arabic cards: تفاحة against the Arabic titles). Two routes, joined: through the query's English
 * (dictionaries or Apertium), and directly from the query's own language where a pair exists
 * (Apertium es→fr, fr→es; FreeDict deu-fra, fra-deu, deu-spa, spa-deu, fra-spa): each step through
 * English loses words ("galleta" → biscuit → Zwieback; directly, Keks). Matched like the other
 * translations, against card words only. Empty when the query is already in that language, the filter
 * is English (the English translation is already searched) or no translator reaches it.
 */
async function inFilterLanguage(db: Db, p: Pipeline, q: Understood, filter: Locale | undefined): Promise<string[]> {
  if (!filter || filter === "en" || filter === q.lang) return [];
  const hints = { present: (ws: string[]) => onPublicCards(db, ws, filter) };
  const src = q.source && q.source.lang !== filter && p.translator.canTranslateBetween(q.source.lang, filter) ? q.source : null;
  const [viaEnglish, direct] = await Promise.all([
    throughEnglish(p, q, filter, hints),
    src ? p.translator.translate([src.text], src.lang, filter, hints).then((t) => (t[0] && t[0] !== src.text ? t[0] : "")) : "",
  ]);
  const t = [viaEnglish, direct].filter(Boolean).join(" ");
  // An elided article or pronoun ("melon d'eau", "l'eau") splits off as one letter: no word to match,
  // yet it found "d'accord" and "feuille d'érable" for sandía (a walk-through).
  return t ? cleanQuery(t).tokens.filter((w) => w.length > 1) : [];
}

async function throughEnglish(p: Pipeline, q: Understood, filter: Locale, hints: TranslationHints): Promise<string> {
  if (!p.translator.canTranslateBetween("en", filter)) return "";
  const english = q.lang === "en" ? q.content.join(" ") : q.english;
  if (!english?.trim()) return "";
  // A translated query's English is a bag of senses ("rock piece"), not a phrase: read as one,
  // Apertium made it "pieza de rock". So word by word; a query typed in English is a phrase ("red apple").
  const texts = q.lang === "en" ? [english] : [...new Set(english.toLowerCase().split(/\s+/u).filter(Boolean))];
  const out = await p.translator.translate(texts, "en", filter, hints);
  return out.filter((x, i) => x && x !== texts[i]).join(" ");
}

/**
 * Understands a query: its content words (request words such as "I need", "quiero" set aside), need
 * phrases and emoji turned into the words that name their cards, misspelt words corrected from the
 * cards' vocabulary, its language from evidence (the words of cards, boards, the taxonomy and emoji
 * names in each language — not the interface language; both when unsure), its translations both
 * ways, interests and expansions (taxonomy + co-occurring searches).
 * `tokens` are the words text match uses; `corrected` is set when a word was corrected.
 */
export async function understandQuery(db: Db, p: Pipeline, raw: string, uiLang: Locale, queryVec?: Float32Array): Promise<Understood> {
  const { display, normalized, tokens: rawTokens } = cleanQuery(raw);
  const emoji = emojiIn(display);
  const none = {
    vec: null,
    english: null,
    translated: null,
    langSure: false,
    preferred: uiLang,
    source: null,
    needs: [],
    unknown: [],
    content: [],
    namesTopic: false,
  };
  if (!rawTokens.length && !emoji.length)
    return { raw, display, normalized, lang: uiLang, tokens: rawTokens, interests: [], expansions: [], ...none };

  // A query plainly in French, German or Arabic (its letters, function words or dictionary words tell)
  // is translated into English whole, as typed; its words are not "corrected" into English card words.
  // Nothing places it surely, and the reader reads French, German or Arabic: it is first their word (reader).
  const { foreign, reader } = queryLanguage(p, display, uiLang);
  // Words that match nothing are corrected from the cards' vocabulary first ("hungy" then reads as a need).
  const known = async (w: string) => isFunctionWord(w) || (await wordEvidence(db, p, w)).known;
  const unknown: string[] = [];
  const fixed: string[] = [];
  for (const w of rawTokens) {
    if (foreign || (await known(w)) || !/^\p{L}+$/u.test(w)) {
      fixed.push(w);
      continue;
    }
    unknown.push(w);
    const c = correctWord(w, await correctionVocabulary(db, p, w));
    fixed.push(c ? c.word : w);
  }
  const corrected = fixed.some((w, i) => w !== rawTokens[i]) ? fixed.join(" ") : undefined;
  // A typo of a French, German or Arabic word ("Hnud") is placed by its correction ("hund"), and the
  // correction is what gets translated.
  const fixedForeign = !foreign && corrected ? queryLanguage(p, corrected, uiLang).foreign : null;
  const from = foreign ?? fixedForeign ?? reader;

  // A one-word need of another language that is a plain word of the reader's own cards ("pain" is
  // bread to a French reader, not the English "pain"): the reader's word wins, and it is searched as a word.
  const needs: NeedMatch[] = [];
  for (const m of matchNeeds(fixed)) {
    const one = m.span[1] - m.span[0] === 1 ? fixed[m.span[0]]! : null;
    if (one && m.lang !== uiLang && !m.need.words[uiLang].some((w) => normalizeText(w) === one) && (await wordEvidence(db, p, one))[uiLang])
      continue;
    needs.push(m);
  }
  const claimed = new Set(needs.flatMap((m) => Array.from({ length: m.span[1] - m.span[0] }, (_, k) => m.span[0] + k)));
  let content = fixed.filter((w, i) => !claimed.has(i) && !isFunctionWord(w));
  if (!content.length && !needs.length && !emoji.length)
    content = fixed.filter((w) => !STOPWORD_SET.has(w)).length ? fixed.filter((w) => !STOPWORD_SET.has(w)) : fixed;
  content = [...new Set(content)];
  content = await withoutContainers(db, fixed, claimed, content);

  // Language from evidence: each content word counts for the languages whose words hold it.
  const evidence: ({ word: string } & Evidence)[] = [];
  for (const w of content) evidence.push({ word: w, ...(await wordEvidence(db, p, w)) });
  for (const m of needs) evidence.push({ word: m.need.id, ...noLanguages(), [m.lang]: true, known: true, cards: 0 });
  const { lang, sure } = weighLanguages(withoutEmoji(display), uiLang, evidence);

  // Words that name cards: the content words, a need's words in both languages, an emoji's names.
  const terms = new Set<string>(content);
  // An Arabic word with the article ("الخبز", "والخبز") also reaches cards indexed without it ("خبز"):
  // the indexes hold each Arabic title word folded and article-less, so the query is folded the same way.
  for (const w of content) arabicWithoutArticle(w).forEach((t) => terms.add(t));
  // A need's own words only when the query has no other content: "lavarme los dientes" is about teeth.
  if (!content.length && !emoji.length)
    for (const m of needs) for (const l of LOCALES) m.need.search[l].forEach((w) => terms.add(normalizeText(w)));
  for (const e of emoji) (await emojiTerms(db, e)).forEach((t) => terms.add(t));
  // A word on no card that is an emoji keyword ("cafe" is one of ☕'s) reaches the emoji's names.
  for (const w of content)
    if (!evidence.find((x) => x.word === w)?.cards)
      for (const { emoji: es } of emojiForWord(w)) for (const e of es) (await emojiTerms(db, e)).forEach((t) => terms.add(t));

  // Translations of the content words (as typed, accents and all: "cumpleaños"), both ways when the language is not sure.
  const text = content.join(" ");
  const surface = display
    .normalize("NFC")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  const typed = surface.length === rawTokens.length ? content.map((w) => surface[rawTokens.indexOf(w)] ?? w).join(" ") : text;
  const [english, spanish] = await Promise.all([
    from
      ? p.translator
          .toEnglish([fixedForeign ? fixed.join(" ") : surface.join(" ")], from, { present: (ws) => onPublicCards(db, ws, "en") })
          .then((t) => t[0] ?? null)
      : text && (lang === "es" || !sure) && p.translator.canTranslate("es")
        ? p.translator.toEnglish([typed], "es").then((t) => t[0] ?? null)
        : null,
    !foreign && !fixedForeign && text && (lang === "en" || !sure) && p.translator.canTranslateBetween("en", "es")
      ? p.translator.translate([typed], "en", "es").then((t) => t[0] ?? null)
      : null,
  ]);
  // What the English-only encoder reads: the content in English, a need's and an emoji's English words.
  const englishText =
    [
      from || lang === "es" || (!sure && english && english.toLowerCase() !== text) ? english : text,
      ...needs.flatMap((m) => m.need.search.en),
      ...emoji.map((e) => e.label.en),
    ]
      .filter(Boolean)
      .join(" ") || display;
  const vec = queryVec ?? (await cached(`e:${p.embedder.id}:${englishText}`, async () => (await p.embedder.embed([englishText]))[0]!));

  const scores = new Map<string, number>();
  for (const m of matchSynonyms(p.taxonomy, [withoutEmoji(display), corrected ?? ""].join(" ")))
    scores.set(m.slug, Math.max(scores.get(m.slug) ?? 0, m.score));
  for (const m of needs)
    for (const [slug, w] of Object.entries(m.need.interests))
      if (p.taxonomy.bySlug(slug)) scores.set(slug, Math.max(scores.get(slug) ?? 0, w));
  const iv = await interestVectors(db);
  iv.vecs.forEach((v, i) => {
    const sim = (cosine(vec, v) - 0.4) / 0.4;
    if (sim > 0) scores.set(iv.slugs[i]!, Math.max(scores.get(iv.slugs[i]!) ?? 0, Math.min(1, sim) * 0.8));
  });
  // Weak interest guesses (a nonsense word is always a little similar to something) are not kept.
  const found = [...scores]
    .filter(([, score]) => score >= 0.25)
    .map(([slug, score]) => ({ slug, score: Math.round(score * 1000) / 1000 }))
    .sort((a, b) => b.score - a.score)
    .slice(0, 5);
  const tokens = [...terms];
  // The query names a topic (not one of its examples) when its words are the words of the interest's
  // label ("fruta", "feelings", "rain"; not "apple" or "doctor", which are synonyms of fruit and helpers).
  const singular = (w: string) => w.replace(/(es|s)$/u, "");
  const contentStems = new Set(content.map(singular));
  const namesTopic =
    needs.length > 0 ||
    found.some(
      (f) =>
        f.score >= 0.8 &&
        LOCALES.some((l) => cleanQuery(p.taxonomy.bySlug(f.slug)?.labels[l] ?? "").tokens.some((w) => contentStems.has(singular(w)))),
    );
  // Related searches in the query's language (English or Spanish, the languages weighed above); a
  // French, German or Arabic reader gets them in theirs ("pain" showed them "Pain scale", "Health").
  const expansions = expandQuery(
    p.taxonomy,
    {
      normalized,
      tokens: content.length ? content : tokens,
      lang: uiLang === "fr" || uiLang === "de" || uiLang === "ar" ? uiLang : lang,
      interests: found,
    },
    await coOccurringQueries(db, normalized),
  );
  const translated = [english, spanish].filter((t): t is string => !!t && normalizeText(t) !== text).join(" ") || null;
  return {
    raw,
    display,
    normalized,
    lang,
    tokens,
    interests: found,
    expansions,
    ...(corrected ? { corrected } : {}),
    vec,
    english: englishText !== display ? englishText : english,
    translated,
    langSure: sure,
    preferred: evidence.length && evidence.every((e) => e[uiLang]) ? uiLang : lang,
    source: from
      ? { lang: from, text: fixedForeign ? fixed.join(" ") : surface.join(" ") }
      : lang !== "en" && typed
        ? { lang, text: typed }
        : null,
    needs: needs.map((m) => m.need.id),
    unknown,
    content,
    namesTopic,
  };
}

let vocabulary: ReturnType<typeof dictionaryVocabulary> | null = null;

/**
 * From one detection over five: `foreign` is fr, de or ar when the query is surely in one of them and the
 * translator can bring it to English (English and Spanish queries keep the evidence-weighing path above).
 * `reader` is the reader's language (fr, de or ar) for a query that nothing places surely: a word of two
 * languages ("cloche", "voiture", "pain": French and English headwords) or of none the dictionaries list
 * as a headword ("yeux", "bisou", "voilier": plurals and words the small fra-eng lacks, which Apertium's
 * pivot knows). A French reader typing it means the French word, so it is translated from French too;
 * its own letters are still matched as typed. Found by `eval:bilingual --misses`: "cloche" did not find
 * the bell card, "yeux" not the eyes card.
 */
function queryLanguage(
  p: Pipeline,
  display: string,
  uiLang: Locale,
): { foreign: "fr" | "de" | "ar" | null; reader: "fr" | "de" | "ar" | null } {
  vocabulary ??= dictionaryVocabulary();
  const { lang, sure } = detectContentLanguage(withoutEmoji(display), uiLang, { vocabulary });
  const other = (l: string | null): l is "fr" | "de" | "ar" => (l === "fr" || l === "de" || l === "ar") && p.translator.canTranslate(l);
  if (sure) return { foreign: other(lang) ? lang : null, reader: null };
  return { foreign: null, reader: lang === uiLang && other(uiLang) ? uiLang : null };
}

const STOPWORD_SET = new Set(["a", "an", "the", "of", "de", "la", "el", "los", "las", "y", "and"]);

/**
 * After a request ("quiero un vaso de agua", "I want a cup of tea", "dame un plato de sopa") the thing
 * wanted is the noun after "de"/"of", not the container or amount before it: that word is set aside,
 * unless a card holds the whole phrase ("cepillo de dientes", "glass of milk"). Short queries only.
 */
async function withoutContainers(db: Db, fixed: string[], claimed: Set<number>, content: string[]): Promise<string[]> {
  // Short everyday requests only: in a long question "flow of air" is not a container and its contents.
  if (content.length > FLOOR_MAX_WORDS) return content;
  const asks = (i: number) => fixed.slice(0, i).some((w) => REQUEST_WORDS.has(w) && !isStopword(w));
  const isContent = (i: number) => !claimed.has(i) && !isFunctionWord(fixed[i]!);
  const drop = new Set<string>();
  for (let i = 1; i + 1 < fixed.length; i++) {
    if (fixed[i] !== "de" && fixed[i] !== "of") continue;
    let j = i + 1;
    while (j < fixed.length && isStopword(fixed[j]!) && !claimed.has(j)) j++;
    // What follows may be a need's word ("agua" after a request is thirst): the container still goes.
    if (j >= fixed.length || !isContent(i - 1) || !(isContent(j) || claimed.has(j)) || !asks(i - 1)) continue;
    const phrase = `"${fixed
      .slice(i - 1, j + 1)
      .join(" ")
      .replace(/"/g, "")}"`;
    // PostgreSQL: the phrase in the titles' tsvectors (weight A).
    const q = dialectOf(db) === "pg" ? tsQuery([phraseOf(phrase, true)]) : null;
    const held =
      dialectOf(db) === "pg"
        ? q !== null && (await first(db, sql`SELECT 1 FROM pin_fts f WHERE ${tsMatch("f", q)} LIMIT 1`)) !== undefined
        : (await first(db, sql`SELECT 1 FROM pin_fts WHERE pin_fts MATCH ${`title : ${phrase}`} LIMIT 1`)) !== undefined;
    if (!held) drop.add(fixed[i - 1]!);
  }
  return content.filter((w) => !drop.has(w));
}
const isFunctionWord = (w: string) => REQUEST_WORDS.has(w) || isStopword(w);

/** A word's evidence: whether cards (own words), boards or the taxonomy, need phrases and emoji names hold it, per language. */
/** Which content languages hold a word (one flag each), whether anything knows it, and on how many cards. */
type Evidence = Record<Locale, boolean> & { known: boolean; cards: number };
const noLanguages = (): Record<Locale, boolean> => Object.fromEntries(LOCALES.map((l) => [l, false])) as Record<Locale, boolean>;
const perLanguage = <T>(make: () => T): Record<Locale, T> => Object.fromEntries(LOCALES.map((l) => [l, make()])) as Record<Locale, T>;
const evidenceMemo = new WeakMap<Db, Map<string, { at: number; e: Evidence }>>();
export async function wordEvidence(db: Db, p: Pipeline, word: string): Promise<Evidence> {
  let memo = evidenceMemo.get(db);
  if (!memo) evidenceMemo.set(db, (memo = new Map()));
  const hit = memo.get(word);
  // Cards come and go: the memo is short-lived.
  if (hit && Date.now() - hit.at < 60_000) return hit.e;
  const [phrase] = ftsPhrases([word]);
  const e: Evidence = { ...noLanguages(), known: false, cards: 0 };
  const pgQ = phrase && dialectOf(db) === "pg" ? tsQuery([phraseOf(phrase)]) : null;
  if (pgQ) {
    // The same questions of the tsvectors: own words are the title and body columns.
    const own = await rows<{ lang: Locale }>(
      db,
      sql`SELECT p.lang AS lang FROM (SELECT f.pin_id AS id FROM pin_fts f WHERE ${tsMatchIn("f", pgQ, ["title", "body"])} LIMIT 500) m JOIN pin p ON p.id = m.id GROUP BY p.lang`,
    );
    for (const r of own) e[r.lang] = true;
    const boardsOwn = await rows<{ lang: Locale }>(
      db,
      sql`SELECT b.lang AS lang FROM (SELECT f.board_id AS id FROM board_fts f WHERE ${tsMatchIn("f", pgQ, ["title", "description"])} LIMIT 200) m JOIN board b ON b.id = m.id GROUP BY b.lang`,
    );
    for (const r of boardsOwn) e[r.lang] = true;
    e.cards =
      (await first<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM pin_fts f WHERE ${tsMatch("f", pgQ)} LIMIT 50) m`))
        ?.n ?? 0;
  } else if (phrase && dialectOf(db) === "sqlite") {
    const own = await rows<{ lang: Locale; n: number }>(
      db,
      sql`SELECT p.lang AS lang, count(*) AS n FROM (SELECT rowid FROM pin_fts WHERE pin_fts MATCH ${`{title body} : ${phrase}`} LIMIT 500) f JOIN pin p ON p.id = f.rowid GROUP BY p.lang`,
    );
    for (const r of own) e[r.lang] = true;
    const boardsOwn = await rows<{ lang: Locale }>(
      db,
      sql`SELECT b.lang AS lang FROM (SELECT rowid FROM board_fts WHERE board_fts MATCH ${`{title description} : ${phrase}`} LIMIT 200) f JOIN board b ON b.id = f.rowid GROUP BY b.lang`,
    );
    for (const r of boardsOwn) e[r.lang] = true;
    // Any column: the cards' words in the other language and their boards' titles count as known.
    e.cards =
      (await first<{ n: number }>(db, sql`SELECT count(*) AS n FROM (SELECT 1 FROM pin_fts WHERE pin_fts MATCH ${phrase} LIMIT 50)`))?.n ??
      0;
  }
  const tax = taxonomyWords(p);
  for (const l of LOCALES) if (tax[l].has(word) || needWords()[l].has(word) || isEmojiWord(word, l)) e[l] = true;
  e.known = e.cards > 0 || LOCALES.some((l) => e[l]);
  memo.set(word, { at: Date.now(), e });
  if (memo.size > 5000) memo.delete(memo.keys().next().value!);
  return e;
}

const taxonomyWordSets = new WeakMap<Pipeline["taxonomy"], Record<Locale, Set<string>>>();
function taxonomyWords(p: Pipeline): Record<Locale, Set<string>> {
  let sets = taxonomyWordSets.get(p.taxonomy);
  if (!sets) {
    const made = perLanguage(() => new Set<string>());
    for (const n of p.taxonomy.all())
      for (const l of LOCALES)
        for (const s of [n.labels[l], ...n.synonyms[l]]) for (const w of cleanQuery(s).tokens) if (!isFunctionWord(w)) made[l].add(w);
    sets = made;
    taxonomyWordSets.set(p.taxonomy, sets);
  }
  return sets;
}

let needWordSets: Record<Locale, Set<string>> | undefined;
function needWords(): Record<Locale, Set<string>> {
  if (!needWordSets) {
    const made = perLanguage(() => new Set<string>());
    for (const n of loadNeeds().needs)
      for (const l of LOCALES)
        for (const s of [...n.words[l], ...n.withRequest[l]]) for (const w of cleanQuery(s).tokens) if (!isFunctionWord(w)) made[l].add(w);
    needWordSets = made;
  }
  return needWordSets;
}

/**
 * Candidate corrections for a word: the words of the cards that share its rarer trigrams (read from
 * the trigram index, at most 400 cards), with how many of those cards hold each, and the taxonomy's and
 * need phrases' words.
 */
/** Longest word whose letter swaps are looked up for spelling correction, and rows read per swap. */
const SWAP_LOOKUP_MAX = 6;
const SWAP_ROWS = 20;

async function correctionVocabulary(db: Db, p: Pipeline, word: string): Promise<Map<string, number>> {
  const vocab = new Map<string, number>();
  const expr = trigramExpression([word], 1);
  if (expr && dialectOf(db) === "pg") {
    // pg_trgm's word similarity picks the rows (the FTS5 trigram table's bm25 on SQLite).
    for (const words of await similarWordsPg(db.$client as unknown as pg.Pool, word, 400))
      for (const w of new Set(cleanQuery(words).tokens)) vocab.set(w, (vocab.get(w) ?? 0) + 1);
  } else if (expr) {
    const got = await rows<{ words: string }>(
      db,
      sql`SELECT words FROM pin_tri WHERE pin_tri MATCH ${expr} ORDER BY bm25(pin_tri) LIMIT 400`,
    );
    for (const r of got) for (const w of new Set(cleanQuery(r.words).tokens)) vocab.set(w, (vocab.get(w) ?? 0) + 1);
  }
  // Two letters swapped ("hnud", "dgo") leave few of the meant word's trigrams: a short word's swaps are
  // looked up as they are (SWAP_LOOKUP_MAX letters at most: a longer word keeps enough trigrams).
  if (word.length >= 3 && word.length <= SWAP_LOOKUP_MAX) {
    for (const v of adjacentSwaps(word)) {
      const found =
        dialectOf(db) === "pg"
          ? await similarWordsPg(db.$client as unknown as pg.Pool, v, SWAP_ROWS)
          : (
              await rows<{ words: string }>(
                db,
                sql`SELECT words FROM pin_tri WHERE pin_tri MATCH ${`"${v.replace(/"/g, "")}"`} LIMIT ${SWAP_ROWS}`,
              )
            ).map((r) => r.words);
      for (const words of found) for (const w of new Set(cleanQuery(words).tokens)) vocab.set(w, (vocab.get(w) ?? 0) + 1);
    }
  }
  const tax = taxonomyWords(p);
  const needs = needWords();
  for (const l of LOCALES)
    for (const w of [...tax[l], ...needs[l]]) if (Math.abs(w.length - word.length) <= 2 && !vocab.has(w)) vocab.set(w, 0);
  return vocab;
}

/**
 * The words that find an emoji's cards: its whole name in each language when a card holds it ("red
 * apple", "manzana roja"), else the name's telling words that cards hold ("dog face" → "dog",
 * "cara de perro" → "perro"; "face" is in too many emoji names to tell anything).
 */
async function emojiTerms(db: Db, e: EmojiNames): Promise<string[]> {
  const out: string[] = [];
  const hits = async (t: string) => {
    const [phrase] = ftsPhrases([t]);
    if (dialectOf(db) === "pg") {
      const q = phrase ? tsQuery([phraseOf(phrase)]) : null;
      return !!q && (await first(db, sql`SELECT 1 FROM pin_fts f WHERE ${tsMatchIn("f", q, ["title", "english"])} LIMIT 1`)) !== undefined;
    }
    return (
      !!phrase && (await first(db, sql`SELECT 1 FROM pin_fts WHERE pin_fts MATCH ${`{title english} : ${phrase}`} LIMIT 1`)) !== undefined
    );
  };
  for (const l of LOCALES) {
    const name = normalizeText(e.label[l]);
    if (await hits(name)) out.push(name);
  }
  if (out.length) return out;
  for (const l of LOCALES) for (const w of distinctiveWords(e, l)) if (!isFunctionWord(w) && (await hits(w))) out.push(w);
  return out;
}

const LEXICON_SAMPLE = 5000;

/** How many cards in each language hold all of the query's words in their word or description (of the first 5,000 that do). */
export async function lexiconEvidence(db: Db, tokens: string[]): Promise<Record<Locale, number>> {
  const safe = tokens
    .map((t) => t.replace(/"/g, ""))
    .filter(Boolean)
    .slice(0, 8);
  if (!safe.length) return perLanguage(() => 0);
  const expr = safe.map((t) => `"${t}"`).join(" AND ");
  // A sample is enough to tell which language holds the words: the first LEXICON_SAMPLE matches.
  const pgQ =
    dialectOf(db) === "pg"
      ? tsQuery(
          safe.map((t) => phraseOf(t)),
          "&",
        )
      : null;
  const got =
    dialectOf(db) === "pg"
      ? pgQ
        ? await rows<{ lang: Locale; n: number }>(
            db,
            sql`SELECT p.lang AS lang, count(*)::int AS n FROM (SELECT f.pin_id AS id FROM pin_fts f WHERE ${tsMatchIn("f", pgQ, ["title", "body"])} LIMIT ${LEXICON_SAMPLE}) m JOIN pin p ON p.id = m.id GROUP BY p.lang`,
          )
        : []
      : await rows<{ lang: Locale; n: number }>(
          db,
          sql`SELECT p.lang AS lang, count(*) AS n FROM (SELECT rowid FROM pin_fts WHERE pin_fts MATCH ${`{title body} : (${expr})`} LIMIT ${LEXICON_SAMPLE}) f JOIN pin p ON p.id = f.rowid GROUP BY p.lang`,
        );
  const out = perLanguage(() => 0);
  for (const r of got) out[r.lang] = r.n;
  return out;
}

// Popular queries repeat: their embedding is kept (bounded, oldest out first).
const memo = new Map<string, unknown>();
async function cached<T>(key: string, make: () => Promise<T>): Promise<T> {
  if (memo.has(key)) return memo.get(key) as T;
  const value = await make();
  memo.set(key, value);
  if (memo.size > 2000) memo.delete(memo.keys().next().value!);
  return value;
}

/**
 * Queries that other people searched within 30 minutes of this one, in at least two sessions, and that
 * are fit to show to everyone: a short phrase of plain words (models/query suggestionWords) each of
 * which is on some card of a public board. Anyone can search anything, so without that check two
 * browsers could plant any text — an insult, a phone number — among every searcher's suggestions.
 */
async function coOccurringQueries(db: Db, normalized: string): Promise<string[]> {
  // Each other search once, with an EXISTS on the (session_key, created_at) index, rather than
  // every pair of searches of a session: that join grew with the square of one session's
  // repeats of this query (issue 13: 15% of a search page after a few hundred reloads).
  // `o.query` is not grouped: SQLite takes one row's, PostgreSQL needs an aggregate (min).
  const query = dialectOf(db) === "pg" ? sql`min(o.query)` : sql`o.query`;
  const got = await rows<{ query: string; n: number }>(
    db,
    sql`SELECT ${query} AS query, count(DISTINCT o.session_key) AS n FROM search_log o
       WHERE o.session_key IN (SELECT session_key FROM search_log WHERE normalized = ${normalized})
        AND o.normalized <> ${normalized} AND o.result_count > 0
        AND EXISTS (SELECT 1 FROM search_log s WHERE s.session_key = o.session_key AND s.normalized = ${normalized}
          AND s.created_at BETWEEN o.created_at - 1800000 AND o.created_at + 1800000)
       GROUP BY o.normalized HAVING count(DISTINCT o.session_key) >= 2 ORDER BY n DESC LIMIT 12`,
  );
  const fit: string[] = [];
  for (const r of got) {
    if (fit.length >= 4) break;
    const words = suggestionWords(r.query);
    if (words === null) continue;
    let all = true;
    for (const w of words) {
      if (await onPublicCard(db, w)) continue;
      all = false;
      break;
    }
    if (all) fit.push(r.query);
  }
  return fit;
}

/**
 * Whether a word is in the word or description of some card on a public board (suggestions are shown
 * to everyone); with `lang`, of a card written in that language.
 */
async function onPublicCard(db: Db, word: string, lang?: Locale): Promise<boolean> {
  const [phrase] = ftsPhrases([word]);
  if (!phrase) return false;
  const columns = ["title", "body"];
  const pg = dialectOf(db) === "pg";
  const inLang = lang ? sql`JOIN pin p ON p.id = ${sql.raw(pg ? "f.pin_id" : "f.rowid")} AND p.lang = ${lang}` : sql``;
  if (pg) {
    const q = tsQuery([phraseOf(phrase)]);
    return (
      !!q &&
      (await first(
        db,
        sql`SELECT 1 FROM pin_fts f JOIN board_pin bp ON bp.pin_id = f.pin_id JOIN board b ON b.id = bp.board_id AND ${sql.raw(rawSql.boardIsPublic("b"))} ${inLang}
           WHERE ${tsMatchIn("f", q, columns)} LIMIT 1`,
      )) !== undefined
    );
  }
  return (
    (await first(
      db,
      sql`SELECT 1 FROM pin_fts f JOIN board_pin bp ON bp.pin_id = f.rowid JOIN board b ON b.id = bp.board_id AND ${sql.raw(rawSql.boardIsPublic("b"))} ${inLang}
         WHERE pin_fts MATCH ${`{${columns.join(" ")}} : ${phrase}`} LIMIT 1`,
    )) !== undefined
  );
}

/** How long a word's presence on public cards is remembered for query translation (a new card shows after this). */
const PRESENCE_TTL_MS = 60_000;
// Per database (tests and scripts may open several in one process).
const presenceOf = new WeakMap<Db, Map<string, { at: number; found: boolean }>>();

/**
 * Which of these words of `lang` some public card written in `lang` contains, in its own words: the
 * dictionary translator keeps those senses of a query's word first (models/lang/translator.ts
 * keepPresent). Not the English that indexing stored for other languages' cards: that is the same
 * dictionaries' output ("Keks" → "biscuit bonce"), and would vouch for itself. Public cards only, like
 * suggestions: a private card's words must not steer what others' searches become.
 */
async function onPublicCards(db: Db, words: string[], lang: Locale): Promise<Set<string>> {
  const now = Date.now();
  const found = new Set<string>();
  let presence = presenceOf.get(db);
  if (!presence) presenceOf.set(db, (presence = new Map()));
  for (const w of words) {
    const key = `${lang}:${w}`;
    let hit = presence.get(key);
    if (!hit || now - hit.at > PRESENCE_TTL_MS) {
      hit = { at: now, found: await onPublicCard(db, w, lang) };
      if (presence.size >= 5000) presence.delete(presence.keys().next().value!);
      presence.set(key, hit);
    }
    if (hit.found) found.add(w);
  }
  return found;
}

const asCandidates = (ids: { id: number; score: number }[]): Candidate[] => ids.map((x, i) => ({ id: x.id, score: x.score, rank: i + 1 }));

/**
 * Cards a viewer may find: public boards' cards, and their own (never an unlisted board's: those are
 * for the people given the link). Every stage's candidates pass through this one filter.
 */
/**
 * Above this many matches a MATCH expression is not ranked by bm25() as a whole: FTS5 weighs a term by
 * reading every card that holds it, ~1.3 µs a card, so one common word cost 50–200 ms at 1M cards.
 */
export const TEXT_MATCHES_MAX = 5000;

/**
 * Cards (or boards) by BM25, title three times the rest. The query's own words match every column;
 * its translation's words only titles, to add the direct hits without counting the cards' own
 * translated texts twice. When the words match more than `cap` rows (a large corpus), the words that
 * alone match more than `cap` are left out of the BM25 ranking (their weight there is small: they are
 * in a large share of all cards), and their title matches join below the ranked ones, newest first;
 * the vector and interest stages still cover every card.
 */
export async function textCandidates(
  db: Db,
  table: "pin_fts" | "board_fts",
  tokens: string[],
  translated: string[] = [],
  cap = TEXT_MATCHES_MAX,
  names = false,
): Promise<Candidate[]> {
  const hits = await textMatches(db, table, tokens, translated, cap, names);
  return table === "pin_fts" ? withCategories(db, hits, tokens, translated) : hits;
}

/** Boards (public) whose whole title, function words aside, is one word: a category people made ("Food", "Comida", "El cuerpo"). */
const CATEGORY_BOARDS_MAX = 50;
const singularOf = (w: string) => w.replace(/(es|s)$/u, "");
async function categoryBoards(db: Db, words: string[]): Promise<number[]> {
  const out = new Set<number>();
  for (const w of new Set(words)) {
    const [phrase] = ftsPhrases([w]);
    if (!phrase || isFunctionWord(w)) continue;
    const pgQ = dialectOf(db) === "pg" ? tsQuery([phraseOf(phrase, true)]) : null;
    const found = pgQ
      ? await rows<{ id: number; title: string }>(
          db,
          sql`SELECT f.board_id AS id, f.title AS title FROM board_fts f JOIN board b ON b.id = f.board_id AND ${sql.raw(rawSql.boardIsPublic("b"))} WHERE ${tsMatch("f", pgQ)} LIMIT ${CATEGORY_BOARDS_MAX}`,
        )
      : await rows<{ id: number; title: string }>(
          db,
          sql`SELECT f.rowid AS id, f.title AS title FROM board_fts f JOIN board b ON b.id = f.rowid AND ${sql.raw(rawSql.boardIsPublic("b"))} WHERE board_fts MATCH ${`title : ${phrase}`} LIMIT ${CATEGORY_BOARDS_MAX}`,
        );
    for (const r of found) {
      const t = cleanQuery(r.title).tokens.filter((x) => !isFunctionWord(x));
      if (t.length === 1 && (t[0] === w || singularOf(t[0]!) === singularOf(w))) out.add(r.id);
    }
  }
  return [...out];
}

/**
 * A query that is only category words ("food", "comida", or a need's words "food comida") means the
 * cards filed under that category — the cards of boards titled so — rather than the cards that happen
 * to hold the word in their own title ("canned food" is a kitchen thing). Those boards' cards join the
 * text matches at the best match's score; other matches keep half of theirs.
 */
async function withCategories(db: Db, hits: Candidate[], tokens: string[], translated: string[]): Promise<Candidate[]> {
  const content = tokens.filter((t) => !isFunctionWord(t));
  if (!content.length || content.length > 3) return hits;
  const boardsOf = await categoryBoards(db, [...content, ...translated]);
  if (!boardsOf.length) return hits;
  // Every content word must name a category (or be the translation of one): "food" yes, "pot of food" no.
  const named = new Set(
    (await db.select({ title: boards.title }).from(boards).where(inArray(boards.id, boardsOf))).flatMap((r) =>
      cleanQuery(r.title).tokens.map(singularOf),
    ),
  );
  if (!content.every((t) => named.has(singularOf(t)))) return hits;
  const members = await db
    .selectDistinct({ id: boardPins.pinId })
    .from(boardPins)
    .where(inArray(boardPins.boardId, boardsOf))
    .limit(PER_GENERATOR);
  if (!members.length) return hits;
  const best = hits[0]?.score ?? 1;
  const inCategory = new Set(members.map((m) => m.id));
  const scored = hits.map((h) => ({ id: h.id, score: inCategory.has(h.id) ? Math.max(h.score, best) : h.score * 0.5 }));
  const have = new Set(hits.map((h) => h.id));
  for (const m of members) if (!have.has(m.id)) scored.push({ id: m.id, score: best });
  return asCandidates(scored.sort((a, b) => b.score - a.score).slice(0, PER_GENERATOR));
}

async function textMatches(
  db: Db,
  table: "pin_fts" | "board_fts",
  tokens: string[],
  translated: string[],
  cap: number,
  names: boolean,
): Promise<Candidate[]> {
  const own = ftsPhrases(tokens);
  if (!own.length) return [];
  const extra = ftsPhrases(translated.filter((t) => !tokens.includes(t))).filter((t) => !own.includes(t));
  const pg = dialectOf(db) === "pg";
  const toPhrases = (ps: string[]) => ps.map((ph) => phraseOf(ph)).filter((ph) => ph !== null);
  const titles = (ps: string[]) => ps.map((t) => `title : ${t}`);
  const match = (o: string[], x: string[]) =>
    pg ? textMatchesPg(db, table, toPhrases(o), toPhrases(x), cap, PER_GENERATOR) : textMatchesSqlite(db, table, [...o, ...titles(x)], cap);
  // A question: the words as typed and their translations are evidence together, summed by BM25.
  if (!names || !extra.length) return asCandidates(await match(own, extra));
  // A query that names things ("dog", "manzana"): apart, merged by the better of the two
  // (mergeTranslatedMatches). Summed, a card matched both ways (its stored English, and its title in
  // the query's translation) came before the card written in the searcher's own words.
  const [ownHits, extraHits] = [await match(own, []), await match([], extra)];
  return asCandidates(mergeTranslatedMatches(ownHits, extraHits).slice(0, PER_GENERATOR));
}

/** FTS5 phrases ranked by BM25 (title three times the rest), with the cap on common phrases; best first. */
async function textMatchesSqlite(
  db: Db,
  table: "pin_fts" | "board_fts",
  phrases: string[],
  cap: number,
): Promise<{ id: number; score: number }[]> {
  const or = (ps: string[]) => ps.join(" OR ");
  // Title counts three times the rest (tuned on Cranfield and CISI; docs/quality.md).
  const weights = table === "pin_fts" ? "3.0, 1.0, 1.0, 1.0" : "3.0, 1.0, 1.0";
  const t = sql.raw(table);
  const ranked = async (ps: string[]) =>
    (
      await rows<{ id: number; s: number }>(
        db,
        sql`SELECT rowid AS id, bm25(${t}, ${sql.raw(weights)}) AS s FROM ${t} WHERE ${t} MATCH ${or(ps)} ORDER BY s LIMIT ${PER_GENERATOR}`,
      )
    ).map((r) => ({
      id: r.id,
      score: -r.s,
    }));
  const exceeds = async (ps: string[]) =>
    ((await first<{ n: number }>(db, sql`SELECT count(*) AS n FROM (SELECT 1 FROM ${t} WHERE ${t} MATCH ${or(ps)} LIMIT ${cap + 1})`))?.n ??
      0) > cap;
  if (!(await exceeds(phrases))) return ranked(phrases);

  const common: string[] = [];
  for (const ph of phrases) if (await exceeds([ph])) common.push(ph);
  // Several words, none common on its own: BM25 over all of them costs at most cap rows per word.
  if (!common.length) return ranked(phrases);
  const rare = phrases.filter((ph) => !common.includes(ph));
  const hits = rare.length ? await ranked(rare) : [];
  const floor = hits.length ? hits[hits.length - 1]!.score : 1;
  const have = new Set(hits.map((h) => h.id));
  const titles = common.map((ph) => (ph.startsWith("title : ") ? ph : `title : ${ph}`));
  const recent = await rows<{ id: number }>(
    db,
    sql`SELECT rowid AS id FROM ${t} WHERE ${t} MATCH ${or(titles)} ORDER BY rowid DESC LIMIT ${PER_GENERATOR}`,
  );
  for (const r of recent) if (hits.length < PER_GENERATOR && !have.has(r.id)) hits.push({ id: r.id, score: floor });
  return hits;
}

/** Above this many trigram matches, BM25 over all of them (~4 µs each) is no longer affordable. */
const FUZZY_MATCHES_MAX = 3000;

export async function fuzzyCandidates(db: Db, tokens: string[]): Promise<Candidate[]> {
  const expr = trigramExpression(tokens);
  if (!expr) return [];
  // PostgreSQL: pg_trgm's index finds the rows, the same trigram similarity keeps them.
  if (dialectOf(db) === "pg") return fuzzyCandidatesPg(db.$client as unknown as pg.Pool, tokens);
  const matches =
    (
      await first<{ n: number }>(
        db,
        sql`SELECT count(*) AS n FROM (SELECT 1 FROM pin_tri WHERE pin_tri MATCH ${expr} LIMIT ${FUZZY_MATCHES_MAX + 1})`,
      )
    )?.n ?? 0;
  let found: { id: number; words: string }[];
  if (matches <= FUZZY_MATCHES_MAX) {
    found = await rows<{ id: number; words: string }>(
      db,
      sql`SELECT rowid AS id, words FROM pin_tri WHERE pin_tri MATCH ${expr} ORDER BY bm25(pin_tri) LIMIT 100`,
    );
  } else {
    // A large corpus: only the rows holding one of each word's rarest trigrams can pass the similarity
    // filter below (see rareTrigrams). They are read rarest trigram first (the most telling rows),
    // unranked, FUZZY_MATCHES_MAX rows at most.
    const seen = new Set<number>();
    found = [];
    for (const gram of await rareTrigrams(db, tokens)) {
      if (found.length >= FUZZY_MATCHES_MAX) break;
      const holders = await rows<{ id: number; words: string }>(
        db,
        sql`SELECT rowid AS id, words FROM pin_tri WHERE pin_tri MATCH ${`"${gram}"`} LIMIT ${FUZZY_MATCHES_MAX - found.length + seen.size}`,
      );
      for (const r of holders) {
        if (seen.has(r.id) || found.length >= FUZZY_MATCHES_MAX) continue;
        seen.add(r.id);
        found.push(r);
      }
    }
  }
  // BM25 over trigrams finds words that share some; keep those that really look alike.
  const similarity = trigramScorer(tokens);
  const scored = found
    .map((r) => ({ id: r.id, score: similarity(r.words) }))
    .filter((r) => r.score >= 0.35)
    .sort((a, b) => b.score - a.score || a.id - b.id);
  return asCandidates(scored.slice(0, 50));
}

/**
 * A word of m trigrams is kept below only when a card word shares at least ⌈0.35·m⌉ of them (trigram
 * Jaccard ≥ 0.35), so such a card holds at least one of any m − ⌈0.35·m⌉ + 1 of them: the rarest
 * ones, by the trigram index's own document counts. Reading those loses no card that could be kept
 * (when they are all read). Rarest first.
 */
async function rareTrigrams(db: Db, tokens: string[]): Promise<string[]> {
  const grams: string[] = [];
  const docs = new Map<string, number>();
  for (const t of new Set(tokens)) {
    const own = trigramExpression([t]);
    if (!own) continue;
    const mine = [...own.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
    for (const g of mine) if (!docs.has(g)) docs.set(g, await trigramDocs(db, g));
    const keep = mine.length - Math.ceil(0.35 * mine.length) + 1;
    grams.push(...mine.sort((a, b) => docs.get(a)! - docs.get(b)!).slice(0, keep));
  }
  return [...new Set(grams)].sort((a, b) => docs.get(a)! - docs.get(b)!);
}

/** How many cards hold a trigram (fts5vocab over pin_tri, a temporary table of this connection), remembered. */
const trigramCounts = new WeakMap<Db, Map<string, number>>();
async function trigramDocs(db: Db, gram: string): Promise<number> {
  let counts = trigramCounts.get(db);
  if (!counts) {
    // pg: fts5vocab is SQLite's; pg_trgm needs no per-trigram counts (fuzzyCandidatesPg).
    await exec(db, sql`CREATE VIRTUAL TABLE IF NOT EXISTS temp.pin_tri_vocab USING fts5vocab(main, pin_tri, row)`);
    trigramCounts.set(db, (counts = new Map()));
  }
  let n = counts.get(gram);
  if (n === undefined) {
    n = (await first<{ doc: number }>(db, sql`SELECT doc FROM temp.pin_tri_vocab WHERE term = ${normalizeText(gram)}`))?.doc ?? 0;
    counts.set(gram, n);
    if (counts.size > 20_000) counts.delete(counts.keys().next().value!);
  }
  return n;
}

function interestSlugsWithDescendants(p: Pipeline, slugs: { slug: string; score: number }[]): Map<string, number> {
  const out = new Map<string, number>();
  const visit = (slug: string, w: number) => {
    if ((out.get(slug) ?? 0) >= w) return;
    out.set(slug, w);
    for (const c of p.taxonomy.children(slug)) visit(c.slug, w * 0.8);
  };
  for (const s of slugs.filter((x) => x.score >= 0.3).slice(0, 3)) visit(s.slug, s.score);
  return out;
}

const INTEREST_ROWS = PER_GENERATOR * 10;

/**
 * Cards (or boards) holding the query's interests. Only the strongest holders are read: a broad
 * interest ("food") can be on a large share of all cards. Each interest's holders are read strongest
 * first from the (interest_id, score) index and merged, so at most INTEREST_ROWS rows are read in all,
 * whatever the size of the corpus (one query with `IN (...) ORDER BY score` sorted every holder).
 */
export async function interestCandidates(
  db: Db,
  p: Pipeline,
  table: "pin" | "board",
  q: Pick<QueryUnderstanding, "interests">,
  stats?: { rows: number },
): Promise<Candidate[]> {
  const wanted = interestSlugsWithDescendants(p, q.interests);
  if (!wanted.size) return [];
  const ids = await db
    .select({ id: interests.id, slug: interests.slug })
    .from(interests)
    .where(inArray(interests.slug, [...wanted.keys()]));
  const weightOf = new Map(ids.map((r) => [r.id, wanted.get(r.slug)!]));
  // Each interest's holders are read in pages, strongest first (an open cursor per interest cannot
  // be held across awaits); a page is about this interest's share of INTEREST_ROWS, so the rows read
  // stay near INTEREST_ROWS in all.
  const pageSize = Math.max(100, Math.ceil(INTEREST_ROWS / Math.max(1, weightOf.size)));
  const page = (interestId: number, offset: number) =>
    rows<{ id: number; score: number }>(
      db,
      table === "pin"
        ? sql`SELECT pin_id AS id, score FROM pin_interest WHERE interest_id = ${interestId} ORDER BY score DESC LIMIT ${pageSize} OFFSET ${offset}`
        : sql`SELECT board_id AS id, score FROM board_interest WHERE interest_id = ${interestId} ORDER BY score DESC LIMIT ${pageSize} OFFSET ${offset}`,
    );
  type Head = { interestId: number; buf: { id: number; score: number }[]; pos: number; offset: number };
  const heads: Head[] = [];
  for (const interestId of weightOf.keys()) {
    const buf = await page(interestId, 0);
    if (buf.length) heads.push({ interestId, buf, pos: 0, offset: 0 });
  }
  const best = new Map<number, number>();
  let read = 0;
  while (heads.length && read < INTEREST_ROWS) {
    let h = 0;
    for (let i = 1; i < heads.length; i++) if (heads[i]!.buf[heads[i]!.pos]!.score > heads[h]!.buf[heads[h]!.pos]!.score) h = i;
    const head = heads[h]!;
    const r = head.buf[head.pos]!;
    read++;
    best.set(r.id, Math.max(best.get(r.id) ?? 0, r.score * weightOf.get(head.interestId)!));
    head.pos++;
    if (head.pos < head.buf.length) continue;
    // This page is used up: the next one, unless this was the last.
    const more = head.buf.length === pageSize ? await page(head.interestId, (head.offset += pageSize)) : [];
    if (more.length) {
      head.buf = more;
      head.pos = 0;
    } else heads.splice(h, 1);
  }
  if (stats) stats.rows = read;
  return asCandidates(
    [...best]
      .map(([id, score]) => ({ id, score }))
      .sort((a, b) => b.score - a.score || a.id - b.id)
      .slice(0, PER_GENERATOR),
  );
}

/**
 * The search pipeline for cards and boards: understand the query, gather candidates from text match
 * (FTS5 BM25), nearest neighbours (sign-bit index over sqlite-vec's vectors) and interests, fuse them
 * (weighted RRF), keep what the viewer may see, and rank.
 */
export async function search(db: Db, p: Pipeline, o: SearchOptions): Promise<SearchResult> {
  await ensureInterests(db, p);
  const limit = Math.min(Math.max(o.limit ?? 24, 1), 100);
  const gens = new Set<Generator>(o.generators ?? ["text", "fuzzy", "vector", "interest"]);
  const q = await understandQuery(db, p, o.q, o.uiLang);
  const empty: SearchResult = { query: strip(q), cards: [], boards: [] };
  if (!q.tokens.length) return empty;
  // Each card carries its words in the other language (indexing), so the query's own words reach both;
  // the query's translation is matched against card words alone, to add the direct hits without
  // counting the translated card texts twice.
  const tokens = q.tokens;
  const translatedTokens = [...(q.translated ? cleanQuery(q.translated).tokens : []), ...(await inFilterLanguage(db, p, q, o.langFilter))];
  const kind = o.kind ?? "all";
  // One or two words name a thing ("dog", "red apple"); more make a question (NAME_MAX_WORDS).
  const names = q.content.length <= NAME_MAX_WORDS;

  let cards: CardHit[] = [];
  let requestId: string | null = null;
  if (kind !== "boards") {
    const lists: CandidateLists = {};
    if (gens.has("text")) lists.text = await textCandidates(db, "pin_fts", tokens, translatedTokens, undefined, names);
    if (gens.has("fuzzy")) lists.fuzzy = await fuzzyCandidates(db, q.tokens);
    if (gens.has("vector") && q.vec) {
      const index = await pinIndex(db);
      lists.vector = asCandidates(
        index.search(q.vec, PER_GENERATOR, {
          candidates: vectorCandidates(index.size),
          // PostgreSQL's index keeps every vector (floats or int8): it never re-reads them.
          ...(dialectOf(db) === "sqlite" ? { fetchVectors: (ids: number[]) => readVectorsNow(db, "pin_vec", ids) } : {}),
        }),
      );
    }
    if (gens.has("interest")) lists.interest = await interestCandidates(db, p, "pin", q);
    // What the viewer may not see leaves before anything is judged against it: a hidden card titled
    // "apple" must neither push public apples under the relevance floor nor reveal that it exists.
    keepOnly(lists, await listedPinIds(db, candidateIds(lists), o.viewer));
    await relevanceFloor(db, "pin_fts", lists, q, o.langFilter);
    const fused = (o.fusion === "rrf" ? fuse : fuseScores)(lists, o.weights ?? DEFAULT_WEIGHTS);
    const info = await pinInfo(
      db,
      fused.map((f) => f.id),
    );
    // Today's hand fusion gives the candidates' order; the learned ranker (when one is in service)
    // reorders the first RANK_AT_MOST of them from the shared features (discovery/ranking.server.ts).
    const fusedOrder = rank(
      fused.filter((f) => info.has(f.id) && (!o.langFilter || info.get(f.id)!.lang === o.langFilter)),
      (id) => ({ saves: info.get(id)!.saves, langMatch: info.get(id)!.lang === q.preferred }),
    );
    const byId = new Map(fusedOrder.map((r) => [r.id, r]));
    // Pseudo-relevance feedback: a feature for the learned ranker, not part of today's fusion.
    const feedback = lists.text?.length ? await textFeedback(db, lists.text) : new Map<number, number>();
    const outcome = await rankCandidates(
      db,
      fusedOrder.map((r) => ({ id: r.id, scores: withFeedback(r.scores, feedback.get(r.id)), fused: r.score })),
      { surface: "search", lang: q.preferred, tokens: q.tokens.length, kind: queryKind(q.display, q.tokens, false) },
      { depth: SEARCH_RERANK_DEPTH, ...(o.ranker === undefined ? {} : { ranker: o.ranker }) },
    );
    // Exploration draws from the first 50 (DEFAULT_EXPLORE's pool), then the page keeps `limit`.
    const explored = withExploration(
      outcome.ranked.slice(0, Math.max(limit, SEARCH_RERANK_DEPTH)),
      o.served !== undefined && o.explore !== false,
    );
    const shown = { items: explored.items.slice(0, limit), propensity: explored.propensity.slice(0, limit) };
    if (o.served) logServed(db, o.served, "search", q.display, outcome.ranker, shown.items, shown.propensity);
    cards = shown.items.map((s) => {
      const r = byId.get(s.id)!;
      const i = info.get(r.id)!;
      return {
        id: r.id,
        title: i.title,
        lang: i.lang,
        alt: i.alt,
        imageKey: i.imageKey,
        creatorName: i.creatorName,
        score: round(Number.isFinite(s.value) ? s.value : r.score),
        sources: r.sources,
      };
    });
    requestId = o.served?.requestId ?? null;
  }

  let boardHits: BoardHit[] = [];
  if (kind !== "cards") {
    const lists: CandidateLists = {};
    if (gens.has("text")) lists.text = await textCandidates(db, "board_fts", tokens, translatedTokens, undefined, names);
    if (gens.has("vector") && q.vec) lists.vector = await boardVectorCandidates(db, q.vec);
    if (gens.has("interest")) lists.interest = await interestCandidates(db, p, "board", q);
    // As for cards: boards the viewer may not see leave before the relevance floor looks at the lists.
    const info = await boardInfo(db, candidateIds(lists), o.viewer);
    keepOnly(lists, new Set(info.keys()));
    await relevanceFloor(db, "board_fts", lists, q, o.langFilter);
    const fused = (o.fusion === "rrf" ? fuse : fuseScores)(lists, o.weights ?? DEFAULT_WEIGHTS);
    const ranked = rank(
      fused.filter((f) => info.has(f.id) && (!o.langFilter || info.get(f.id)!.lang === o.langFilter)),
      (id) => ({ saves: info.get(id)!.saves, langMatch: info.get(id)!.lang === q.preferred }),
    );
    boardHits = ranked.slice(0, Math.min(limit, 12)).map((r) => ({ ...info.get(r.id)!, score: round(r.score), sources: r.sources }));
  }

  // Logged by the background writer with the served list, not by this read (issue 13: no GET writes).
  if (o.sessionKey)
    logSearch(db, {
      query: q.display,
      normalized: q.normalized,
      lang: q.lang,
      resultCount: cards.length + boardHits.length,
      sessionKey: o.sessionKey,
    });
  const query = strip(q);
  // A query with no interest of its own ("sandwitch") borrows those of its best cards for expansions.
  if (query.expansions.length < 4 && cards.length) {
    const borrowed = await db
      .select({ slug: interests.slug, score: sql<number>`sum(${pinInterests.score})`.mapWith(Number) })
      .from(pinInterests)
      .innerJoin(interests, eq(interests.id, pinInterests.interestId))
      .where(
        inArray(
          pinInterests.pinId,
          cards.slice(0, 5).map((c) => c.id),
        ),
      )
      .groupBy(interests.slug)
      .orderBy(desc(sql`sum(${pinInterests.score})`))
      .limit(3);
    if (borrowed.length) {
      const top = borrowed[0]!.score;
      const more = expandQuery(p.taxonomy, { ...q, interests: borrowed.map((b) => ({ slug: b.slug, score: b.score / top })) });
      query.expansions = [...new Set([...query.expansions, ...more])].slice(0, 8);
    }
  }
  // Nothing found and nothing to expand: offer the broad topics, so the page never ends in a dead end.
  if (!cards.length && !boardHits.length && !query.expansions.length)
    query.expansions = p.taxonomy
      .roots()
      .slice(0, 8)
      .map((r) => r.labels[q.lang]);
  return { query, cards, boards: boardHits, requestId };
}

/** A card's sources' scores with its feedback score beside them (when text found it). */
const withFeedback = (scores: Partial<Record<Generator, number>>, feedback: number | undefined) =>
  feedback === undefined ? scores : { ...scores, feedback };

/**
 * Nearest neighbours always exist, even for "qwertyzz". When no other generator found anything, only
 * close neighbours count, so nonsense gets the no-results page (with suggestions) rather than noise.
 */
const VECTOR_ALONE_MIN = 0.5;
function dropWeakVectorOnly(lists: CandidateLists) {
  // Only when other generators ran and found nothing; the vector stage alone (evaluation) is left as it is.
  const ran = (["text", "fuzzy", "interest"] as const).filter((g) => lists[g] !== undefined);
  if (!ran.length) return;
  const others = ran.some((g) => lists[g]!.length);
  if (!others && lists.vector) lists.vector = lists.vector.filter((c) => c.score >= VECTOR_ALONE_MIN);
}

/** A short query's words: above this many the floor leaves the lists alone (long questions are ranked by fusion as before). */
const FLOOR_MAX_WORDS = 4;
/**
 * A query of at most this many content words names a thing: its translation's matches are merged with
 * its own by the better, not summed (textMatches). Chosen on DEV halves: on the starter library's
 * DEV half (`eval:bilingual --first-only`) 1, 2 and 4 put the reader's own card first alike except
 * French (1: 0.79; 2 and 4: 0.82), while on the Cranfield DEV questions 4 cost German 0.251 → 0.241
 * Recall@10 (its short questions, "papers on slip flow heat transfer", gain from the sum) and 2 cost nothing.
 */
const NAME_MAX_WORDS = 2;
/** Text matches below this share of the best one's BM25 are partial matches of a longer query. */
const TEXT_FLOOR = 0.3;
/** A card found only by its vector must be this close to the query, and within VECTOR_BAND of the closest card. */
const VECTOR_FLOOR = 0.5;
const VECTOR_BAND = 0.1;
const VECTOR_NEAR = 0.05;
/** An interest-only card must hold the query's interest at least this share as strongly as the best holder. */
const INTEREST_FLOOR = 0.5;

/**
 * A relevance floor for short everyday queries, so that nothing irrelevant fills the top: a card stays
 * only with real evidence — a good share of the best text match, a close similar spelling of a word
 * no card holds, a vector close both absolutely and to the best one, or (when the query names a
 * topic, not a card) a strong hold on the query's interest. When the query's words name cards
 * exactly ("cat", "🐶"), cards that only share its topic (other pets) are not padding. Everything is
 * kept when nothing passes (so a word that names cards never gives an empty page), and when only one
 * generator ran (evaluation of a stage alone), and with a language filter (as before).
 */
async function relevanceFloor(db: Db, table: "pin_fts" | "board_fts", lists: CandidateLists, q: Understood, langFilter?: Locale) {
  const ran = (Object.keys(lists) as Generator[]).filter((g) => lists[g] !== undefined);
  if (ran.length < 2) return;
  // One language asked for: the other language's strong matches are filtered out anyway, and a word's
  // card in that language is often found by its vector alone, below the other language's best. (A
  // floor judged within the filtered language alone was tried on 2026-12-08: it ended "Hund" in
  // English at "dog", but cost 4–14 points of cross-language Recall@10 on the starter library's DEV half.)
  if (langFilter) return dropWeakVectorOnly(lists);
  if (q.content.length > FLOOR_MAX_WORDS) return dropWeakVectorOnly(lists);
  // Each language against its own best: a card in the other language is often found by its translated
  // words alone (title only), which score lower than the same-language card's own words.
  const langOf = await cardLanguages(
    db,
    table,
    ran.flatMap((g) => lists[g]!.map((c) => c.id)),
  );
  const keep = new Set<number>();
  const text = lists.text ?? [];
  const bestTextIn = new Map<string, number>();
  for (const c of text) bestTextIn.set(langOf.get(c.id) ?? "", Math.max(bestTextIn.get(langOf.get(c.id) ?? "") ?? 0, c.score));
  // One word that is the whole title of cards ("dog", "perro") means those cards: a card that only
  // holds it beside other words ("hot dog") is another thing, and stays only on other evidence.
  const exact =
    table === "pin_fts" ? await namedCards(db, text.slice(0, 20), [...q.tokens, ...translationTerms(q.translated)]) : new Set<number>();
  const specific = exact.size > 0;
  const oneWord = q.content.length === 1 || (!q.content.length && q.tokens.every((t) => !t.includes(" ")));
  // A need alone searches its own words ("pill", "píldora" for "I feel sick"): the cards they title, not
  // every card that holds one of them ("medical symbol").
  const needOnly = q.needs.length > 0 && !q.content.length;
  const onlyExact = specific && ((oneWord && !q.needs.length) || needOnly);
  const textOk = (id: number) => !onlyExact || exact.has(id);
  for (const c of text) if (c.score >= TEXT_FLOOR * bestTextIn.get(langOf.get(c.id) ?? "")! && textOk(c.id)) keep.add(c.id);
  const textIds = new Set(text.filter((c) => textOk(c.id)).map((c) => c.id));
  // Similar spelling stands for words no card holds; for known words it only adds look-alikes ("hungry" → "angry").
  // A word corrected from the cards ("hnud" → hund) is no longer unknown: its look-alikes ("und") are not kept.
  const uncorrected = q.unknown.some((w) => q.content.includes(w));
  for (const c of lists.fuzzy ?? []) if (textIds.has(c.id) || (uncorrected && c.score >= 0.5)) keep.add(c.id);
  const vec = lists.vector ?? [];
  const bestCos = vec[0]?.score ?? 0;
  // With text matches, a card found by its vector alone must be about as close as the best of them.
  const top = new Set(text.slice(0, 3).map((c) => c.id));
  const anchorIn = new Map<string, number>();
  for (const c of vec)
    if (top.has(c.id)) anchorIn.set(langOf.get(c.id) ?? "", Math.max(anchorIn.get(langOf.get(c.id) ?? "") ?? 0, c.score));
  // One plain word (no need, spelt as cards spell it) that several cards hold: those cards
  // are the answer, and what is merely near it in meaning ("water" → a tropical drink) is filler.
  const plainWord = q.content.length === 1 && !q.needs.length && !q.unknown.length;
  const textKept = text.filter((c) => keep.has(c.id)).length;
  for (const c of vec) {
    if (plainWord && textKept >= 2 && !textIds.has(c.id)) continue;
    const anchor = anchorIn.get(langOf.get(c.id) ?? "") ?? 0;
    if (c.score >= Math.max(VECTOR_FLOOR, bestCos - VECTOR_BAND, anchor - VECTOR_NEAR)) keep.add(c.id);
  }
  const strongInterest = q.namesTopic && (q.interests[0]?.score ?? 0) >= 0.8;
  const interest = lists.interest ?? [];
  const bestInterest = interest[0]?.score ?? 0;
  if (strongInterest && !specific) for (const c of interest) if (c.score >= INTEREST_FLOOR * bestInterest) keep.add(c.id);
  if (!keep.size) return dropWeakVectorOnly(lists);
  for (const g of ran) lists[g] = lists[g]!.filter((c) => keep.has(c.id));
}

/** Every candidate id any generator found. */
function candidateIds(lists: CandidateLists): number[] {
  return [...new Set(Object.values(lists).flatMap((l) => (l ?? []).map((c) => c.id)))];
}

/** Drops from every list the candidates not in `allowed`. */
function keepOnly(lists: CandidateLists, allowed: Set<number>): void {
  for (const g of Object.keys(lists) as Generator[]) lists[g] = lists[g]!.filter((c) => allowed.has(c.id));
}

/** The language of each card (or board) among `ids`. */
async function cardLanguages(db: Db, table: "pin_fts" | "board_fts", ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const unique = [...new Set(ids)];
  const got =
    table === "pin_fts"
      ? await db.select({ id: pins.id, lang: pins.lang }).from(pins).where(inArray(pins.id, unique))
      : await db.select({ id: boards.id, lang: boards.lang }).from(boards).where(inArray(boards.id, unique));
  return new Map(got.map((r) => [r.id, r.lang]));
}

/**
 * What of a query's translation may name cards whole: the translation itself ("pan de molde"), and each
 * of its words, since a dictionary's translation is a list of senses ("Bell bell", "car motor car" for
 * a French reader's "cloche", "voiture"): each sense that is a card's whole title names that card.
 */
function translationTerms(translated: string | null): string[] {
  if (!translated) return [];
  const whole = normalizeText(translated);
  return [whole, ...whole.split(" ").filter((w) => w.length > 1 && !isFunctionWord(w))];
}

/** The best text matches named by the query's words themselves: title = a query term or the whole translation (plural or not). */
async function namedCards(db: Db, top: Candidate[], terms: string[]): Promise<Set<number>> {
  if (!top.length) return new Set();
  const singular = (w: string) => w.replace(/(es|s)$/u, "");
  const wanted = new Set(terms.flatMap((t) => [t, singular(t)]));
  // The title as indexed (PostgreSQL's pin_fts is keyed by pin_id, FTS5's by rowid).
  const key = sql.raw(dialectOf(db) === "pg" ? "pin_id" : "rowid");
  const got = await rows<{ id: number; title: string }>(
    db,
    sql`SELECT ${key} AS id, title FROM pin_fts WHERE ${inArray(
      sql`${key}`,
      top.map((c) => c.id),
    )}`,
  );
  return new Set(
    got
      .filter((r) => {
        const t = normalizeText(r.title);
        return wanted.has(t) || wanted.has(singular(t));
      })
      .map((r) => r.id),
  );
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
const strip = (q: Understood): QueryUnderstanding => {
  const {
    vec: _v,
    english: _e,
    translated: _t,
    langSure: _s,
    preferred: _p,
    needs: _n,
    unknown: _u,
    content: _c,
    namesTopic: _nt,
    ...rest
  } = q;
  return rest;
};

async function boardVectorCandidates(db: Db, vec: Float32Array): Promise<Candidate[]> {
  // Boards are few (one per person's topic), so sqlite-vec's exact search is fast enough here.
  // PostgreSQL has no vector index: the boards' vectors (bytea) are read and ranked here, exactly.
  if (dialectOf(db) === "pg") {
    const all = await readVectors(db, "board_vec");
    const scored = [...all].map(([id, v]) => ({ id, score: cosine(vec, v) }));
    return asCandidates(scored.sort((a, b) => b.score - a.score || a.id - b.id).slice(0, 100));
  }
  const got = await rows<{ id: number; distance: number }>(
    db,
    sql`SELECT board_id AS id, distance FROM board_vec WHERE embedding MATCH ${vec} AND k = 100 ORDER BY distance`,
  );
  return asCandidates(got.map((r) => ({ id: Number(r.id), score: 1 - r.distance })));
}

async function pinInfo(db: Db, ids: number[]) {
  if (!ids.length) return new Map<number, Awaited<ReturnType<typeof pinRows>>[number]>();
  const got = await pinRows(db, ids);
  return new Map(got.map((r) => [r.id, r]));
}

function pinRows(db: Db, ids: number[]) {
  return db
    .select({
      id: pins.id,
      title: pins.title,
      lang: pins.lang,
      alt: pins.alt,
      imageKey: pins.imageKey,
      creatorName: users.displayName,
      saves: sql<number>`(select count(*) from board_pin bp where bp.pin_id = "pin"."id") - 1`.mapWith(Number),
    })
    .from(pins)
    .innerJoin(users, eq(users.id, pins.creatorId))
    .where(inArray(pins.id, ids));
}

async function boardInfo(db: Db, ids: number[], viewer: Pick<User, "id"> | null) {
  if (!ids.length) return new Map<number, Omit<BoardHit, "score" | "sources"> & { saves: number }>();
  const got = await db
    .select(summaryColumns)
    .from(boards)
    .innerJoin(users, eq(users.id, boards.ownerId))
    // Search lists public boards, and the viewer's own whatever their visibility.
    .where(and(inArray(boards.id, ids), boardListedCondition(viewer)));
  return new Map(got.map((r) => [r.id, r]));
}

/** The top interests of a card or board, for the chips on its page. */
export async function topInterests(db: Db, kind: "pin" | "board", id: number, lang: Locale, n = 4) {
  const t = kind === "pin" ? pinInterests : boardInterests;
  const idCol = kind === "pin" ? pinInterests.pinId : boardInterests.boardId;
  const got = await db
    .select({ slug: interests.slug, en: interests.labelEn, es: interests.labelEs, score: t.score })
    .from(t)
    .innerJoin(interests, eq(interests.id, t.interestId))
    .where(eq(idCol, id))
    .orderBy(desc(t.score))
    .limit(n);
  return got.map((r) => ({ slug: r.slug, label: interestLabel(r.slug, lang, r), score: r.score }));
}

/** An interest's page: its label, place in the tree, and its best public boards (its own and its children's). */
export async function interestPage(db: Db, p: Pipeline, slug: string, lang: Locale) {
  const node = p.taxonomy.bySlug(slug);
  if (!node) return null;
  const slugs = [slug, ...p.taxonomy.children(slug).map((c) => c.slug)];
  // Grouped by the board and its owner (PostgreSQL wants the joined owner's columns grouped too; one owner a board).
  const got = await db
    .select({ ...summaryColumns, score: sql<number>`max(${boardInterests.score})`.mapWith(Number) })
    .from(boardInterests)
    .innerJoin(interests, eq(interests.id, boardInterests.interestId))
    .innerJoin(boards, eq(boards.id, boardInterests.boardId))
    .innerJoin(users, eq(users.id, boards.ownerId))
    .where(and(inArray(interests.slug, slugs), boardIsPublic(), gte(boardInterests.score, 0.1)))
    .groupBy(boards.id, users.id)
    .orderBy(
      ...readerLanguageFirst(lang),
      desc(sql`max(${boardInterests.score})`),
      desc(sql`(select count(*) from board_pin bp where bp.board_id = "board"."id")`),
    )
    .limit(24);
  return {
    slug,
    label: node.labels[lang],
    ancestors: p.taxonomy.ancestors(slug).map((a) => ({ slug: a.slug, label: a.labels[lang] })),
    children: p.taxonomy.children(slug).map((c) => ({ slug: c.slug, label: c.labels[lang] })),
    boards: got,
  };
}
