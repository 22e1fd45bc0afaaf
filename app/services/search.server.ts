import { and, desc, eq, gte, inArray, sql } from "drizzle-orm";
import { boardIsPublic, boardListedCondition, listedPinIds, rawSql } from "./access/visibility.server";
import { weighLanguages } from "../../models/embed/language";
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
import { loadNeeds, matchNeeds, REQUEST_WORDS } from "../../models/query/needs";
import { distinctiveWords, emojiForWord, emojiIn, isEmojiWord, withoutEmoji, type EmojiNames } from "../../models/query/emoji";
import { correctWord } from "../../models/query/spelling";
import {
  fuse,
  fuseScores,
  rank,
  DEFAULT_WEIGHTS,
  type Candidate,
  type CandidateLists,
  type FusionWeights,
  type Generator,
} from "../../models/rank/index";
import { LOCALES, matchSynonyms, normalizeText, type Locale } from "../../models/taxonomy/index";
import { boardInterests, boards, interests, pinInterests, pins, users, type User } from "../../db/schema";
import { logSearch } from "./discovery/served-log.server";
import type { Db } from "./db.server";
import { summaryColumns } from "./boards.server";
import { ensureInterests, interestVectors } from "./indexing.server";
import type { Pipeline } from "./pipeline.server";
import { pinIndex, readVectors, vectorCandidates } from "./vectors.server";
import { cosine } from "../../models/embed/index";
import { queryKind } from "../../models/rank/features";
import { logServed, rankCandidates, SEARCH_RERANK_DEPTH, withExploration, type Loaded, type ServedBy } from "./discovery/ranking.server";

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
  const none = { vec: null, english: null, translated: null, langSure: false, needs: [], unknown: [], content: [], namesTopic: false };
  if (!rawTokens.length && !emoji.length)
    return { raw, display, normalized, lang: uiLang, tokens: rawTokens, interests: [], expansions: [], ...none };

  // Words that match nothing are corrected from the cards' vocabulary first ("hungy" then reads as a need).
  const known = (w: string) => isFunctionWord(w) || wordEvidence(db, p, w).known;
  const unknown: string[] = [];
  const fixed = rawTokens.map((w) => {
    if (known(w) || !/^\p{L}+$/u.test(w)) return w;
    unknown.push(w);
    const c = correctWord(w, correctionVocabulary(db, p, w));
    return c ? c.word : w;
  });
  const corrected = fixed.some((w, i) => w !== rawTokens[i]) ? fixed.join(" ") : undefined;

  const needs = matchNeeds(fixed);
  const claimed = new Set(needs.flatMap((m) => Array.from({ length: m.span[1] - m.span[0] }, (_, k) => m.span[0] + k)));
  let content = fixed.filter((w, i) => !claimed.has(i) && !isFunctionWord(w));
  if (!content.length && !needs.length && !emoji.length)
    content = fixed.filter((w) => !STOPWORD_SET.has(w)).length ? fixed.filter((w) => !STOPWORD_SET.has(w)) : fixed;
  content = [...new Set(content)];
  content = withoutContainers(db, fixed, claimed, content);

  // Language from evidence: each content word counts for the languages whose words hold it.
  const evidence = content.map((w) => ({ word: w, ...wordEvidence(db, p, w) }));
  for (const m of needs) evidence.push({ word: m.need.id, en: m.lang === "en", es: m.lang === "es", known: true, cards: 0 });
  const { lang, sure } = weighLanguages(withoutEmoji(display), uiLang, evidence);

  // Words that name cards: the content words, a need's words in both languages, an emoji's names.
  const terms = new Set<string>(content);
  // A need's own words only when the query has no other content: "lavarme los dientes" is about teeth.
  if (!content.length && !emoji.length)
    for (const m of needs) for (const l of LOCALES) m.need.search[l].forEach((w) => terms.add(normalizeText(w)));
  for (const e of emoji) emojiTerms(db, e).forEach((t) => terms.add(t));
  // A word on no card that is an emoji keyword ("cafe" is one of ☕'s) reaches the emoji's names.
  for (const w of content)
    if (!evidence.find((x) => x.word === w)?.cards)
      for (const { emoji: es } of emojiForWord(w)) for (const e of es) emojiTerms(db, e).forEach((t) => terms.add(t));

  // Translations of the content words (as typed, accents and all: "cumpleaños"), both ways when the language is not sure.
  const text = content.join(" ");
  const surface = display
    .normalize("NFC")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  const typed = surface.length === rawTokens.length ? content.map((w) => surface[rawTokens.indexOf(w)] ?? w).join(" ") : text;
  const [english, spanish] = await Promise.all([
    text && (lang === "es" || !sure) && p.translator.canTranslate("es")
      ? p.translator.toEnglish([typed], "es").then((t) => t[0] ?? null)
      : null,
    text && (lang === "en" || !sure) && p.translator.canTranslateBetween("en", "es")
      ? p.translator.translate([typed], "en", "es").then((t) => t[0] ?? null)
      : null,
  ]);
  // What the English-only encoder reads: the content in English, a need's and an emoji's English words.
  const englishText =
    [
      lang === "es" || (!sure && english && english.toLowerCase() !== text) ? english : text,
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
  const iv = interestVectors(db);
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
  const expansions = expandQuery(
    p.taxonomy,
    { normalized, tokens: content.length ? content : tokens, lang, interests: found },
    coOccurringQueries(db, normalized),
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
    needs: needs.map((m) => m.need.id),
    unknown,
    content,
    namesTopic,
  };
}

