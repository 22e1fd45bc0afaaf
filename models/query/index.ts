import { normalizeText, type InterestNode, type Locale, type Taxonomy } from "../taxonomy/index";

export const MAX_QUERY_CHARS = 1000;

const STOPWORDS = new Set(
  ("a an the of for and or to in on at by with from is are was be do does did how what who you your i my me we it this that " +
    "de la el los las un una unos unas y o u en con por para del al que como es son se su sus mi tu yo")
    .split(" "),
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
};

export function cleanQuery(raw: string): { display: string; normalized: string; tokens: string[] } {
  const display = raw.replace(/\s+/g, " ").trim().slice(0, MAX_QUERY_CHARS).trim();
  const normalized = normalizeText(display);
  const tokens = normalized.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return { display, normalized, tokens };
}

/**
 * An FTS5 MATCH expression from plain words: every token quoted (so `"`, `*`, `NEAR`, `-` and `:` are
 * text, never syntax) and OR-ed, BM25 then rewards documents that hold more of them.
 */
export function ftsExpression(tokens: string[]): string | null {
  const unique = [...new Set(tokens.map((t) => t.replace(/"/g, "")).filter(Boolean))];
  // Function words match nearly every text; drop them unless nothing else is left.
  const content = unique.filter((t) => !STOPWORDS.has(t));
  const safe = (content.length ? content : unique).slice(0, 64);
  return safe.length ? safe.map((t) => `"${t}"`).join(" OR ") : null;
}

/**
 * 4–8 related searches for the query's strongest interests: interests whose label shares a word with
 * the query first ("aphasia" → "aphasia exercises"), then the parent, children and siblings, in the
 * searcher's language; queries that people searched together with this one come before all of them.
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
  const words = new Set(q.tokens);
  for (const { slug, score } of q.interests.slice(0, 3)) {
    const node = taxonomy.bySlug(slug);
    if (!node) continue;
    add(node, 0.5 * score); // the interest itself, when its label is not just the query
    add(taxonomy.parent(slug), 1.5 * score);
    taxonomy.children(slug).forEach((c) => add(c, 2 * score));
    taxonomy.siblings(slug).forEach((c) => add(c, 1 * score));
  }
  // Labels that share a word with the query ("aphasia exercises", "bilingual aphasia") read as refinements.
  for (const n of taxonomy.all()) {
    const lw = normalizeText(label(n)).split(/[^\p{L}\p{N}]+/u);
    if (lw.some((w) => words.has(w)) && lw.length > 1) add(n, 3 + (scored.get(n.slug) ?? 0));
  }
  [...scored]
    .sort((a, b) => b[1] - a[1])
    .forEach(([slug]) => push(label(taxonomy.bySlug(slug)!)));
  return out;
}

/**
 * An FTS5 trigram MATCH expression for short queries: every trigram of every word, OR-ed, so BM25
 * ranks words by how many trigrams they share with the query (a cheap similar-spelling score).
 * Long queries get none: their words are many and plain text match serves them better.
 */
export function trigramExpression(tokens: string[], maxWords = 3): string | null {
  const words = [...new Set(tokens)].filter((t) => t.length >= 4 && !STOPWORDS.has(t));
  if (!words.length || words.length > maxWords) return null;
  const grams = new Set<string>();
  for (const w of words) for (let i = 0; i + 3 <= w.length; i++) grams.add(w.slice(i, i + 3).replace(/"/g, ""));
  return [...grams].map((g) => `"${g}"`).join(" OR ") || null;
}
