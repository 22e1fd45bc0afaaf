// Offline ranking metrics for search evaluation (nDCG, MRR, recall) over qrels-style judgments.
// Pure module: no I/O, no app/db imports, so it runs the same under vitest, tsx and the app server.
//
// Conventions shared by every metric here (they match trec_eval for the usual cases):
// - `ranked` is a result list, best first. A document id that appears more than once only counts at
//   its first position, so a run cannot earn the same gain twice (nDCG stays ≤ 1, recall ≤ 1).
// - `qrels` maps doc id → graded relevance for ONE query. A document is relevant when its grade is
//   > 0; grades ≤ 0 and unjudged documents are non-relevant and earn no gain.
// - `k` is a cutoff: only the first k (distinct) documents of `ranked` are looked at. It must be a
//   positive integer; anything else throws a RangeError.

/** Relevance judgments for one query: doc id → graded relevance (> 0 means relevant). */
export type QueryJudgments = ReadonlyMap<string, number>;

/** Judgments for a whole collection: query id → (doc id → relevance). */
export type Qrels = ReadonlyMap<string, QueryJudgments>;

/** A retrieval run: query id → ranked doc ids, best first. */
export type Run = ReadonlyMap<string, readonly string[]>;

/** Means of the standard metrics over the evaluated queries (see {@link evaluateRun}). */
export interface EvaluationSummary {
  "ndcg@10": number;
  "mrr@10": number;
  "recall@10": number;
  "recall@100": number;
  /** How many queries the means are taken over. */
  queries: number;
}

export interface EvaluateOptions {
  /**
   * What to do with a query that has relevant judgments but no entry in the run.
   * "zero" (default, like `trec_eval -c`): it is evaluated as an empty ranking and scores 0 on every
   * metric, so a run cannot look better by skipping hard queries. "skip": it is left out of the means.
   */
  missing?: "zero" | "skip";
}

function checkCutoff(k: number): void {
  if (!Number.isInteger(k) || k <= 0) throw new RangeError(`cutoff k must be a positive integer, got ${k}`);
}

/** Gain of a grade: 2^rel − 1 for relevant grades, 0 otherwise (never negative). */
function gain(rel: number): number {
  return rel > 0 ? 2 ** rel - 1 : 0;
}

/** Discount of a 0-based position i: log2(i + 2), i.e. 1 for the first result, log2(3) for the second… */
function discount(i: number): number {
  return Math.log2(i + 2);
}

/** The first k distinct ids of `ranked`, in order. */
function topK(ranked: readonly string[], k: number): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const id of ranked) {
    if (out.length >= k) break;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(id);
  }
  return out;
}

/** Number of relevant (grade > 0) documents in the judgments. */
function relevantCount(qrels: QueryJudgments): number {
  let n = 0;
  for (const rel of qrels.values()) if (rel > 0) n++;
  return n;
}

/**
 * Normalised discounted cumulative gain at cutoff k, with graded gains.
 *
 * DCG@k = Σ_{i=1..k} (2^rel_i − 1) / log2(i + 1), where rel_i is the grade of the document at rank i
 * (0 when unjudged). The ideal DCG sorts all judged grades of this query in decreasing order and
 * applies the same formula to the best k of them, whether or not the run retrieved those documents.
 * Returns DCG / IDCG in [0, 1], and 0 when the query has no relevant document (IDCG = 0).
 */
export function ndcgAt(ranked: readonly string[], qrels: QueryJudgments, k: number): number {
  checkCutoff(k);
  const ideal = [...qrels.values()]
    .filter((rel) => rel > 0)
    .sort((a, b) => b - a)
    .slice(0, k);
  let idcg = 0;
  ideal.forEach((rel, i) => (idcg += gain(rel) / discount(i)));
  if (idcg === 0) return 0;
  let dcg = 0;
  topK(ranked, k).forEach((id, i) => (dcg += gain(qrels.get(id) ?? 0) / discount(i)));
  return dcg / idcg;
}

/**
 * Reciprocal rank at cutoff k: 1 / rank of the first relevant (grade > 0) document among the top k,
 * or 0 when none of them is relevant. Averaged over queries this is MRR@k.
 */
export function mrrAt(ranked: readonly string[], qrels: QueryJudgments, k: number): number {
  checkCutoff(k);
  const top = topK(ranked, k);
  for (let i = 0; i < top.length; i++) {
    if ((qrels.get(top[i]!) ?? 0) > 0) return 1 / (i + 1);
  }
  return 0;
}

/**
 * Recall at cutoff k: the share of this query's relevant (grade > 0) documents that appear among the
 * top k results. Returns 0 when the query has no relevant document.
 */
export function recallAt(ranked: readonly string[], qrels: QueryJudgments, k: number): number {
  checkCutoff(k);
  const total = relevantCount(qrels);
  if (total === 0) return 0;
  let found = 0;
  for (const id of topK(ranked, k)) if ((qrels.get(id) ?? 0) > 0) found++;
  return found / total;
}

/**
 * Evaluates a whole run against the judgments: the arithmetic mean of nDCG@10, MRR@10, recall@10
 * and recall@100 over the queries that have at least one relevant (grade > 0) judgment.
 *
 * - Queries without any relevant judgment are left out (their metrics are undefined, not 0).
 * - Run entries for queries absent from `qrels` are ignored.
 * - Judged queries missing from the run score 0 unless `opts.missing` is "skip".
 * When no query is evaluated, every mean is 0 and `queries` is 0.
 */
export function evaluateRun(run: Run, qrels: Qrels, opts: EvaluateOptions = {}): EvaluationSummary {
  const missing = opts.missing ?? "zero";
  const sums = { ndcg10: 0, mrr10: 0, recall10: 0, recall100: 0 };
  let queries = 0;
  for (const [queryId, judgments] of qrels) {
    if (relevantCount(judgments) === 0) continue;
    const ranked = run.get(queryId);
    if (ranked === undefined && missing === "skip") continue;
    const list = ranked ?? [];
    sums.ndcg10 += ndcgAt(list, judgments, 10);
    sums.mrr10 += mrrAt(list, judgments, 10);
    sums.recall10 += recallAt(list, judgments, 10);
    sums.recall100 += recallAt(list, judgments, 100);
    queries++;
  }
  const mean = (sum: number) => (queries === 0 ? 0 : sum / queries);
  return {
    "ndcg@10": mean(sums.ndcg10),
    "mrr@10": mean(sums.mrr10),
    "recall@10": mean(sums.recall10),
    "recall@100": mean(sums.recall100),
    queries,
  };
}