const STOPWORD_SET = new Set(["a", "an", "the", "of", "de", "la", "el", "los", "las", "y", "and"]);

/**
 * After a request ("quiero un vaso de agua", "I want a cup of tea", "dame un plato de sopa") the thing
 * wanted is the noun after "de"/"of", not the container or amount before it: that word is set aside,
 * unless a card holds the whole phrase ("cepillo de dientes", "glass of milk"). Short queries only.
 */
function withoutContainers(db: Db, fixed: string[], claimed: Set<number>, content: string[]): string[] {
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
    if (db.$client.prepare("SELECT 1 FROM pin_fts WHERE pin_fts MATCH ? LIMIT 1").get(`title : ${phrase}`) === undefined)
      drop.add(fixed[i - 1]!);
  }
  return content.filter((w) => !drop.has(w));
}
const isFunctionWord = (w: string) => REQUEST_WORDS.has(w) || isStopword(w);

/** A word's evidence: whether cards (own words), boards or the taxonomy, need phrases and emoji names hold it, per language. */
type Evidence = { en: boolean; es: boolean; known: boolean; cards: number };
const evidenceMemo = new WeakMap<Db, Map<string, { at: number; e: Evidence }>>();
export function wordEvidence(db: Db, p: Pipeline, word: string): Evidence {
  let memo = evidenceMemo.get(db);
  if (!memo) evidenceMemo.set(db, (memo = new Map()));
  const hit = memo.get(word);
  // Cards come and go: the memo is short-lived.
  if (hit && Date.now() - hit.at < 60_000) return hit.e;
  const [phrase] = ftsPhrases([word]);
  const e: Evidence = { en: false, es: false, known: false, cards: 0 };
  if (phrase) {
    const own = db.$client
      .prepare(
        "SELECT p.lang AS lang, count(*) AS n FROM (SELECT rowid FROM pin_fts WHERE pin_fts MATCH ? LIMIT 500) f JOIN pin p ON p.id = f.rowid GROUP BY p.lang",
      )
      .all(`{title body} : ${phrase}`) as { lang: Locale; n: number }[];
    for (const r of own) e[r.lang] = true;
    const boardsOwn = db.$client
      .prepare(
        "SELECT b.lang AS lang FROM (SELECT rowid FROM board_fts WHERE board_fts MATCH ? LIMIT 200) f JOIN board b ON b.id = f.rowid GROUP BY b.lang",
      )
      .all(`{title description} : ${phrase}`) as { lang: Locale }[];
    for (const r of boardsOwn) e[r.lang] = true;
    // Any column: the cards' words in the other language and their boards' titles count as known.
    e.cards = (
      db.$client.prepare("SELECT count(*) AS n FROM (SELECT 1 FROM pin_fts WHERE pin_fts MATCH ? LIMIT 50)").get(phrase) as { n: number }
    ).n;
  }
  const tax = taxonomyWords(p);
  for (const l of LOCALES) if (tax[l].has(word) || needWords()[l].has(word) || isEmojiWord(word, l)) e[l] = true;
  e.known = e.cards > 0 || e.en || e.es;
  memo.set(word, { at: Date.now(), e });
  if (memo.size > 5000) memo.delete(memo.keys().next().value!);
  return e;
}

