/**
 * Text search candidates on PostgreSQL: the pin_fts / board_fts tables of db/pg/migrations/0001, whose
 * generated tsvectors hold each text stemmed in each content language (tsv_en … tsv_ar). Same inputs
 * and output as textCandidates / fuzzyCandidates in search.server.ts (the SQLite versions), so the
 * fusion that follows does not know which engine answered.
 */
import type pg from "pg";
import { isStopword, trigramScorer } from "../../../models/query/index";
import type { Candidate } from "../../../models/rank/index";
import { LOCALES } from "../../../db/enums";

const PER_GENERATOR = 200;
type Queryable = Pick<pg.Pool, "query">;

/** The words of a token (letters and digits only: nothing that to_tsquery reads as syntax). */
const words = (t: string) => t.split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/**
 * A to_tsquery text: the query's own words OR-ed; its translation's words only in titles (`:A`), as
 * SQLite does with `title : "…"`. Function words are dropped unless nothing else is left (ftsPhrases).
 */
export function tsQueryText(tokens: string[], translated: string[] = []): string | null {
  const pick = (ts: string[]) => {
    const unique = [...new Set(ts.flatMap(words))];
    const content = unique.filter((w) => !isStopword(w));
    return (content.length ? content : unique).slice(0, 64);
  };
  const own = pick(tokens);
  if (!own.length) return null;
  const extra = pick(translated.filter((t) => !tokens.includes(t))).filter((w) => !own.includes(w));
  return [...own, ...extra.map((w) => `${w}:A`)].join(" | ");
}

const KEY = { pin_fts: "pin_id", board_fts: "board_id" } as const;

/**
 * Cards (or boards) matching in any language, by ts_rank_cd (title weighs A, the rest B), the best
 * of the five readings. Not ported from SQLite yet: the category boards
 * (withCategories) and the cap that keeps very common words out of the ranking on a large corpus.
 * The app's search now uses textMatchesPg (text-match.server.ts), which has both and weighs each word
 * by its rarity; this one stays as the plain ranking tests/pg/search.test.ts checks.
 */
export async function textCandidatesPg(
  db: Queryable,
  table: "pin_fts" | "board_fts",
  tokens: string[],
  translated: string[] = [],
  limit = PER_GENERATOR,
): Promise<Candidate[]> {
  const q = tsQueryText(tokens, translated);
  if (!q) return [];
  const key = KEY[table];
  const rank = LOCALES.map((l) => `ts_rank_cd(tsv_${l}, to_tsquery('tablero_${l}', $1))`).join(", ");
  const match = LOCALES.map((l) => `tsv_${l} @@ to_tsquery('tablero_${l}', $1)`).join(" OR ");
  const { rows } = await db.query<{ id: number; s: number }>(
    `SELECT ${key} AS id, greatest(${rank}) AS s
       FROM ${table}
      WHERE ${match}
      ORDER BY s DESC, ${key} DESC
      LIMIT $2`,
    [q, limit],
  );
  return rows.map((r, i) => ({ id: r.id, score: r.s, rank: i + 1 }));
}

/** Rows pg_trgm hands over before the exact trigram score below decides (SQLite reads 100 by BM25). */
const FUZZY_ROWS = 400;

/**
 * Cards whose word looks like a query word ("sandwitch" → "sandwich"): pg_trgm's word_similarity
 * over the GIN trigram index (`<%`, threshold lowered in this transaction only) finds the rows, then
 * the same trigram Jaccard as on SQLite (≥ 0.35) keeps and orders them, so both engines agree.
 * Like trigramExpression: only for 1–3 words of at least 4 letters.
 */
export async function fuzzyCandidatesPg(pool: pg.Pool, tokens: string[]): Promise<Candidate[]> {
  const ws = [...new Set(tokens)].filter((t) => t.length >= 4 && !isStopword(t));
  if (!ws.length || ws.length > 3) return [];
  const client = await pool.connect();
  let rows: { id: number; words: string }[];
  try {
    await client.query("BEGIN READ ONLY");
    await client.query("SET LOCAL pg_trgm.word_similarity_threshold = 0.3");
    // One `%>` per word (not `= ANY`), so each can use the trigram index.
    const anyWord = ws.map((_, i) => `tablero_fold(words) %> tablero_fold($${i + 2})`).join(" OR ");
    rows = (
      await client.query<{ id: number; words: string }>(`SELECT pin_id AS id, words FROM pin_tri WHERE ${anyWord} LIMIT $1`, [
        FUZZY_ROWS,
        ...ws,
      ])
    ).rows;
    await client.query("COMMIT");
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    client.release();
  }
  const similarity = trigramScorer(ws);
  return rows
    .map((r) => ({ id: r.id, score: similarity(r.words) }))
    .filter((r) => r.score >= 0.35)
    .sort((a, b) => b.score - a.score || a.id - b.id)
    .slice(0, 50)
    .map((r, i) => ({ ...r, rank: i + 1 }));
}

/**
 * The word texts (pin_tri.words) of the cards holding a word that looks like `word`, most alike
 * first, at most `limit`: the vocabulary spelling correction chooses from (SQLite reads the cards
 * sharing the word's trigrams, by BM25). Same lowered threshold as fuzzyCandidatesPg.
 */
export async function similarWordsPg(pool: pg.Pool, word: string, limit: number): Promise<string[]> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN READ ONLY");
    await client.query("SET LOCAL pg_trgm.word_similarity_threshold = 0.3");
    const { rows } = await client.query<{ words: string }>(
      `SELECT words FROM pin_tri WHERE tablero_fold(words) %> tablero_fold($1)
        ORDER BY word_similarity(tablero_fold($1), tablero_fold(words)) DESC, pin_id LIMIT $2`,
      [word, limit],
    );
    await client.query("COMMIT");
    return rows.map((r) => r.words);
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}
