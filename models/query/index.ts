import { normalizeText, type InterestNode, type Locale, type Taxonomy } from "../taxonomy/index";
import { hasArabic, normalizeArabic } from "../lang/arabic";
import { STOPWORDS as OTHER_STOPWORDS } from "../lang/stopwords";

const ARABIC_STOPWORDS = OTHER_STOPWORDS.ar;

export const MAX_QUERY_CHARS = 1000;

const STOPWORDS = new Set(
  (
    "a an the of for and or to in on at by with from is are was be do does did how what who you your i my me we it this that " +
    "de la el los las un una unos unas y o u en con por para del al que como es son se su sus mi tu yo " +
    // Words for the medium itself match every card ("Text card: …", "Dibujo: …") and say nothing.
    "card cards flashcard flashcards picture pictures drawing tarjeta tarjetas dibujo imagen imagenes"
  ).split(" "),
);

/** What the search stages need to know about a query; made once per request. */
export type QueryUnderstanding = {
  raw: string;
  /** Trimmed, whitespace collapsed, cut to MAX_QUERY_CHARS: what is shown and logged. */
  display: string;
  /** Lower-case without diacritics: what is matched and grouped. */
  normalized: string;
  lang: Locale;
  tokens: string[];
  interests: { slug: string; score: number }[];
  expansions: string[];
  /** The query with misspelt words corrected from the cards' vocabulary, when any was ("Showing results for …"). */
  corrected?: string;
};

/**
 * A function word of English or Spanish, or of Arabic (matches nearly every text, says nothing). Arabic
 * script meets no English word; French and German function words stay out, as they are English words
 * too ("hat", "man", "pain").
 */
export const isStopword = (w: string) => STOPWORDS.has(w) || (hasArabic(w) && ARABIC_STOPWORDS.has(normalizeArabic(w)));

export function cleanQuery(raw: string): { display: string; normalized: string; tokens: string[] } {
  const display = raw.replace(/\s+/g, " ").trim().slice(0, MAX_QUERY_CHARS).trim();
  const normalized = normalizeText(display);
  const tokens = normalized.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return { display, normalized, tokens };
}

/**
 * The words a searched phrase must show on public cards before it may be offered to other people as a
 * related search, or null when its shape alone rules it out. Someone else's search is only worth
 * showing (and only safe to show) as a short phrase of ordinary words: at most 4 words and 40
 * characters, no digits (phone numbers, codes), no links or addresses. Function words need no
 * evidence; a phrase of nothing else is not offered.
 */
export function suggestionWords(text: string): string[] | null {
  const { display, tokens } = cleanQuery(text);
  if (!tokens.length || display.length > 40 || tokens.length > 4) return null;
  if (/[\p{N}@/\\:]|www\./iu.test(display)) return null;
  const content = [...new Set(tokens.filter((t) => !isStopword(t)))];
  return content.length ? content : null;
}

/**
 * An FTS5 MATCH expression from plain words: every token quoted (so `"`, `*`, `NEAR`, `-` and `:` are
 * text, never syntax) and OR-ed, BM25 then rewards documents that hold more of them.
 */
export function ftsExpression(tokens: string[]): string | null {
  const phrases = ftsPhrases(tokens);
  return phrases.length ? phrases.join(" OR ") : null;
}

