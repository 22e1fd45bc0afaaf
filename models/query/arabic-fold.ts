// Arabic text as the full-text indexes should hold it. SQLite's FTS5 tokenizer (unicode61) treats the
// optional short-vowel marks as separators ("خُبْز" would index as "خ", "ب", "ز") and folds no Arabic
// letter, while a query goes through normalizeText, which drops every mark after NFD (so "أرز" is
// searched as "ارز"). Indexing the same folded form makes the two meet; the article-less form of each
// word ("الخبز" → "خبز") is indexed too, so a search for the bare word finds it. Pure.

const ARABIC_LETTER = /\p{Script=Arabic}/u;
const TATWEEL = /\u0640/g;
/** Marks (harakat, shadda, hamza above/below after NFD) in an Arabic-script word. */
const MARKS = /\p{M}/gu;

/** The text with its Arabic words folded as normalizeText folds a query: NFD, no marks, no tatweel. */
export function foldArabic(text: string): string {
  if (!ARABIC_LETTER.test(text)) return text;
  return text.replace(/[\p{Script=Arabic}\p{M}\u0640]+/gu, (w) =>
    w.normalize("NFD").replace(MARKS, "").replace(TATWEEL, "").normalize("NFC"),
  );
}

/** Prefixes that carry the article: al-, and al- after "and", "with/by", "so", "like"; li-l ("for the"). */
const ARTICLE = /^(?:[وفبك]?ال|لل)/u;

/** The folded Arabic words of a text that carry the article, without it (at least 3 letters left), each once. */
export function arabicWithoutArticle(text: string): string[] {
  if (!ARABIC_LETTER.test(text)) return [];
  const out = new Set<string>();
  for (const w of foldArabic(text).split(/[^\p{L}\p{N}]+/u)) {
    const m = w.match(ARTICLE);
    if (m && [...w].length - m[0].length >= 3) out.add(w.slice(m[0].length));
  }
  return [...out];
}
