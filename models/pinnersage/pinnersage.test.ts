import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cutDendrogram, meanEmbedding, medoid, naiveWard, pinnerSage, sampleMedoids, ward, type Engaged } from "./index";

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
    expect(cutDendrogram(5, m, 0.5)).toEqual([[2, 3, 4], [0, 1]]);
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
    expect(c[1]!.importance).toBeCloseTo([30, 31, 32].reduce((s, a) => s + Math.exp(-0.01 * a), 0), 10);
  });

  it("counts repeated engagements with a card once in the clustering and every time in importance", () => {
    const twice = [...engaged, { pin: 200, vector: engaged[6]!.vector, ageDays: 1, weight: 2 }];
    const c = pinnerSage(twice);
    const second = c.find((x) => x.members.includes(200))!;
    expect(second.members).toEqual([200, 201, 202]);
    expect(second.importance).toBeCloseTo([30, 31, 32].reduce((s, a) => s + Math.exp(-0.01 * a), 0) + 2 * Math.exp(-0.01), 10);
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
