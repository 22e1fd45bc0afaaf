// Pseudo-relevance feedback (RM3's relevance model, Lavrenko & Croft 2001; Anserini's defaults): the
// best text matches of a query say which other words its relevant cards tend to hold ("slip flow" →
// rarefied, knudsen, gas), and every text candidate is scored by those words. A feature of the ranker,
// not a generator of its own: it reorders what text match found, and the learned ranker weighs it
// against BM25 from engagement (issue 11). Pure: texts, scores and document frequencies in.

/** Feedback documents and expansion terms: Anserini's RM3 defaults (fbDocs 10, fbTerms 10), not tuned here. */
export const FEEDBACK_DOCS = 10;
export const FEEDBACK_TERMS = 10;
/** A title word counts this many times, as in the text stage's BM25 column weights. */
const TITLE_WEIGHT = 3;
const K1 = 1.2;
const B = 0.75;

const STOP = new Set(
  (
    "a an the of and or to in on at by for with from is are was were be been being it its this that these those as i you he she we " +
    "they me my your his her our their what which who whom how when where why do does did done can could would should will shall may " +
    "might must not no nor but if then than so such there here has have had having into onto upon over under about above below " +
    "between through during before after again further once all any both each few more most other some own same too very just also " +
    "only well et al de la le les el los las der die das und"
  ).split(" "),
);

/** A text's terms for feedback: lower-case words without function words, a final plural "s" dropped. */
export function feedbackTerms(text: string): string[] {
  const out: string[] = [];
  for (const raw of text
    .normalize("NFC")
    .toLowerCase()
    .match(/[\p{L}\p{M}\p{N}]+/gu) ?? []) {
    if (raw.length < 2 || STOP.has(raw) || /^\d+$/.test(raw)) continue;
    out.push(raw.length > 3 && raw.endsWith("s") && !raw.endsWith("ss") ? raw.slice(0, -1) : raw);
  }
  return out;
}

export type FeedbackDoc = { id: number; title: string; body: string };

/** A document's term counts, title words counted TITLE_WEIGHT times, and its length in those counts. */
function bag(d: FeedbackDoc): { tf: Map<string, number>; len: number } {
  const tf = new Map<string, number>();
  for (const w of feedbackTerms(d.title)) tf.set(w, (tf.get(w) ?? 0) + TITLE_WEIGHT);
  for (const w of feedbackTerms(d.body)) tf.set(w, (tf.get(w) ?? 0) + 1);
  let len = 0;
  for (const v of tf.values()) len += v;
  return { tf, len };
}

/**
 * The relevance model: P(w|R) ∝ Σ_d P(d|q)·P(w|d) over the feedback documents, P(d|q) their text scores
 * normalised to sum 1, P(w|d) the term's share of the document; the `terms` heaviest, weights summing to 1.
 */
export function relevanceModel(
  feedback: readonly { doc: FeedbackDoc; score: number }[],
  terms = FEEDBACK_TERMS,
): { term: string; weight: number }[] {
  const total = feedback.reduce((s, f) => s + Math.max(0, f.score), 0);
  if (!(total > 0)) return [];
  const model = new Map<string, number>();
  for (const f of feedback) {
    const { tf, len } = bag(f.doc);
    if (!len) continue;
    const pd = Math.max(0, f.score) / total;
    for (const [w, n] of tf) model.set(w, (model.get(w) ?? 0) + (pd * n) / len);
  }
  const best = [...model.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, terms);
  const z = best.reduce((s, [, v]) => s + v, 0);
  return z > 0 ? best.map(([term, v]) => ({ term, weight: v / z })) : [];
}

/**
 * Each candidate's BM25 score for the weighted expansion terms (k1 1.2, b 0.75; lengths against the
 * candidates' mean). `df(term)` is the term's document frequency in a collection of `n` documents.
 */
export function feedbackScores(
  model: readonly { term: string; weight: number }[],
  candidates: readonly FeedbackDoc[],
  df: ReadonlyMap<string, number>,
  n: number,
): Map<number, number> {
  const out = new Map<number, number>();
  if (!model.length || !candidates.length) return out;
  const bags = candidates.map(bag);
  const avg = bags.reduce((s, b) => s + b.len, 0) / bags.length || 1;
  const idf = model.map(({ term }) => {
    const d = Math.min(df.get(term) ?? 0, n);
    return Math.log(1 + (n - d + 0.5) / (d + 0.5));
  });
  candidates.forEach((c, i) => {
    const { tf, len } = bags[i]!;
    let s = 0;
    model.forEach(({ term, weight }, j) => {
      const f = tf.get(term);
      if (f) s += (weight * idf[j]! * f * (K1 + 1)) / (f + K1 * (1 - B + (B * len) / avg));
    });
    out.set(c.id, s);
  });
  return out;
}
