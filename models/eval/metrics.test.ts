import { describe, it, expect } from "vitest";
import { evaluateRun, mrrAt, ndcgAt, recallAt } from "./metrics";

const judgments = (entries: Record<string, number>) => new Map(Object.entries(entries));

// Graded example used by several tests. Gains 2^rel − 1: a → 7, b → 3, c → 1, d → 0 (judged non-relevant).
const graded = judgments({ a: 3, b: 2, c: 1, d: 0 });
const ranking = ["x", "b", "a", "y", "c"];

describe("ndcgAt", () => {
  it("uses graded gains 2^rel − 1 with a log2 discount (hand-computed)", () => {
    // DCG@5  = 0 + 3/log2(3) + 7/log2(4) + 0 + 1/log2(6) = 1.892789 + 3.5 + 0.386853 = 5.779642
    // IDCG@5 = 7/1 + 3/log2(3) + 1/log2(4)               = 7 + 1.892789 + 0.5       = 9.392789
    expect(ndcgAt(ranking, graded, 5)).toBeCloseTo(0.615328, 6);
    // Cut at 3: DCG = 5.392789; the ideal still has a, b, c in its top 3.
    expect(ndcgAt(ranking, graded, 3)).toBeCloseTo(0.574141, 6);
    // Nothing relevant in the top 1.
    expect(ndcgAt(ranking, graded, 1)).toBe(0);
  });

  it("gives 1 for a perfect ranking, with or without trailing non-relevant documents", () => {
    expect(ndcgAt(["a", "b", "c"], graded, 10)).toBeCloseTo(1, 12);
    expect(ndcgAt(["a", "b", "c", "d", "z"], graded, 10)).toBeCloseTo(1, 12);
    expect(ndcgAt(["a"], graded, 1)).toBeCloseTo(1, 12);
  });

  it("penalises a swapped order of two relevant grades", () => {
    // DCG = 3 + 7/log2(3) = 7.416508; IDCG@2 = 7 + 3/log2(3) = 8.892789
    expect(ndcgAt(["b", "a"], graded, 2)).toBeCloseTo(7.416508 / 8.892789, 6);
  });

  it("is 0 when the query has no relevant document", () => {
    expect(ndcgAt(["d", "a"], judgments({ d: 0 }), 10)).toBe(0);
    expect(ndcgAt(["a"], new Map(), 10)).toBe(0);
  });

  it("counts a repeated document once and never gives negative gain", () => {
    // [a, a, a] with a, b relevant (rel 1): DCG = 1, IDCG = 1 + 1/log2(3) → 0.613147
    expect(ndcgAt(["a", "a", "a"], judgments({ a: 1, b: 1 }), 3)).toBeCloseTo(0.613147, 6);
    // A negative grade is treated as 0: DCG = 1/log2(3), IDCG = 1.
    expect(ndcgAt(["a", "b"], judgments({ a: -1, b: 1 }), 2)).toBeCloseTo(0.63093, 5);
  });

  it("rejects a cutoff that is not a positive integer", () => {
    expect(() => ndcgAt(ranking, graded, 0)).toThrow(RangeError);
    expect(() => mrrAt(ranking, graded, 2.5)).toThrow(RangeError);
    expect(() => recallAt(ranking, graded, -1)).toThrow(RangeError);
  });
});

describe("mrrAt", () => {
  it("is 1 / rank of the first relevant document within k", () => {
    expect(mrrAt(ranking, graded, 10)).toBe(0.5); // b at rank 2
    expect(mrrAt(["d", "y", "c"], graded, 10)).toBeCloseTo(1 / 3, 12); // d has rel 0: not relevant
    expect(mrrAt(["a"], graded, 10)).toBe(1);
  });

  it("is 0 when the first relevant document is beyond k or absent", () => {
    expect(mrrAt(ranking, graded, 1)).toBe(0);
    expect(mrrAt(["x", "y"], graded, 10)).toBe(0);
    expect(mrrAt([], graded, 10)).toBe(0);
  });
});

describe("recallAt", () => {
  it("is the share of relevant documents found in the top k", () => {
    expect(recallAt(ranking, graded, 1)).toBe(0);
    expect(recallAt(ranking, graded, 3)).toBeCloseTo(2 / 3, 12); // b, a of {a, b, c}
    expect(recallAt(ranking, graded, 5)).toBe(1);
    expect(recallAt(ranking, graded, 100)).toBe(1);
  });

  it("does not count judged non-relevant or repeated documents", () => {
    expect(recallAt(["d", "a", "a", "a"], graded, 4)).toBeCloseTo(1 / 3, 12);
  });

  it("is 0 when the query has no relevant document", () => {
    expect(recallAt(["d"], judgments({ d: 0 }), 10)).toBe(0);
  });
});

describe("evaluateRun", () => {
  const qrels = new Map([
    ["q1", judgments({ a: 1 })],
    ["q2", judgments({ b: 2, c: 1 })],
    ["q3", judgments({ d: 0 })], // no relevant document: excluded from the means
    ["q4", judgments({ e: 1 })], // judged but missing from the run
    ["q5", judgments({ rel: 1 })], // found only at rank 11
  ]);
  const noise = Array.from({ length: 10 }, (_, i) => `n${i}`);
  const run = new Map<string, string[]>([
    ["q1", ["a"]], // perfect: 1 on every metric
    ["q2", ["c", "x", "b"]], // nDCG@10 = (1 + 3/2) / (3 + 1/log2(3)) = 0.688529; MRR 1; recall 1
    ["q3", ["d"]],
    ["q5", [...noise, "rel"]], // 0 at 10, recall@100 = 1
    ["q-unjudged", ["a", "b"]], // not in qrels: ignored
  ]);

  it("averages over judged queries, scoring missing ones as 0 by default", () => {
    const summary = evaluateRun(run, qrels);
    expect(summary.queries).toBe(4); // q1, q2, q4, q5
    expect(summary["ndcg@10"]).toBeCloseTo((1 + 0.688529 + 0 + 0) / 4, 6);
    expect(summary["mrr@10"]).toBeCloseTo(0.5, 12);
    expect(summary["recall@10"]).toBeCloseTo(0.5, 12);
    expect(summary["recall@100"]).toBeCloseTo(0.75, 12);
  });

  it("can leave queries missing from the run out of the means", () => {
    const summary = evaluateRun(run, qrels, { missing: "skip" });
    expect(summary.queries).toBe(3); // q1, q2, q5
    expect(summary["ndcg@10"]).toBeCloseTo((1 + 0.688529) / 3, 6);
    expect(summary["mrr@10"]).toBeCloseTo(2 / 3, 12);
    expect(summary["recall@10"]).toBeCloseTo(2 / 3, 12);
    expect(summary["recall@100"]).toBeCloseTo(1, 12);
  });

  it("gives 1 everywhere for a run that ranks every query perfectly", () => {
    const perfect = new Map([
      ["q1", ["a"]],
      ["q2", ["b", "c"]],
      ["q4", ["e"]],
      ["q5", ["rel"]],
    ]);
    expect(evaluateRun(perfect, qrels)).toEqual({
      "ndcg@10": 1,
      "mrr@10": 1,
      "recall@10": 1,
      "recall@100": 1,
      queries: 4,
    });
  });

  it("returns zeros and no queries when nothing is judged relevant", () => {
    expect(evaluateRun(new Map([["q3", ["d"]]]), new Map([["q3", judgments({ d: 0 })]]))).toEqual({
      "ndcg@10": 0,
      "mrr@10": 0,
      "recall@10": 0,
      "recall@100": 0,
      queries: 0,
    });
  });
});