/** The quoted phrases ftsExpression OR-s together: one per distinct token, function words dropped. */
export function ftsPhrases(tokens: string[]): string[] {
  const unique = [...new Set(tokens.map((t) => t.replace(/"/g, "")).filter(Boolean))];
  // Function words match nearly every text; drop them unless nothing else is left.
  const content = unique.filter((t) => !isStopword(t));
  return (content.length ? content : unique).slice(0, 64).map((t) => `"${t}"`);
}

/**
 * Up to 8 related searches for the query's strongest interests, in the searcher's language: related
 * topics whose label shares a word with the query first ("aphasia" → "aphasia exercises"), then the
 * broader topic, a few narrower ones and the neighbours. Queries that people searched together with
 * this one (coQueries) come before all of them.
 */
export function expandQuery(
  taxonomy: Taxonomy,
  q: { normalized: string; tokens: string[]; lang: Locale; interests: { slug: string; score: number }[] },
  coQueries: string[] = [],
  max = 8,
): string[] {
  const out: string[] = [];
  const seen = new Set([q.normalized]);
  const push = (s: string) => {
    const key = normalizeText(s);
    if (!key || seen.has(key) || out.length >= max) return;
    seen.add(key);
    out.push(s);
  };
  coQueries.forEach(push);
  const label = (n: InterestNode) => n.labels[q.lang];
  const scored = new Map<string, number>();
  const add = (n: InterestNode | undefined, s: number) => n && scored.set(n.slug, Math.max(scored.get(n.slug) ?? 0, s));
  const words = new Set(q.tokens.filter((t) => !isStopword(t)));
  const shares = (n: InterestNode) => {
    const lw = normalizeText(label(n)).split(/[^\p{L}\p{N}]+/u);
    return lw.length > 1 && lw.some((w) => words.has(w));
  };
  // Only interests close to the strongest one: the chips should not wander off into weak guesses.
  const top = q.interests[0]?.score ?? 0;
  for (const { slug, score } of q.interests.filter((i) => i.score >= 0.85 * top).slice(0, 3)) {
    const node = taxonomy.bySlug(slug);
    if (!node) continue;
    add(node, 0.5 * score); // the interest itself, when its label is not just the query
    add(taxonomy.parent(slug), 3.5 * score); // "aphasia" → "speech therapy"
    // A top-level topic's siblings are the other top-level topics: too far apart to suggest.
    if (node.parent) taxonomy.siblings(slug).forEach((c) => add(c, (shares(c) ? 4.5 : 1.5) * score));
    // A few narrower topics, not all of them: the chips should show breadth.
    taxonomy
      .children(slug)
      .slice(0, node.parent ? 3 : 8)
      .forEach((c) => add(c, (shares(c) ? 4 : 1) * score));
  }
  // Labels elsewhere in the tree that refine the query ("aphasia awareness") read as refinements too.
  if (q.interests.length) for (const n of taxonomy.all()) if (shares(n)) add(n, 3);
  [...scored].sort((a, b) => b[1] - a[1]).forEach(([slug]) => push(label(taxonomy.bySlug(slug)!)));
  return out;
}

/**
 * An FTS5 trigram MATCH expression for short queries: every trigram of every word, OR-ed, so BM25
 * ranks words by how many trigrams they share with the query (a cheap similar-spelling score).
 * Long queries get none: their words are many and plain text match serves them better.
 */
export function trigramExpression(tokens: string[], maxWords = 3): string | null {
  const words = [...new Set(tokens)].filter((t) => t.length >= 4 && !isStopword(t));
  if (!words.length || words.length > maxWords) return null;
  const grams = new Set<string>();
  for (const w of words) for (let i = 0; i + 3 <= w.length; i++) grams.add(w.slice(i, i + 3).replace(/"/g, ""));
  return [...grams].map((g) => `"${g}"`).join(" OR ") || null;
}

const trigrams = (w: string) => {
  const g = new Set<string>();
  for (let i = 0; i + 3 <= w.length; i++) g.add(w.slice(i, i + 3));
  return g;
};

/**
 * bestTrigramSimilarity of any of the query's words, for many texts: each distinct text word is scored
 * once (cards share most of their words, and a large corpus hands over thousands of texts per query).
 */
export function trigramScorer(words: string[]): (text: string) => number {
  const query = words.map((w) => trigrams(normalizeText(w))).filter((a) => a.size);
  const byWord = new Map<string, number>();
  const score = (w: string) => {
    let s = byWord.get(w);
    if (s === undefined) {
      const b = trigrams(w);
      s = 0;
      if (b.size) {
        for (const a of query) {
          let inter = 0;
          for (const g of a) if (b.has(g)) inter++;
          s = Math.max(s, inter / (a.size + b.size - inter));
        }
      }
      byWord.set(w, s);
    }
    return s;
  };
  const byText = new Map<string, number>(); // and many cards share all of their words
  return (text) => {
    let best = byText.get(text);
    if (best === undefined) {
      best = 0;
      for (const w of normalizeText(text).split(/[^\p{L}\p{N}]+/u)) best = Math.max(best, score(w));
      byText.set(text, best);
    }
    return best;
  };
}

/** The best Jaccard similarity of trigram sets between a query word and any word of `text`. */
export function bestTrigramSimilarity(word: string, text: string): number {
  const a = trigrams(normalizeText(word));
  if (!a.size) return 0;
  let best = 0;
  for (const w of normalizeText(text).split(/[^\p{L}\p{N}]+/u)) {
    const b = trigrams(w);
    if (!b.size) continue;
    let inter = 0;
    for (const g of a) if (b.has(g)) inter++;
    best = Math.max(best, inter / (a.size + b.size - inter));
  }
  return best;
}
