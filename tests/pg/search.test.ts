import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPg, type PgHandle } from "../../db/pg/client";
import { fuzzyCandidatesPg, textCandidatesPg, tsQueryText } from "../../app/services/pg/text-search.server";
import { putBoardText, putPinText } from "../../app/services/pg/text-index.server";
import { cleanQuery } from "../../models/query/index";
import { freshDatabase } from "./db";

let h: PgHandle;
let drop: () => Promise<void>;

// The cards as the indexing service writes them: title, body (cue + note), english (the translation).
const CARDS: [number, { title: string; body?: string; english?: string; words?: string }][] = [
  [1, { title: "Running", body: "A man running in the park", english: "correr" }],
  [2, { title: "La comida", body: "Comida caliente en la mesa", english: "the meal" }],
  [3, { title: "Sandwich", english: "sándwich" }],
  [4, { title: "Espaguetis", body: "Un plato de pasta", english: "spaghetti" }],
  [5, { title: "Árbol", body: "Un árbol grande", english: "tree" }],
  [6, { title: "Table", body: "The kitchen table", english: "mesa" }],
  [7, { title: "Walk", body: "Walking the dog" }],
];

beforeAll(async () => {
  const fresh = await freshDatabase("search");
  drop = fresh.drop;
  h = await openPg(fresh.url);
  for (const [id, t] of CARDS) await putPinText(h.primaryPool, id, t);
  await putBoardText(h.primaryPool, 1, { title: "Comidas", description: "Cosas de comer", english: "meals" });
  await putBoardText(h.primaryPool, 2, { title: "Outdoor runs", description: "" });
});
afterAll(async () => {
  await h?.close();
  await drop?.();
});

const ids = (c: { id: number }[]) => c.map((x) => x.id);
const tokens = (q: string) => cleanQuery(q).tokens;

/** Whether `doc` matches `query` under the text search configuration `cfg`. */
const q = async (cfg: string, doc: string, query: string) =>
  (
    await h.reader.$client.query<{ m: boolean }>(`SELECT to_tsvector($1::regconfig, $2) @@ to_tsquery($1::regconfig, $3) AS m`, [
      cfg,
      doc,
      query,
    ])
  ).rows[0]!.m;

describe("text candidates on tsvector (English and Spanish stemming)", () => {
  it("finds 'running' for 'runs' (English stemming) and ranks the title match first", async () => {
    const hits = await textCandidatesPg(h.reader.$client, "pin_fts", tokens("runs"));
    expect(ids(hits)[0]).toBe(1);
    expect(hits[0]).toMatchObject({ rank: 1 });
    expect(hits[0]!.score).toBeGreaterThan(0);
  });

  it("finds 'comida' for 'comidas' (Spanish stemming), title before body", async () => {
    const hits = await textCandidatesPg(h.reader.$client, "pin_fts", tokens("comidas"));
    expect(ids(hits)).toEqual([2]);
    const boards = await textCandidatesPg(h.reader.$client, "board_fts", tokens("comida"));
    expect(ids(boards)).toEqual([1]);
  });

  it("needs both languages: 'runs' stems only in English, 'corriendo' → 'correr' only in Spanish", async () => {
    expect([await q("tablero_en", "running", "runs"), await q("tablero_es", "running", "runs")]).toEqual([true, false]);
    expect([await q("tablero_en", "correr", "corriendo"), await q("tablero_es", "correr", "corriendo")]).toEqual([false, true]);
    // Card 1's translation column says "correr": found for the Spanish form, through tsv_es.
    expect(ids(await textCandidatesPg(h.reader.$client, "pin_fts", tokens("corriendo")))).toEqual([1]);
  });

  it("ignores accents both ways ('arbol' finds 'Árbol')", async () => {
    expect(ids(await textCandidatesPg(h.reader.$client, "pin_fts", tokens("arbol")))).toEqual([5]);
    expect(ids(await textCandidatesPg(h.reader.$client, "pin_fts", ["árboles"]))).toEqual([5]);
  });

  it("matches the translation's words only in titles", async () => {
    // "mesa" is in card 2's body and card 6's translation column; "table" (translated) in card 6's title.
    expect(tsQueryText(["mesa"], ["table"])).toBe("mesa | table:A");
    const hits = await textCandidatesPg(h.reader.$client, "pin_fts", ["mesa"], ["table"]);
    expect(ids(hits).sort()).toEqual([2, 6]);
    // "kitchen" only in a body: as a translated word it must not match.
    expect(ids(await textCandidatesPg(h.reader.$client, "pin_fts", ["zzz"], ["kitchen"]))).toEqual([]);
    expect(ids(await textCandidatesPg(h.reader.$client, "pin_fts", ["kitchen"]))).toEqual([6]);
  });

  it("stems French, German and Arabic with their own configurations (0006)", async () => {
    // "chevaux" is not "cheval" to the English stemmer, nor "Häuser" "Haus"; Arabic drops the article.
    expect([await q("tablero_fr", "chevaux", "cheval"), await q("tablero_en", "chevaux", "cheval")]).toEqual([true, false]);
    expect(await q("tablero_fr", "les pommes", "pomme")).toBe(true);
    expect(await q("tablero_fr", "pâtes", "pate")).toBe(true);
    expect([await q("tablero_de", "Häuser", "haus"), await q("tablero_en", "Häuser", "haus")]).toEqual([true, false]);
    expect([await q("tablero_ar", "الخبز", "خبز"), await q("tablero_en", "الخبز", "خبز")]).toEqual([true, false]);
    await putPinText(h.primaryPool, 8, { title: "Häuser" });
    await putPinText(h.primaryPool, 9, { title: "الخبز" });
    expect(ids(await textCandidatesPg(h.reader.$client, "pin_fts", ["haus"]))).toEqual([8]);
    expect(ids(await textCandidatesPg(h.reader.$client, "pin_fts", ["خبز"]))).toEqual([9]);
  });

  it("treats query syntax as text and drops function words unless nothing else is left", async () => {
    expect(await textCandidatesPg(h.reader.$client, "pin_fts", ["run|!&(:*"])).toEqual(expect.any(Array));
    expect(tsQueryText(["the", "park"])).toBe("park");
    expect(ids(await textCandidatesPg(h.reader.$client, "pin_fts", tokens("the park")))).toEqual([1]);
    expect(await textCandidatesPg(h.reader.$client, "pin_fts", [])).toEqual([]);
  });
});

describe("fuzzy candidates on pg_trgm", () => {
  it("forgives misspellings ('sandwitch', 'espageti', 'spagetti')", async () => {
    expect(ids(await fuzzyCandidatesPg(h.reader.$client, ["sandwitch"]))[0]).toBe(3);
    expect(ids(await fuzzyCandidatesPg(h.reader.$client, ["espageti"]))).toContain(4);
    expect(ids(await fuzzyCandidatesPg(h.reader.$client, ["spagetti"]))).toContain(4);
  });

  it("keeps only words that really look alike, scored like SQLite's trigram Jaccard", async () => {
    const hits = await fuzzyCandidatesPg(h.reader.$client, ["sandwitch"]);
    expect(ids(hits)).not.toContain(7);
    for (const x of hits) expect(x.score).toBeGreaterThanOrEqual(0.35);
    expect(await fuzzyCandidatesPg(h.reader.$client, ["abc"])).toEqual([]); // too short, like trigramExpression
  });
});
