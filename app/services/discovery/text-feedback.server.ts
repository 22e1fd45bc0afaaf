// The pseudo-relevance feedback feature for search (models/rank/feedback.ts): the text candidates'
// words and the expansion terms' document frequencies, read from pin_fts on either engine.
import { sql } from "drizzle-orm";
import type { Candidate } from "../../../models/rank/index";
import { FEEDBACK_DOCS, feedbackScores, relevanceModel, type FeedbackDoc } from "../../../models/rank/feedback";
import type { Db } from "../db.server";
import { first, rows } from "../data/raw.server";
import { dialectOf } from "../data/dialect.server";
import { inIds } from "../data/id-list.server";
import { tableSize, tsMatch } from "../pg/text-match.server";

/** Document frequencies are counted up to this (a word on more cards is common: its idf is near 0 anyway). */
const DF_CAP = 5000;

/**
 * Each text candidate's score for the relevance model of the best FEEDBACK_DOCS text matches (empty
 * when there are fewer than two candidates: nothing to feed back, nothing to reorder).
 */
export async function textFeedback(db: Db, text: readonly Candidate[]): Promise<Map<number, number>> {
  if (text.length < 2) return new Map();
  const pg = dialectOf(db) === "pg";
  const ids = text.map((c) => c.id);
  const key = sql.raw(pg ? "pin_id" : "rowid");
  const docs = await rows<FeedbackDoc>(db, sql`SELECT ${key} AS id, title, body FROM pin_fts WHERE ${inIds(db, sql`${key}`, ids)}`);
  const byId = new Map(docs.map((d) => [Number(d.id), { ...d, id: Number(d.id) }]));
  const best = [...text]
    .sort((a, b) => b.score - a.score)
    .slice(0, FEEDBACK_DOCS)
    .flatMap((c) => (byId.has(c.id) ? [{ doc: byId.get(c.id)!, score: c.score }] : []));
  const model = relevanceModel(best);
  if (!model.length) return new Map();
  const df = new Map<string, number>();
  for (const { term } of model) {
    const n = pg
      ? await first<{ n: number }>(
          db,
          sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM pin_fts f WHERE ${tsMatch("f", term)} LIMIT ${DF_CAP}) m`,
        )
      : await first<{ n: number }>(
          db,
          sql`SELECT count(*) AS n FROM (SELECT 1 FROM pin_fts WHERE pin_fts MATCH ${`"${term}"`} LIMIT ${DF_CAP})`,
        );
    df.set(term, Number(n?.n ?? 0));
  }
  const size = pg
    ? await tableSize(db, "pin_fts")
    : Number((await first<{ n: number }>(db, sql`SELECT rowid AS n FROM pin_fts ORDER BY rowid DESC LIMIT 1`))?.n ?? 0);
  return feedbackScores(model, [...byId.values()], df, Math.max(size, docs.length));
}
