import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  centred,
  cutDendrogram,
  meanEmbedding,
  meanVector,
  medoid,
  naiveWard,
  pinnerSage,
  pinnerSageLevels,
  sampleMedoids,
  ward,
  weightedMedoidScore,
  type Engaged,
} from "./index";

function rand(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const points = (seed: number, n: number, d: number) => {
  const r = rand(seed);
  return Array.from({ length: n }, () => Float32Array.from({ length: d }, () => r() * 2 - 1));
};
const unit = (v: number[]) => {
  const n = Math.hypot(...v);
  return Float32Array.from(v, (x) => x / n);
};

describe("Ward clustering", () => {
  it("Lance–Williams updates give the same merges and costs as recomputing ΔESS from scratch", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 14 }), fc.integer({ min: 1, max: 5 }), (seed, n, d) => {
        const v = points(seed, n, d);
        const fast = ward(v);
        const slow = naiveWard(v);
        expect(fast).toHaveLength(Math.max(0, n - 1));
        expect(fast.map((m) => [m.a, m.b, m.size])).toEqual(slow.map((m) => [m.a, m.b, m.size]));
        fast.forEach((m, k) => expect(m.cost).toBeCloseTo(slow[k]!.cost, 9));
        // Ward never inverts: costs do not decrease.
        for (let k = 1; k < fast.length; k++) expect(fast[k]!.cost).toBeGreaterThanOrEqual(fast[k - 1]!.cost - 1e-12);
      }),
      { numRuns: 150 },
    );
  });

  it("agrees with the naive version on a larger clustered input, and handles 200 cards of 512-d quickly", () => {
    const r = rand(21);
    const centres = points(5, 4, 16);
    const v = Array.from({ length: 40 }, (_, i) => Float32Array.from(centres[i % 4]!, (x) => x + (r() - 0.5) * 0.4));
    const fast = ward(v);
    const slow = naiveWard(v);
    expect(fast.map((m) => [m.a, m.b])).toEqual(slow.map((m) => [m.a, m.b]));
    fast.forEach((m, k) => expect(m.cost).toBeCloseTo(slow[k]!.cost, 9));
    expect(cutDendrogram(40, fast, 1)).toHaveLength(4);

    const big = points(8, 200, 512);
    const t0 = performance.now();
    const merges = ward(big);
    expect(merges).toHaveLength(199);
    expect(merges.at(-1)!.size).toBe(200);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it("merges two single points at half their squared distance", () => {
    expect(ward([Float32Array.of(0, 0), Float32Array.of(3, 4)])).toEqual([{ a: 0, b: 1, cost: 12.5, size: 2 }]);
    expect(ward([Float32Array.of(1)])).toEqual([]);
  });

  it("cuts the dendrogram into the groups below the threshold", () => {
    const v = [Float32Array.of(0), Float32Array.of(0.1), Float32Array.of(10), Float32Array.of(10.2), Float32Array.of(10.1)];
    const m = ward(v);
    expect(cutDendrogram(5, m, 0.5)).toEqual([
      [2, 3, 4],
      [0, 1],
    ]);
    expect(cutDendrogram(5, m, 1e6)).toEqual([[0, 1, 2, 3, 4]]);
    expect(cutDendrogram(5, m, 0)).toHaveLength(5);
  });

  it("picks as medoid the member with the least sum of squared distances to the others", () => {
    // Sums: 0 → 26.44, 1 → 17.04, 1.2 → 15.92, 5 → 55.44 (the member nearest the centroid 1.8).
    const v = [Float32Array.of(0), Float32Array.of(1), Float32Array.of(1.2), Float32Array.of(5)];
    expect(medoid(v, [0, 1, 2, 3])).toBe(2);
    expect(medoid(v, [0, 1, 3])).toBe(1);
    expect(medoid(v, [3])).toBe(3);
  });
});

