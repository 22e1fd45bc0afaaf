/**
 * FTS5's MATCH expressions said in PostgreSQL, as drizzle SQL fragments, for the searches that ask
 * pin_fts / board_fts (db/pg/migrations/0001) something else than "rank these words": a phrase in the
 * titles (`title : "…"`), a word in some columns only (`{title body} : "…"`), all of several words.
 * Each text has a reading in each content language (tsv_en, tsv_es, tsv_fr, tsv_de, tsv_ar: its
 * stemmer's), and a row matches when any does.
 * Title-only is weight A of the generated vectors; other column sets are read from the row's text
 * itself (to_tsvector on the fly), after the indexed vectors have picked the rows.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db.server";
import { first, rows } from "../data/raw.server";
import { LOCALES, type Locale } from "../../../db/enums";

/** A phrase (one word or several in a row) and whether it must be in the title. */
export type Phrase = { words: string[]; title?: boolean };

/** The words of a text: letters and digits only, nothing that to_tsquery reads as syntax. */
export const tsWords = (t: string): string[] => t.split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/** An FTS5 phrase (`"red apple"`, quotes optional) as a Phrase; null when it has no word. */
export function phraseOf(text: string, title = false): Phrase | null {
  const words = tsWords(text);
  return words.length ? { words, title } : null;
}

/** to_tsquery text for one phrase: `red <-> apple`, or `red:A <-> apple:A` in titles. */
const one = (p: Phrase) => p.words.map((w) => (p.title ? `${w}:A` : w)).join(" <-> ");

/** to_tsquery text for phrases, OR-ed (`|`) or AND-ed (`&`); null when there is none. */
export function tsQuery(phrases: (Phrase | null)[], op: "|" | "&" = "|"): string | null {
  const ps = phrases.filter((p): p is Phrase => !!p && p.words.length > 0);
  return ps.length ? ps.map((p) => `(${one(p)})`).join(` ${op} `) : null;
}

const col = (alias: string, c: string) => sql.raw(`${alias}.${c}`);
/** The text search configuration of each content language (db/pg/migrations 0001 and 0006). */
const config = (l: Locale) => sql.raw(`'tablero_${l}'`);

/** `alias` (pin_fts or board_fts) matches the query in any content language. */
export function tsMatch(alias: string, q: string): SQL {
  const any = LOCALES.map((l) => sql`${col(alias, `tsv_${l}`)} @@ to_tsquery(${config(l)}, ${q})`);
  return sql`(${sql.join(any, sql` OR `)})`;
}

/** As tsMatch, but only in these text columns of the row (FTS5's `{title body} : …`). */
export function tsMatchIn(alias: string, q: string, columns: string[]): SQL {
  const text = sql.raw(columns.map((c) => `${alias}.${c}`).join(" || ' ' || "));
  const any = LOCALES.map((l) => sql`to_tsvector(${config(l)}, ${text}) @@ to_tsquery(${config(l)}, ${q})`);
  return sql`(${tsMatch(alias, q)} AND (${sql.join(any, sql` OR `)}))`;
}

/**
 * A row's rank for a query, the best of its readings. The weights make a title (A) count three
 * times the rest (B), as the SQLite ranking's bm25 column weights do; normalisation 1 divides by
 * 1 + log(length), so a short title that is the word outranks a long text that mentions it.
 */
export function tsRank(alias: string, q: string): SQL {
  const w = sql.raw(`'{0.1, 0.2, 0.3333, 1.0}'::float4[]`);
  const each = LOCALES.map((l) => sql`ts_rank_cd(${w}, ${col(alias, `tsv_${l}`)}, to_tsquery(${config(l)}, ${q}), 1)`);
  return sql`greatest(${sql.join(each, sql`, `)})`;
}

/** Rows of the table: the planner's estimate once the table is large (count(*) reads it all), else exact. */
export async function tableSize(db: Db, table: "pin_fts" | "board_fts"): Promise<number> {
  const est = (await first<{ n: number }>(db, sql`SELECT reltuples::float8 AS n FROM pg_class WHERE oid = ${table}::regclass`))?.n ?? -1;
  if (est >= 100_000) return est;
  return (await first<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM ${sql.raw(table)}`))?.n ?? 0;
}

/**
 * textMatches (search.server.ts) on PostgreSQL, with the same cap: the phrases matching more than
 * `cap` rows each leave the ranking, and their title matches follow the ranked rows, newest first.
 * The ranking is BM25's shape without term frequencies: each phrase weighs its inverse document
 * frequency (so a rare word outranks a common one, as with FTS5's bm25) times its tsRank in the row.
 * Translated phrases count in titles only. Returns rows best first, at most `limit`.
 */
export async function textMatchesPg(
  db: Db,
  table: "pin_fts" | "board_fts",
  own: Phrase[],
  translated: Phrase[],
  cap: number,
  limit: number,
): Promise<{ id: number; score: number }[]> {
  const phrases = [...own, ...translated.map((p) => ({ ...p, title: true }))];
  if (!phrases.length) return [];
  const t = sql.raw(table);
  const k = sql.raw(`f.${table === "pin_fts" ? "pin_id" : "board_id"}`);
  const countUpTo = async (q: string) =>
    (await first<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM ${t} f WHERE ${tsMatch("f", q)} LIMIT ${cap + 1}) m`))
      ?.n ?? 0;
  const counts = new Map<Phrase, number>();
  for (const p of phrases) counts.set(p, await countUpTo(tsQuery([p])!));
  const total = await tableSize(db, table);
  const idf = (p: Phrase) => {
    const n = counts.get(p)!;
    return Math.log((Math.max(total, n) - n + 0.5) / (n + 0.5) + 1);
  };
  const ranked = async (ps: Phrase[]) => {
    const score = sql.join(
      ps.map((p) => sql`${idf(p)}::float8 * ${tsRank("f", tsQuery([p])!)}`),
      sql` + `,
    );
    return rows<{ id: number; score: number }>(
      db,
      sql`SELECT ${k} AS id, ${score} AS score FROM ${t} f WHERE ${tsMatch("f", tsQuery(ps)!)} ORDER BY score DESC, ${k} LIMIT ${limit}`,
    );
  };
  const common = phrases.filter((p) => counts.get(p)! > cap);
  const exceeds = common.length > 0 || (phrases.length > 1 && (await countUpTo(tsQuery(phrases)!)) > cap);
  // Several words, none common on its own: ranking all of them costs at most cap rows per word.
  if (!exceeds || !common.length) return ranked(phrases);
  const rare = phrases.filter((p) => !common.includes(p));
  const hits = rare.length ? await ranked(rare) : [];
  const floor = hits.length ? hits[hits.length - 1]!.score : 1;
  const have = new Set(hits.map((h) => h.id));
  const titles = tsQuery(common.map((p) => ({ ...p, title: true })))!;
  const recent = await rows<{ id: number }>(
    db,
    sql`SELECT ${k} AS id FROM ${t} f WHERE ${tsMatch("f", titles)} ORDER BY ${k} DESC LIMIT ${limit}`,
  );
  for (const r of recent) if (hits.length < limit && !have.has(r.id)) hits.push({ id: r.id, score: floor });
  return hits;
}
