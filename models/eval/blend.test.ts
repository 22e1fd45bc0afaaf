import { describe, expect, it } from "vitest";
import { Blend, blendMetrics, combine, normalise, tuneBlend, type ScoreTable } from "./blend";
import type { Recommender } from "./recs";

describe("normalise", () => {
  it("z-scores over the candidates (zero when all equal)", () => {
    const z = normalise(Float64Array.from([1, 2, 3]), "z");
    expect(z[0]).toBeCloseTo(-Math.sqrt(1.5), 12);
    expect(z[1]).toBe(0);
    expect([...normalise(Float64Array.from([4, 4]), "z")]).toEqual([0, 0]);
  });
  it("ranks in [0, 1], ties sharing their mean rank", () => {
    expect([...normalise(Float64Array.from([10, 30, 20, 20]), "rank")]).toEqual([0, 1, 0.5, 0.5]);
  });
});

describe("combine and tuneBlend", () => {
  // Two users, one seed, 4 candidates each (held-out first). Method "a" ranks user 0's held-out first
  // and puts user 1's second; "b" the reverse; with equal weights both come first.
  const table: ScoreTable = {
    a: [[Float64Array.from([4, 1, 2, 3]), Float64Array.from([2, 3, 1, 0])]],
    b: [[Float64Array.from([2, 3, 1, 0]), Float64Array.from([4, 1, 2, 3])]],
  };

  it("sums weighted normalised scores", () => {
    const c = combine([Float64Array.from([1, 2]), Float64Array.from([5, 1])], [1, 2], "rank");
    expect([...c]).toEqual([2, 1]);
  });

  it("metrics of a blend come from the stored scores", () => {
    const single = blendMetrics(table, { a: 1 }, "z");
    expect(single["hr@10"]).toBe(1); // 4 candidates: everything is in the top 10
    expect(single["ndcg@10"]).toBeCloseTo((1 + 1 / Math.log2(3)) / 2, 12);
    expect(blendMetrics(table, { a: 1, b: 1 }, "rank")["ndcg@10"]).toBe(1);
  });

  it("coordinate ascent finds weights that beat either method alone on validation", () => {
    const t = tuneBlend(table, { modes: ["rank"] });
    expect(t.validation["ndcg@10"]).toBe(1);
    expect(t.weights.a).toBeGreaterThan(0);
    expect(t.weights.b).toBeGreaterThan(0);
  });

  it("the Blend recommender fits only weighted components and combines their scores", async () => {
    const fitted: string[] = [];
    const rec = (name: string, f: (i: number) => number): Recommender => ({
      name,
      fit: () => void fitted.push(name),
      score: (_u, items) => Float64Array.from(items, f),
    });
    const b = new Blend([rec("x", (i) => i), rec("y", (i) => -i), rec("z", () => 0)], { x: 2, y: 1 }, "rank");
    await b.fit({ users: 1, items: 3, train: [] });
    expect(fitted).toEqual(["x", "y"]);
    expect([...b.score(0, Uint32Array.from([0, 1, 2]))]).toEqual([1, 1.5, 2]);
  });
});