describe("PinnerSage", () => {
  // Two interests: vectors near axis 0 (recent, many) and near axis 1 (older, few).
  const r = rand(3);
  const near = (axis: number) => unit(Array.from({ length: 8 }, (_, d) => (d === axis ? 1 : 0) + (r() - 0.5) * 0.3));
  const engaged: Engaged[] = [
    ...Array.from({ length: 6 }, (_, i) => ({ pin: 100 + i, vector: near(0), ageDays: i })),
    ...Array.from({ length: 3 }, (_, i) => ({ pin: 200 + i, vector: near(1), ageDays: 30 + i })),
    { pin: 300, vector: near(2), ageDays: 120 }, // too old: ignored
  ];

  it("finds one cluster per interest, medoids among the members, most important first", () => {
    const c = pinnerSage(engaged);
    expect(c).toHaveLength(2);
    expect(c[0]!.members).toEqual([100, 101, 102, 103, 104, 105]);
    expect(c[1]!.members).toEqual([200, 201, 202]);
    expect(c[0]!.members).toContain(c[0]!.medoid);
    expect(c[1]!.members).toContain(c[1]!.medoid);
    const imp0 = [0, 1, 2, 3, 4, 5].reduce((s, a) => s + Math.exp(-0.01 * a), 0);
    expect(c[0]!.importance).toBeCloseTo(imp0, 10);
    expect(c[1]!.importance).toBeCloseTo(
      [30, 31, 32].reduce((s, a) => s + Math.exp(-0.01 * a), 0),
      10,
    );
  });

  it("counts repeated engagements with a card once in the clustering and every time in importance", () => {
    const twice = [...engaged, { pin: 200, vector: engaged[6]!.vector, ageDays: 1, weight: 2 }];
    const c = pinnerSage(twice);
    const second = c.find((x) => x.members.includes(200))!;
    expect(second.members).toEqual([200, 201, 202]);
    expect(second.importance).toBeCloseTo([30, 31, 32].reduce((s, a) => s + Math.exp(-0.01 * a), 0) + 2 * Math.exp(-0.01), 10);
  });

  it("cuts one dendrogram twice: interests as pinnerSage gives them, finer ranking clusters nested inside them", () => {
    const coarse = 0.5;
    const fine = 0.02;
    const { interests, ranking } = pinnerSageLevels(engaged, { threshold: coarse, rankingThreshold: fine });
    expect(interests).toEqual(pinnerSage(engaged, { threshold: coarse }));
    expect(ranking).toEqual(pinnerSage(engaged, { threshold: fine }));
    expect(ranking.length).toBeGreaterThan(interests.length); // this input does split finer at 0.02
    for (const r of ranking) expect(interests.filter((c) => r.members.every((m) => c.members.includes(m)))).toHaveLength(1);
    const total = (cs: { importance: number }[]) => cs.reduce((a, c) => a + c.importance, 0);
    expect(total(ranking)).toBeCloseTo(total(interests), 10);
    // The same cut twice is the same clusters.
    const same = pinnerSageLevels(engaged, { threshold: coarse, rankingThreshold: coarse });
    expect(same.ranking).toEqual(same.interests);
    expect(pinnerSageLevels([], { rankingThreshold: fine })).toEqual({ interests: [], ranking: [] });
  });

  it("keeps at most maxPins distinct cards, the most recent", () => {
    const c = pinnerSage(engaged, { maxPins: 4 });
    expect(c.flatMap((x) => x.members).sort()).toEqual([100, 101, 102, 103]);
  });

  it("samples medoids without replacement in proportion to importance", () => {
    const clusters = [
      { medoid: 1, members: [1], importance: 6 },
      { medoid: 2, members: [2], importance: 3 },
      { medoid: 3, members: [3], importance: 1 },
      { medoid: 4, members: [4], importance: 0 },
    ];
    const rng = rand(9);
    const firsts = new Map<number, number>();
    for (let t = 0; t < 4000; t++) {
      const s = sampleMedoids(clusters, 2, rng);
      expect(s).toHaveLength(2);
      expect(new Set(s.map((x) => x.medoid)).size).toBe(2);
      expect(s.some((x) => x.medoid === 4)).toBe(false);
      firsts.set(s[0]!.medoid, (firsts.get(s[0]!.medoid) ?? 0) + 1);
    }
    expect(firsts.get(1)! / 4000).toBeCloseTo(0.6, 1);
    expect(firsts.get(2)! / 4000).toBeCloseTo(0.3, 1);
    expect(sampleMedoids(clusters, 5, rng)).toHaveLength(3);
  });

  it("the mean baseline sits between the interests, close to neither medoid", () => {
    const m = meanEmbedding(engaged)!;
    expect(Math.hypot(...m)).toBeCloseTo(1, 5);
    const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
    const c = pinnerSage(engaged);
    const med1 = engaged.find((e) => e.pin === c[1]!.medoid)!.vector;
    // The minority interest is poorly represented by the mean.
    expect(cos(m, med1)).toBeLessThan(0.7);
    expect(meanEmbedding([])).toBeNull();
  });
});

