import { describe, expect, it } from "vitest";
import { evaluate, hitAndNdcg, leaveLastOut, pairedDifference, parseRatings, sampleCandidates, type Recommender } from "./recs";

const csv = [
  "userId,movieId,rating,timestamp",
  "1,10,4.0,100",
  "1,20,3.5,300",
  "1,30,5.0,200",
  "2,10,2.0,50",
  "2,40,4.0,60",
  "2,50,1.0,60", // ties with 40 at t=60: the later line is the held-out one
  "3,20,4.0,10",
].join("\n");

describe("parseRatings", () => {
  it("re-indexes ids densely in order of appearance and keeps ratings as weights", () => {
    const f = parseRatings(csv);
    expect(f.userIds).toEqual(["1", "2", "3"]);
    expect(f.itemIds).toEqual(["10", "20", "30", "40", "50"]);
    expect(f.rows[0]).toEqual({ user: 0, item: 0, t: 100, weight: 4 });
    expect(f.format).toBe("movielens");
  });

  it("reads the design's user,item,timestamp,action header with action weights", () => {
    const f = parseRatings("user,item,timestamp,action\na,x,2026-01-01T00:00:00Z,save\na,y,2026-01-02T00:00:00Z,hide\nb,x,5,click\n");
    expect(f.format).toBe("engagement");
    expect(f.rows).toEqual([
      { user: 0, item: 0, t: Date.parse("2026-01-01T00:00:00Z"), weight: 3 },
      { user: 1, item: 0, t: 5, weight: 1 },
    ]);
    expect(f.touchedOnly).toEqual([{ user: 0, item: 1 }]);
  });

  it("rejects a header without user, item and timestamp columns", () => {
    expect(() => parseRatings("a,b\n1,2")).toThrow(/header/);
  });
});

describe("leaveLastOut", () => {
  it("holds out each user's latest interaction, the later line breaking timestamp ties", () => {
    const s = leaveLastOut(parseRatings(csv));
    // user 1: times 100 (10), 300 (20), 200 (30) → 20 held out
    expect(s.heldOut[0]).toBe(1);
    // user 2: 10@50, 40@60, 50@60 → 50 (the later line)
    expect(s.heldOut[1]).toBe(4);
    // user 3 has one interaction: nothing held out, it stays in training
    expect(s.heldOut[2]).toBe(-1);
    expect(
      s.data.train
        .filter((r) => r.user === 0)
        .map((r) => r.item)
        .sort(),
    ).toEqual([0, 2]);
    expect(s.data.train.some((r) => r.user === 2 && r.item === 1)).toBe(true);
    expect(s.data.train.some((r) => r.user === 0 && r.item === 1)).toBe(false);
  });

  it("validation split (skip 1) holds out the second-to-last and drops the last", () => {
    const s = leaveLastOut(parseRatings(csv), 1);
    expect(s.heldOut[0]).toBe(2); // item 30 at t=200
    expect(s.data.train.filter((r) => r.user === 0).map((r) => r.item)).toEqual([0]);
    expect(s.heldOut[1]).toBe(3); // item 40
  });

  it("merges repeated (user, item) rows at the first time, so the held-out item is new to the user", () => {
    const s = leaveLastOut(parseRatings("user,item,timestamp\nu,a,1\nu,b,2\nu,a,3\n"));
    expect(s.heldOut[0]).toBe(1); // b: a's first engagement was earlier
  });
});

describe("sampleCandidates", () => {
  const many = ["user,item,timestamp", ...Array.from({ length: 300 }, (_, i) => `u${i % 3},i${i},${i}`)].join("\n");
  const split = leaveLastOut(parseRatings(many));

  it("puts the held-out first and draws 99 distinct untouched items, the same for the same seed", () => {
    const a = sampleCandidates(split, 7);
    const b = sampleCandidates(split, 7);
    const c = sampleCandidates(split, 8);
    for (let u = 0; u < 3; u++) {
      const cand = a[u]!;
      expect(cand.length).toBe(100);
      expect(cand[0]).toBe(split.heldOut[u]);
      expect(new Set(cand).size).toBe(100);
      for (let k = 1; k < 100; k++) expect(split.touched[u]!.has(cand[k]!)).toBe(false);
      expect([...b[u]!]).toEqual([...cand]);
    }
    expect([...c[0]!]).not.toEqual([...a[0]!]);
  });

  it("draws fewer when the catalogue has fewer untouched items", () => {
    const s = leaveLastOut(parseRatings(csv));
    const cand = sampleCandidates(s, 1);
    // user 1 touched 3 of 5 items: 2 negatives left
    expect(cand[0]!.length).toBe(3);
    expect(cand[2]).toBeNull();
  });
});