const taxonomyWordSets = new WeakMap<Pipeline["taxonomy"], Record<Locale, Set<string>>>();
function taxonomyWords(p: Pipeline): Record<Locale, Set<string>> {
  let sets = taxonomyWordSets.get(p.taxonomy);
  if (!sets) {
    sets = { en: new Set(), es: new Set() };
    for (const n of p.taxonomy.all())
      for (const l of LOCALES)
        for (const s of [n.labels[l], ...n.synonyms[l]]) for (const w of cleanQuery(s).tokens) if (!isFunctionWord(w)) sets[l].add(w);
    taxonomyWordSets.set(p.taxonomy, sets);
  }
  return sets;
}

let needWordSets: Record<Locale, Set<string>> | undefined;
function needWords(): Record<Locale, Set<string>> {
  if (!needWordSets) {
    needWordSets = { en: new Set(), es: new Set() };
    for (const n of loadNeeds().needs)
      for (const l of LOCALES)
        for (const s of [...n.words[l], ...n.withRequest[l]])
          for (const w of cleanQuery(s).tokens) if (!isFunctionWord(w)) needWordSets[l].add(w);
  }
  return needWordSets;
}

/**
 * Candidate corrections for a word: the words of the cards that share its rarer trigrams (read from
 * the trigram index, at most 400 cards), with how many of those cards hold each, and the taxonomy's and
 * need phrases' words.
 */
