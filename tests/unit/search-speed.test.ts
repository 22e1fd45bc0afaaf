import { describe, expect, it } from "vitest";
import { fuzzyCandidates, interestCandidates } from "../../app/services/search.server";
import { loadTaxonomy } from "../../models/taxonomy/index";
import type { Pipeline } from "../../app/services/pipeline.server";
import { interests } from "../../db/tables";
import { ensureInterests } from "../../app/services/indexing.server";
import { noTranslator } from "../../models/embed/index";
import { tempDb } from "./helpers";

// The bounded paths of the search stages that grow with the corpus, on a real SQLite file.

describe("similar-spelling stage on a large corpus", () => {
  it("still finds the close spelling when thousands of cards share its trigrams, reading a bounded number of rows", async () => {
    const db = tempDb();
    const ins = db.$client.prepare("INSERT INTO pin_tri(rowid, words) VALUES (?, ?)");
    // Each shares some of "sandwitch"'s trigrams, none enough to look alike (Jaccard < 0.35).
    const filler = ["sand castle", "itch cream", "kitchen table", "watch strap", "handbag", "standing"];
    db.$client.transaction(() => {
      for (let i = 1; i <= 12_000; i++) ins.run(i, filler[i % filler.length]!);
      ins.run(20_001, "sandwich bocadillo");
      ins.run(20_002, "sandwiches");
    })();
    const matches = (
      db.$client
        .prepare("SELECT count(*) AS n FROM pin_tri WHERE pin_tri MATCH ?")
        .get('"san" OR "and" OR "ndw" OR "dwi" OR "wit" OR "itc" OR "tch"') as { n: number }
    ).n;
    expect(matches).toBeGreaterThan(3000); // the bounded path, not BM25 over every match
    const found = await fuzzyCandidates(db, ["sandwitch"]);
    expect(found.map((c) => c.id)).toEqual([20_001, 20_002]); // Jaccard 0.44 and 0.36
    expect(found.every((c) => c.score >= 0.35)).toBe(true);
    // A small corpus keeps the BM25 path: the same answer.
    const small = tempDb();
    small.$client.prepare("INSERT INTO pin_tri(rowid, words) VALUES (?, ?)").run(7, "sandwich bocadillo");
    expect((await fuzzyCandidates(small, ["sandwitch"])).map((c) => c.id)).toEqual([7]);
  });
});

describe("interest stage", () => {
  it("reads the strongest holders of the query's interests first, at most 2,000 rows, best weighted score per card", async () => {
    const db = tempDb();
    const taxonomy = loadTaxonomy();
    const p = {
      taxonomy,
      translator: noTranslator,
      embedder: { id: "zero", dim: 512, embed: async (t: string[]) => t.map(() => new Float32Array(512).fill(1 / Math.sqrt(512))) },
    } as Pipeline;
    await ensureInterests(db, p);
    const root = taxonomy.roots()[0]!;
    const child = taxonomy.children(root.slug)[0]!;
    const idOf = new Map(
      db
        .select({ id: interests.id, slug: interests.slug })
        .from(interests)
        .all()
        .map((r) => [r.slug, r.id]),
    );
    db.$client.prepare("INSERT INTO user (id, email, password_hash, display_name, locale) VALUES (1, 'a@b.c', 'x', 'A', 'en')").run();
    db.$client.prepare("INSERT INTO image (key, width, height, bytes) VALUES ('k', 1, 1, 1)").run();
    const pin = db.$client.prepare(
      "INSERT INTO pin (id, creator_id, title, note, lang, image_key, image_width, image_height, alt, source) VALUES (?, 1, 't', '', 'en', 'k', 1, 1, 'a', 'upload')",
    );
    const pi = db.$client.prepare("INSERT INTO pin_interest (pin_id, interest_id, score) VALUES (?, ?, ?)");
    db.$client.transaction(() => {
      for (let i = 1; i <= 3000; i++) {
        pin.run(i);
        pi.run(i, idOf.get(root.slug)!, i / 3000); // the root: card 3000 strongest
        if (i % 2) pi.run(i, idOf.get(child.slug)!, 0.5 + i / 10_000);
      }
    })();
    const stats = { rows: 0 };
    const found = await interestCandidates(db, p, "pin", { interests: [{ slug: root.slug, score: 1 }] }, stats);
    expect(stats.rows).toBe(2000); // 4,500 rows hold the interests; the 2,000 strongest are read
    expect(found).toHaveLength(200);
    // Card 3000 holds the root at 1.0; card 2999 the root at ~1.0 and the child (weight 0.8) lower.
    expect(found[0]!.id).toBe(3000);
    expect(found[0]!.score).toBeCloseTo(1, 6);
    const scores = found.map((c) => c.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });
});