describe("ranking by every medoid on centred vectors", () => {
  // The plain, obvious versions: arrays of numbers, Math.hypot, one formula each.
  const plainMean = (vs: number[][]) => vs[0]!.map((_, d) => vs.reduce((s, v) => s + v[d]!, 0) / vs.length);
  const plainCentred = (v: number[], c: number[]) => {
    const x = v.map((a, d) => a - c[d]!);
    const n = Math.hypot(...x);
    return n > 0 ? x.map((a) => a / n) : x;
  };
  const plainCos = (a: number[], b: number[]) => a.reduce((s, x, d) => s + x * b[d]!, 0) / (Math.hypot(...a) * Math.hypot(...b));
  const plainScore = (x: number[], ms: { v: number[]; w: number }[]) => {
    const total = ms.reduce((s, m) => s + m.w, 0);
    return ms.reduce((s, m) => s + (m.w / total) * plainCos(x, m.v), 0);
  };
  const vec = fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }).filter((v) => Math.hypot(...v) > 0.1);

  it("meanVector and centred agree with the plain formulas", () => {
    fc.assert(
      fc.property(fc.array(vec, { minLength: 1, maxLength: 12 }), vec, (vs, v) => {
        const m = meanVector(vs.map((x) => Float32Array.from(x)));
        const pm = plainMean(vs.map((x) => Array.from(Float32Array.from(x))));
        pm.forEach((x, d) => expect(m[d]!).toBeCloseTo(x, 6));
        const c = centred(Float32Array.from(v), m);
        const pc = plainCentred(Array.from(Float32Array.from(v)), pm);
        pc.forEach((x, d) => expect(c[d]!).toBeCloseTo(x, 4));
      }),
      { numRuns: 200 },
    );
    expect([...centred([1, 2], [1, 2])]).toEqual([0, 0]); // the centre itself: zeros, not NaN
    expect(meanVector([])).toHaveLength(0);
  });

  it("weightedMedoidScore is Σ (importance / Σ importance) · cosine over every medoid", () => {
    fc.assert(
      fc.property(vec, fc.array(fc.tuple(vec, fc.double({ min: 0.01, max: 50, noNaN: true })), { minLength: 1, maxLength: 8 }), (x, ms) => {
        const got = weightedMedoidScore(
          Float32Array.from(x),
          ms.map(([v, w]) => ({ vector: Float32Array.from(v), importance: w })),
        );
        const want = plainScore(
          Array.from(Float32Array.from(x)),
          ms.map(([v, w]) => ({ v: Array.from(Float32Array.from(v)), w })),
        );
        expect(got).toBeCloseTo(want, 5);
      }),
      { numRuns: 300 },
    );
    // Worked example: medoids along x and y, importance 3 : 1; a card at 45° scores (3·½√2 + 1·½√2)/4.
    const medoids = [
      { vector: [1, 0], importance: 3 },
      { vector: [0, 2], importance: 1 },
    ];
    expect(weightedMedoidScore([1, 1], medoids)).toBeCloseTo(Math.SQRT1_2, 10);
    expect(weightedMedoidScore([1, 0], medoids)).toBeCloseTo(0.75, 10);
    expect(weightedMedoidScore([0, 1], medoids)).toBeCloseTo(0.25, 10);
    expect(weightedMedoidScore([1, 0], [])).toBe(0);
    expect(weightedMedoidScore([0, 0], medoids)).toBe(0);
    expect(weightedMedoidScore([1, 0], [{ vector: [1, 0], importance: 0 }])).toBe(0);
  });

  it("centring removes the direction every card shares, so cosines separate interests", () => {
    // Every card is a large common component plus a small interest component.
    const common = [0, 0, 0, 1];
    const card = (axis: number, k: number) => unit(common.map((c, d) => c * 3 + (d === axis ? 1 : 0) + (d === 2 ? 0.1 * k : 0)));
    const cards = [...[0, 1, 2].map((k) => card(0, k)), ...[0, 1, 2].map((k) => card(1, k))];
    const raw = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
    expect(raw(cards[0]!, cards[3]!)).toBeGreaterThan(0.85); // raw: different interests look alike
    const mu = meanVector(cards);
    const c = cards.map((v) => centred(v, mu));
    expect(raw(c[0]!, c[1]!)).toBeGreaterThan(0.5);
    expect(raw(c[0]!, c[3]!)).toBeLessThan(0);
  });
});