describe("hitAndNdcg", () => {
  it("held-out ranked first: HR 1, NDCG 1", () => {
    expect(hitAndNdcg(Float64Array.from([9, 1, 2, 3]))).toEqual({ hr: 1, ndcg: 1, rank: 1 });
  });
  it("rank 3: NDCG = 1/log2(4) = 0.5", () => {
    const m = hitAndNdcg(Float64Array.from([5, 6, 7, 1, 2]));
    expect(m.hr).toBe(1);
    expect(m.ndcg).toBeCloseTo(0.5, 12);
    expect(m.rank).toBe(3);
  });
  it("rank 11 is a miss", () => {
    const scores = Float64Array.from([0, ...Array.from({ length: 10 }, () => 1), -1]);
    expect(hitAndNdcg(scores)).toMatchObject({ hr: 0, ndcg: 0 });
  });
  it("ties are the expectation over a random tie-break", () => {
    // held-out ties with one negative, one negative above: rank 2 or 3 with equal chance
    const m = hitAndNdcg(Float64Array.from([1, 2, 1, 0]));
    expect(m.hr).toBe(1);
    expect(m.ndcg).toBeCloseTo((1 / Math.log2(3) + 1 / Math.log2(4)) / 2, 12);
    // all 100 equal: HR = 10/100
    expect(hitAndNdcg(new Float64Array(100)).hr).toBeCloseTo(0.1, 12);
  });
});

describe("evaluate", () => {
  const many = ["user,item,timestamp", ...Array.from({ length: 600 }, (_, i) => `u${i % 4},i${i % 200},${i}`)].join("\n");
  const split = leaveLastOut(parseRatings(many));

  it("an oracle scores HR 1 and NDCG 1, an anti-oracle 0, averaged over seeds", async () => {
    let held: Int32Array = new Int32Array(0);
    const oracle: Recommender = {
      name: "oracle",
      fit: () => void (held = split.heldOut),
      score: (u, items) => Float64Array.from(items, (i) => (i === held[u] ? 1 : 0)),
    };
    const anti: Recommender = {
      name: "anti",
      fit: () => {},
      score: (u, items) => Float64Array.from(items, (i) => (i === split.heldOut[u] ? -1 : 0)),
    };
    const r = await evaluate([oracle, anti], split, [1, 2, 3]);
    expect(r.oracle!["hr@10"]).toBe(1);
    expect(r.oracle!["ndcg@10"]).toBe(1);
    expect(r.oracle!.perSeed.map((p) => p.seed)).toEqual([1, 2, 3]);
    expect(r.anti!["hr@10"]).toBe(0);
    expect(r.oracle!.users).toBe(4);
  });

  it("pairs two methods by seed and by user: per-seed differences, and a per-user mean with its standard error", async () => {
    // "even" finds the held-out item for users 0 and 2 only; the oracle for everyone.
    const oracle: Recommender = {
      name: "oracle",
      fit: () => {},
      score: (u, items) => Float64Array.from(items, (i) => (i === split.heldOut[u] ? 1 : 0)),
    };
    const even: Recommender = {
      name: "even",
      fit: () => {},
      score: (u, items) => Float64Array.from(items, (i) => (u % 2 === 0 && i === split.heldOut[u] ? 1 : i === split.heldOut[u] ? -1 : 0)),
    };
    const r = await evaluate([oracle, even], split, [1, 2], { keepScores: true });
    const d = pairedDifference(r.oracle!, r.even!);
    expect(d.perSeed).toEqual([
      { seed: 1, "hr@10": 0.5, "ndcg@10": 0.5 },
      { seed: 2, "hr@10": 0.5, "ndcg@10": 0.5 },
    ]);
    expect(d.mean["hr@10"]).toBe(0.5);
    // Per-user differences 0, 1, 0, 1: mean 0.5, sample sd √(1/3), se = sd/√4.
    expect(d.perUser!.users).toBe(4);
    expect(d.perUser!["ndcg@10"].mean).toBeCloseTo(0.5, 12);
    expect(d.perUser!["ndcg@10"].se).toBeCloseTo(Math.sqrt(1 / 3) / 2, 12);
    // Without kept scores, only the per-seed pairing.
    const plain = await evaluate([oracle, even], split, [1]);
    expect(pairedDifference(plain.oracle!, plain.even!).perUser).toBeUndefined();
  });
});
