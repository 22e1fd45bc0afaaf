import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { textCandidates } from "../../app/services/search.server";
import { exec } from "../../app/services/data/raw.server";
import { testDb, testEngine } from "./helpers";

// The text stage on the real table of the engine under test: FTS5 with BM25 (porter stemming,
// diacritics folded) on SQLite; on PostgreSQL the tsvectors (English and Spanish stemming) ranked by
// inverse document frequency × ts_rank_cd. Rows go straight into pin_fts: this stage reads nothing else.
async function corpus() {
  const db = await testDb();
  const pending: Promise<number>[] = [];
  const add = {
    run: (rowId: number, title: string, body: string) =>
      pending.push(
        exec(
          db,
          testEngine === "pg"
            ? sql`INSERT INTO pin_fts(pin_id, title, body) VALUES (${rowId}, ${title}, ${body})`
            : sql`INSERT INTO pin_fts(rowid, title, body, context, english) VALUES (${rowId}, ${title}, ${body}, '', '')`,
        ),
      ),
  };
  let id = 0;
  const rows: Record<string, number[]> = { foodTitle: [], foodBody: [], breakfast: [], other: [] };
  for (let i = 0; i < 40; i++) {
    add.run(++id, `food ${i % 2 ? "plate" : "bowl"}`, "a picture to name");
    rows.foodTitle!.push(id);
  }
  for (let i = 0; i < 40; i++) {
    add.run(++id, "cup", `food words for the table ${i}`);
    rows.foodBody!.push(id);
  }
  for (const [title, body] of [
    ["breakfast", "toast and tea"],
    ["eggs", "a breakfast of eggs and food"],
    ["cereal", "breakfast in a bowl"],
  ]) {
    add.run(++id, title, body);
    rows.breakfast!.push(id);
  }
  for (let i = 0; i < 20; i++) {
    add.run(++id, "chair", "something to sit on");
    rows.other!.push(id);
  }
  await Promise.all(pending);
  return { db, rows };
}

describe("text candidates (FTS5 BM25; PostgreSQL tsvectors)", () => {
  it("ranks every match by BM25 while the words match few rows", async () => {
    const { db, rows } = await corpus();
    const hits = await textCandidates(db, "pin_fts", ["breakfast", "food"]);
    expect(hits).toHaveLength(rows.foodTitle!.length + rows.foodBody!.length + rows.breakfast!.length);
    expect(rows.breakfast).toContain(hits[0]!.id); // the rarer word weighs more
    expect(hits.map((h) => h.rank)).toEqual(hits.map((_, i) => i + 1));
  });

  it("above the cap, ranks the rare words by BM25 and adds the common word's title matches, newest first", async () => {
    const { db, rows } = await corpus();
    const cap = 30; // "food" alone matches 81 rows, "breakfast" 3
    const hits = await textCandidates(db, "pin_fts", ["breakfast", "food"], [], cap);
    const rare = await textCandidates(db, "pin_fts", ["breakfast"], [], cap);
    // First exactly what BM25 makes of the rare word alone…
    expect(hits.slice(0, 3).map((h) => h.id)).toEqual(rare.map((h) => h.id));
    // …then cards with the common word in their title, newest first, scored as the weakest rare hit.
    const rest = hits.slice(3);
    expect(rest.map((h) => h.id)).toEqual([...rows.foodTitle!].reverse());
    expect(new Set(rest.map((h) => h.score))).toEqual(new Set([rare[2]!.score]));
    // Body-only matches of the common word are left to the other generators.
    expect(hits.some((h) => rows.foodBody!.includes(h.id))).toBe(false);
  });

  it("above the cap with only common words, lists their title matches with equal scores", async () => {
    const { db, rows } = await corpus();
    const hits = await textCandidates(db, "pin_fts", ["food"], [], 30);
    expect(hits.map((h) => h.id)).toEqual([...rows.foodTitle!].reverse());
    expect(new Set(hits.map((h) => h.score)).size).toBe(1);
  });

  it("ranks by BM25 when the words together pass the cap but none does alone", async () => {
    const { db } = await corpus();
    // "food" is in 81 rows, "breakfast" in 3 (one with both): 83 together, over a cap of 81.
    const capped = await textCandidates(db, "pin_fts", ["breakfast", "food"], [], 81);
    expect(capped).toEqual(await textCandidates(db, "pin_fts", ["breakfast", "food"], [], 1000));
  });

  it("matches a query's translated words in titles only, capped or not", async () => {
    const { db, rows } = await corpus();
    // "comida" (own word, matches nothing) translated as "food" and "toast": titles only.
    for (const cap of [1000, 30]) {
      const ids = (await textCandidates(db, "pin_fts", ["comida"], ["food", "toast"], cap)).map((h) => h.id);
      expect(new Set(ids)).toEqual(new Set(rows.foodTitle));
    }
  });
});