function correctionVocabulary(db: Db, p: Pipeline, word: string): Map<string, number> {
  const vocab = new Map<string, number>();
  const expr = trigramExpression([word], 1);
  if (expr) {
    const rows = db.$client.prepare("SELECT words FROM pin_tri WHERE pin_tri MATCH ? ORDER BY bm25(pin_tri) LIMIT 400").all(expr) as {
      words: string;
    }[];
    for (const r of rows) for (const w of new Set(cleanQuery(r.words).tokens)) vocab.set(w, (vocab.get(w) ?? 0) + 1);
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
function emojiTerms(db: Db, e: EmojiNames): string[] {
  const out: string[] = [];
  const hits = (t: string) => {
    const [phrase] = ftsPhrases([t]);
    return (
      !!phrase && db.$client.prepare("SELECT 1 FROM pin_fts WHERE pin_fts MATCH ? LIMIT 1").get(`{title english} : ${phrase}`) !== undefined
    );
  };
  for (const l of LOCALES) {
    const name = normalizeText(e.label[l]);
    if (hits(name)) out.push(name);
  }
  if (out.length) return out;
  for (const l of LOCALES) for (const w of distinctiveWords(e, l)) if (!isFunctionWord(w) && hits(w)) out.push(w);
  return out;
}

const LEXICON_SAMPLE = 5000;

/** How many cards in each language hold all of the query's words in their word or description (of the first 5,000 that do). */
export function lexiconEvidence(db: Db, tokens: string[]): { en: number; es: number } {
  const safe = tokens
    .map((t) => t.replace(/"/g, ""))
    .filter(Boolean)
    .slice(0, 8);
  if (!safe.length) return { en: 0, es: 0 };
  const expr = safe.map((t) => `"${t}"`).join(" AND ");
  // A sample is enough to tell which language holds the words: the first LEXICON_SAMPLE matches.
  const rows = db.$client
    .prepare(
      "SELECT p.lang AS lang, count(*) AS n FROM (SELECT rowid FROM pin_fts WHERE pin_fts MATCH ? LIMIT ?) f JOIN pin p ON p.id = f.rowid GROUP BY p.lang",
    )
    .all(`{title body} : (${expr})`, LEXICON_SAMPLE) as { lang: "en" | "es"; n: number }[];
  const out = { en: 0, es: 0 };
  for (const r of rows) out[r.lang] = r.n;
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
function coOccurringQueries(db: Db, normalized: string): string[] {
  const rows = db.$client
    .prepare(
      // Each other search once, with an EXISTS on the (session_key, created_at) index, rather than
      // every pair of searches of a session: that join grew with the square of one session's
      // repeats of this query (issue 13: 15% of a search page after a few hundred reloads).
      `SELECT o.query AS query, count(DISTINCT o.session_key) AS n FROM search_log o
       WHERE o.session_key IN (SELECT session_key FROM search_log WHERE normalized = @q)
        AND o.normalized <> @q AND o.result_count > 0
        AND EXISTS (SELECT 1 FROM search_log s WHERE s.session_key = o.session_key AND s.normalized = @q
          AND s.created_at BETWEEN o.created_at - 1800000 AND o.created_at + 1800000)
       GROUP BY o.normalized HAVING n >= 2 ORDER BY n DESC LIMIT 12`,
    )
    .all({ q: normalized }) as { query: string; n: number }[];
  return rows
    .filter((r) => {
      const words = suggestionWords(r.query);
      return words !== null && words.every((w) => onPublicCard(db, w));
    })
    .map((r) => r.query)
    .slice(0, 4);
}

/** Whether a word is in the word or description of some card on a public board (suggestions are shown to everyone). */
function onPublicCard(db: Db, word: string): boolean {
  const [phrase] = ftsPhrases([word]);
  if (!phrase) return false;
  return (
    db.$client
      .prepare(
        `SELECT 1 FROM pin_fts f JOIN board_pin bp ON bp.pin_id = f.rowid JOIN board b ON b.id = bp.board_id AND ${rawSql.boardIsPublic("b")}
         WHERE pin_fts MATCH ? LIMIT 1`,
      )
      .get(`{title body} : ${phrase}`) !== undefined
  );
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
export function textCandidates(
  db: Db,
  table: "pin_fts" | "board_fts",
  tokens: string[],
  translated: string[] = [],
  cap = TEXT_MATCHES_MAX,
): Candidate[] {
  const hits = textMatches(db, table, tokens, translated, cap);
  return table === "pin_fts" ? withCategories(db, hits, tokens, translated) : hits;
}

/** Boards (public) whose whole title, function words aside, is one word: a category people made ("Food", "Comida", "El cuerpo"). */
const CATEGORY_BOARDS_MAX = 50;
const singularOf = (w: string) => w.replace(/(es|s)$/u, "");
function categoryBoards(db: Db, words: string[]): number[] {
  const out = new Set<number>();
  const stmt = db.$client.prepare(
    `SELECT f.rowid AS id, f.title AS title FROM board_fts f JOIN board b ON b.id = f.rowid AND ${rawSql.boardIsPublic("b")} WHERE board_fts MATCH ? LIMIT ?`,
  );
  for (const w of new Set(words)) {
    const [phrase] = ftsPhrases([w]);
    if (!phrase || isFunctionWord(w)) continue;
    for (const r of stmt.all(`title : ${phrase}`, CATEGORY_BOARDS_MAX) as { id: number; title: string }[]) {
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
function withCategories(db: Db, hits: Candidate[], tokens: string[], translated: string[]): Candidate[] {
  const content = tokens.filter((t) => !isFunctionWord(t));
  if (!content.length || content.length > 3) return hits;
  const boardsOf = categoryBoards(db, [...content, ...translated]);
  if (!boardsOf.length) return hits;
  // Every content word must name a category (or be the translation of one): "food" yes, "pot of food" no.
  const named = new Set(
    (
      db.$client.prepare("SELECT title FROM board WHERE id IN (SELECT value FROM json_each(?))").all(JSON.stringify(boardsOf)) as {
        title: string;
      }[]
    ).flatMap((r) => cleanQuery(r.title).tokens.map(singularOf)),
  );
  if (!content.every((t) => named.has(singularOf(t)))) return hits;
  const members = db.$client
    .prepare("SELECT DISTINCT pin_id AS id FROM board_pin WHERE board_id IN (SELECT value FROM json_each(?)) LIMIT ?")
    .all(JSON.stringify(boardsOf), PER_GENERATOR) as { id: number }[];
  if (!members.length) return hits;
  const best = hits[0]?.score ?? 1;
  const inCategory = new Set(members.map((m) => m.id));
  const scored = hits.map((h) => ({ id: h.id, score: inCategory.has(h.id) ? Math.max(h.score, best) : h.score * 0.5 }));
  const have = new Set(hits.map((h) => h.id));
  for (const m of members) if (!have.has(m.id)) scored.push({ id: m.id, score: best });
  return asCandidates(scored.sort((a, b) => b.score - a.score).slice(0, PER_GENERATOR));
}

function textMatches(db: Db, table: "pin_fts" | "board_fts", tokens: string[], translated: string[], cap: number): Candidate[] {
  const own = ftsPhrases(tokens);
  if (!own.length) return [];
  const phrases = [
    ...own,
    ...ftsPhrases(translated.filter((t) => !tokens.includes(t)))
      .filter((t) => !own.includes(t))
      .map((t) => `title : ${t}`),
  ];
  const or = (ps: string[]) => ps.join(" OR ");
  // Title counts three times the rest (tuned on Cranfield and CISI; docs/quality.md).
  const weights = table === "pin_fts" ? "3.0, 1.0, 1.0, 1.0" : "3.0, 1.0, 1.0";
  const ranked = (ps: string[]) =>
    (
      db.$client
        .prepare(`SELECT rowid AS id, bm25(${table}, ${weights}) AS s FROM ${table} WHERE ${table} MATCH ? ORDER BY s LIMIT ?`)
        .all(or(ps), PER_GENERATOR) as { id: number; s: number }[]
    ).map((r) => ({
      id: r.id,
      score: -r.s,
    }));
  const countStmt = db.$client.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM ${table} WHERE ${table} MATCH ? LIMIT ?)`);
  const exceeds = (ps: string[]) => (countStmt.get(or(ps), cap + 1) as { n: number }).n > cap;
  if (!exceeds(phrases)) return asCandidates(ranked(phrases));

  const common = phrases.filter((ph) => exceeds([ph]));
  // Several words, none common on its own: BM25 over all of them costs at most cap rows per word.
  if (!common.length) return asCandidates(ranked(phrases));
  const rare = phrases.filter((ph) => !common.includes(ph));
  const hits = rare.length ? ranked(rare) : [];
  const floor = hits.length ? hits[hits.length - 1]!.score : 1;
  const have = new Set(hits.map((h) => h.id));
  const titles = common.map((ph) => (ph.startsWith("title : ") ? ph : `title : ${ph}`));
  const recent = db.$client
    .prepare(`SELECT rowid AS id FROM ${table} WHERE ${table} MATCH ? ORDER BY rowid DESC LIMIT ?`)
    .all(or(titles), PER_GENERATOR) as { id: number }[];
  for (const r of recent) if (hits.length < PER_GENERATOR && !have.has(r.id)) hits.push({ id: r.id, score: floor });
  return asCandidates(hits);
}

/** Above this many trigram matches, BM25 over all of them (~4 µs each) is no longer affordable. */
const FUZZY_MATCHES_MAX = 3000;

export function fuzzyCandidates(db: Db, tokens: string[]): Candidate[] {
  const expr = trigramExpression(tokens);
  if (!expr) return [];
  const matches = (
    db.$client
      .prepare("SELECT count(*) AS n FROM (SELECT 1 FROM pin_tri WHERE pin_tri MATCH ? LIMIT ?)")
      .get(expr, FUZZY_MATCHES_MAX + 1) as { n: number }
  ).n;
  let rows: { id: number; words: string }[];
  if (matches <= FUZZY_MATCHES_MAX) {
    rows = db.$client
      .prepare("SELECT rowid AS id, words FROM pin_tri WHERE pin_tri MATCH ? ORDER BY bm25(pin_tri) LIMIT ?")
      .all(expr, 100) as { id: number; words: string }[];
  } else {
    // A large corpus: only the rows holding one of each word's rarest trigrams can pass the similarity
    // filter below (see rareTrigrams). They are read rarest trigram first (the most telling rows),
    // unranked, FUZZY_MATCHES_MAX rows at most.
    const seen = new Set<number>();
    rows = [];
    const stmt = db.$client.prepare("SELECT rowid AS id, words FROM pin_tri WHERE pin_tri MATCH ? LIMIT ?");
    for (const gram of rareTrigrams(db, tokens)) {
      if (rows.length >= FUZZY_MATCHES_MAX) break;
      for (const r of stmt.all(`"${gram}"`, FUZZY_MATCHES_MAX - rows.length + seen.size) as { id: number; words: string }[]) {
        if (seen.has(r.id) || rows.length >= FUZZY_MATCHES_MAX) continue;
        seen.add(r.id);
        rows.push(r);
      }
    }
  }
  // BM25 over trigrams finds words that share some; keep those that really look alike.
  const similarity = trigramScorer(tokens);
  const scored = rows
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
function rareTrigrams(db: Db, tokens: string[]): string[] {
  const grams: string[] = [];
  for (const t of new Set(tokens)) {
    const own = trigramExpression([t]);
    if (!own) continue;
    const mine = [...own.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
    const keep = mine.length - Math.ceil(0.35 * mine.length) + 1;
    grams.push(...mine.sort((a, b) => trigramDocs(db, a) - trigramDocs(db, b)).slice(0, keep));
  }
  return [...new Set(grams)].sort((a, b) => trigramDocs(db, a) - trigramDocs(db, b));
}

/** How many cards hold a trigram (fts5vocab over pin_tri, a temporary table of this connection), remembered. */
const trigramCounts = new WeakMap<Db, Map<string, number>>();
function trigramDocs(db: Db, gram: string): number {
  let counts = trigramCounts.get(db);
  if (!counts) {
    db.$client.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.pin_tri_vocab USING fts5vocab(main, pin_tri, row)");
    trigramCounts.set(db, (counts = new Map()));
  }
  let n = counts.get(gram);
  if (n === undefined) {
    n =
      (db.$client.prepare("SELECT doc FROM temp.pin_tri_vocab WHERE term = ?").get(normalizeText(gram)) as { doc: number } | undefined)
        ?.doc ?? 0;
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
export function interestCandidates(
  db: Db,
  p: Pipeline,
  table: "pin" | "board",
  q: Pick<QueryUnderstanding, "interests">,
  stats?: { rows: number },
): Candidate[] {
  const wanted = interestSlugsWithDescendants(p, q.interests);
  if (!wanted.size) return [];
  const ids = db
    .select({ id: interests.id, slug: interests.slug })
    .from(interests)
    .where(inArray(interests.slug, [...wanted.keys()]))
    .all();
  const weightOf = new Map(ids.map((r) => [r.id, wanted.get(r.slug)!]));
  const sqlText =
    table === "pin"
      ? "SELECT pin_id AS id, score FROM pin_interest WHERE interest_id = ? ORDER BY score DESC"
      : "SELECT board_id AS id, score FROM board_interest WHERE interest_id = ? ORDER BY score DESC";
  // One open cursor per interest (a statement runs one cursor at a time), merged by score.
  const heads: { interestId: number; it: Iterator<{ id: number; score: number }>; row: { id: number; score: number } }[] = [];
  for (const interestId of weightOf.keys()) {
    const it = db.$client.prepare(sqlText).iterate(interestId) as IterableIterator<{ id: number; score: number }>;
    const first = it.next();
    if (!first.done) heads.push({ interestId, it, row: first.value });
  }
  const best = new Map<number, number>();
  let read = 0;
  try {
    while (heads.length && read < INTEREST_ROWS) {
      let h = 0;
      for (let i = 1; i < heads.length; i++) if (heads[i]!.row.score > heads[h]!.row.score) h = i;
      const head = heads[h]!;
      const r = head.row;
      read++;
      best.set(r.id, Math.max(best.get(r.id) ?? 0, r.score * weightOf.get(head.interestId)!));
      const next = head.it.next();
      if (next.done) heads.splice(h, 1);
      else head.row = next.value;
    }
  } finally {
    for (const head of heads) head.it.return?.();
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
  const translatedTokens = q.translated ? cleanQuery(q.translated).tokens : [];
  const kind = o.kind ?? "all";

  let cards: CardHit[] = [];
  let requestId: string | null = null;
  if (kind !== "boards") {
    const lists: CandidateLists = {};
    if (gens.has("text")) lists.text = textCandidates(db, "pin_fts", tokens, translatedTokens);
    if (gens.has("fuzzy")) lists.fuzzy = fuzzyCandidates(db, q.tokens);
    if (gens.has("vector") && q.vec)
      lists.vector = asCandidates(
        pinIndex(db).search(q.vec, PER_GENERATOR, {
          candidates: vectorCandidates(pinIndex(db).size),
          fetchVectors: (ids) => readVectors(db, "pin_vec", ids),
        }),
      );
    if (gens.has("interest")) lists.interest = interestCandidates(db, p, "pin", q);
    // What the viewer may not see leaves before anything is judged against it: a hidden card titled
    // "apple" must neither push public apples under the relevance floor nor reveal that it exists.
    keepOnly(lists, listedPinIds(db, candidateIds(lists), o.viewer));
    relevanceFloor(db, "pin_fts", lists, q, o.langFilter);
    const fused = (o.fusion === "rrf" ? fuse : fuseScores)(lists, o.weights ?? DEFAULT_WEIGHTS);
    const info = pinInfo(
      db,
      fused.map((f) => f.id),
    );
    // Today's hand fusion gives the candidates' order; the learned ranker (when one is in service)
    // reorders the first RANK_AT_MOST of them from the shared features (discovery/ranking.server.ts).
    const fusedOrder = rank(
      fused.filter((f) => info.has(f.id) && (!o.langFilter || info.get(f.id)!.lang === o.langFilter)),
      (id) => ({ saves: info.get(id)!.saves, langMatch: info.get(id)!.lang === q.lang }),
    );
    const byId = new Map(fusedOrder.map((r) => [r.id, r]));
    const outcome = await rankCandidates(
      db,
      fusedOrder.map((r) => ({ id: r.id, scores: r.scores, fused: r.score })),
      { surface: "search", lang: q.lang, tokens: q.tokens.length, kind: queryKind(q.display, q.tokens, false) },
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
    if (gens.has("text")) lists.text = textCandidates(db, "board_fts", tokens, translatedTokens);
    if (gens.has("vector") && q.vec) lists.vector = boardVectorCandidates(db, q.vec);
    if (gens.has("interest")) lists.interest = interestCandidates(db, p, "board", q);
    // As for cards: boards the viewer may not see leave before the relevance floor looks at the lists.
    const info = boardInfo(db, candidateIds(lists), o.viewer);
    keepOnly(lists, new Set(info.keys()));
    relevanceFloor(db, "board_fts", lists, q, o.langFilter);
    const fused = (o.fusion === "rrf" ? fuse : fuseScores)(lists, o.weights ?? DEFAULT_WEIGHTS);
    const ranked = rank(
      fused.filter((f) => info.has(f.id) && (!o.langFilter || info.get(f.id)!.lang === o.langFilter)),
      (id) => ({ saves: info.get(id)!.saves, langMatch: info.get(id)!.lang === q.lang }),
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
    const borrowed = db
      .select({ slug: interests.slug, score: sql<number>`sum(${pinInterests.score})` })
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
      .limit(3)
      .all();
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
function relevanceFloor(db: Db, table: "pin_fts" | "board_fts", lists: CandidateLists, q: Understood, langFilter?: Locale) {
  const ran = (Object.keys(lists) as Generator[]).filter((g) => lists[g] !== undefined);
  if (ran.length < 2) return;
  // One language asked for: the other language's strong matches are filtered out anyway, and a word's
  // card in that language is often found by its vector alone, below the other language's best.
  if (langFilter) return dropWeakVectorOnly(lists);
  if (q.content.length > FLOOR_MAX_WORDS) return dropWeakVectorOnly(lists);
  const keep = new Set<number>();
  const text = lists.text ?? [];
  // Each language against its own best: a card in the other language is often found by its translated
  // words alone (title only), which score lower than the same-language card's own words.
  const langOf = cardLanguages(
    db,
    table,
    ran.flatMap((g) => lists[g]!.map((c) => c.id)),
  );
  const bestTextIn = new Map<string, number>();
  for (const c of text) bestTextIn.set(langOf.get(c.id) ?? "", Math.max(bestTextIn.get(langOf.get(c.id) ?? "") ?? 0, c.score));
  // One word that is the whole title of cards ("dog", "perro") means those cards: a card that only
  // holds it beside other words ("hot dog") is another thing, and stays only on other evidence.
  const exact =
    table === "pin_fts"
      ? namedCards(db, text.slice(0, 20), [...q.tokens, ...(q.translated ? [normalizeText(q.translated)] : [])])
      : new Set<number>();
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
  for (const c of lists.fuzzy ?? []) if (textIds.has(c.id) || (q.unknown.length && c.score >= 0.5)) keep.add(c.id);
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
function cardLanguages(db: Db, table: "pin_fts" | "board_fts", ids: number[]): Map<number, string> {
  if (!ids.length) return new Map();
  const rows = db.$client
    .prepare(`SELECT id, lang FROM ${table === "pin_fts" ? "pin" : "board"} WHERE id IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify([...new Set(ids)])) as { id: number; lang: string }[];
  return new Map(rows.map((r) => [r.id, r.lang]));
}

/** The best text matches named by the query's words themselves: title = a query term or the whole translation (plural or not). */
function namedCards(db: Db, top: Candidate[], terms: string[]): Set<number> {
  if (!top.length) return new Set();
  const singular = (w: string) => w.replace(/(es|s)$/u, "");
  const wanted = new Set(terms.flatMap((t) => [t, singular(t)]));
  const rows = db.$client
    .prepare("SELECT rowid AS id, title FROM pin_fts WHERE rowid IN (SELECT value FROM json_each(?))")
    .all(JSON.stringify(top.map((c) => c.id))) as { id: number; title: string }[];
  return new Set(
    rows
      .filter((r) => {
        const t = normalizeText(r.title);
        return wanted.has(t) || wanted.has(singular(t));
      })
      .map((r) => r.id),
  );
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
const strip = (q: Understood): QueryUnderstanding => {
  const { vec: _v, english: _e, translated: _t, langSure: _s, needs: _n, unknown: _u, content: _c, namesTopic: _nt, ...rest } = q;
  return rest;
};

function boardVectorCandidates(db: Db, vec: Float32Array): Candidate[] {
  // Boards are few (one per person's topic), so sqlite-vec's exact search is fast enough here.
  const rows = db.$client
    .prepare("SELECT board_id AS id, distance FROM board_vec WHERE embedding MATCH ? AND k = ? ORDER BY distance")
    .all(vec, 100) as { id: number; distance: number }[];
  return asCandidates(rows.map((r) => ({ id: Number(r.id), score: 1 - r.distance })));
}

function pinInfo(db: Db, ids: number[]) {
  if (!ids.length) return new Map();
  const rows = db
    .select({
      id: pins.id,
      title: pins.title,
      lang: pins.lang,
      alt: pins.alt,
      imageKey: pins.imageKey,
      creatorName: users.displayName,
      saves: sql<number>`(select count(*) from board_pin bp where bp.pin_id = "pin"."id") - 1`,
    })
    .from(pins)
    .innerJoin(users, eq(users.id, pins.creatorId))
    .where(inArray(pins.id, ids))
    .all();
  return new Map(rows.map((r) => [r.id, r]));
}

function boardInfo(db: Db, ids: number[], viewer: Pick<User, "id"> | null) {
  if (!ids.length) return new Map<number, Omit<BoardHit, "score" | "sources"> & { saves: number }>();
  const rows = db
    .select(summaryColumns)
    .from(boards)
    .innerJoin(users, eq(users.id, boards.ownerId))
    // Search lists public boards, and the viewer's own whatever their visibility.
    .where(and(inArray(boards.id, ids), boardListedCondition(viewer)))
    .all();
  return new Map(rows.map((r) => [r.id, r]));
}

/** The top interests of a card or board, for the chips on its page. */
export function topInterests(db: Db, kind: "pin" | "board", id: number, lang: Locale, n = 4) {
  const t = kind === "pin" ? pinInterests : boardInterests;
  const idCol = kind === "pin" ? pinInterests.pinId : boardInterests.boardId;
  return db
    .select({ slug: interests.slug, label: lang === "es" ? interests.labelEs : interests.labelEn, score: t.score })
    .from(t)
    .innerJoin(interests, eq(interests.id, t.interestId))
    .where(eq(idCol, id))
    .orderBy(desc(t.score))
    .limit(n)
    .all();
}

/** An interest's page: its label, place in the tree, and its best public boards (its own and its children's). */
export function interestPage(db: Db, p: Pipeline, slug: string, lang: Locale) {
  const node = p.taxonomy.bySlug(slug);
  if (!node) return null;
  const slugs = [slug, ...p.taxonomy.children(slug).map((c) => c.slug)];
  const rows = db
    .select({ ...summaryColumns, score: sql<number>`max(${boardInterests.score})` })
    .from(boardInterests)
    .innerJoin(interests, eq(interests.id, boardInterests.interestId))
    .innerJoin(boards, eq(boards.id, boardInterests.boardId))
    .innerJoin(users, eq(users.id, boards.ownerId))
    .where(and(inArray(interests.slug, slugs), boardIsPublic(), gte(boardInterests.score, 0.1)))
    .groupBy(boards.id)
    .orderBy(desc(sql`max(${boardInterests.score})`), desc(sql`(select count(*) from board_pin bp where bp.board_id = "board"."id")`))
    .limit(24)
    .all();
  return {
    slug,
    label: node.labels[lang],
    ancestors: p.taxonomy.ancestors(slug).map((a) => ({ slug: a.slug, label: a.labels[lang] })),
    children: p.taxonomy.children(slug).map((c) => ({ slug: c.slug, label: c.labels[lang] })),
    boards: rows,
  };
}
