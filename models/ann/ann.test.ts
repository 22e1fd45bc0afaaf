import { describe, it, expect } from "vitest";
import { SignBitIndex, clusteredUnitVectors, exactSearch, gaussian, meanVector, mulberry32, queriesNear, type Hit } from "./index";

const DIM = 512;

function randomUnitVectors(n: number, dim: number, seed: number): Float32Array {
  const normal = gaussian(mulberry32(seed));
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < dim; j++) {
      out[i * dim + j] = normal();
      s += out[i * dim + j] ** 2;
    }
    for (let j = 0; j < dim; j++) out[i * dim + j] /= Math.sqrt(s);
  }
  return out;
}

function row(vectors: Float32Array, dim: number, i: number): Float32Array {
  return vectors.slice(i * dim, i * dim + dim);
}

function unit(values: number[]): Float32Array {
  const norm = Math.hypot(...values);
  return Float32Array.from(values, (v) => v / norm);
}

function buildIndex(vectors: Float32Array, dim: number, keepVectors = true): SignBitIndex {
  const index = new SignBitIndex(dim, { keepVectors });
  for (let i = 0; i < vectors.length / dim; i++) index.add(i, row(vectors, dim, i));
  return index;
}

function recall(found: Hit[], truth: Hit[]): number {
  const want = new Set(truth.map((h) => h.id));
  return found.filter((h) => want.has(h.id)).length / truth.length;
}

const ids = (hits: Hit[]) => hits.map((h) => h.id);

describe("exactSearch", () => {
  it("matches a naive full sort, ties broken by lower id", () => {
    const dim = 16;
    const n = 300;
    const vectors = randomUnitVectors(n, dim, 7);
    // Duplicate some rows so equal scores occur and the id tie-break is exercised.
    for (let i = 0; i < 20; i++) vectors.copyWithin((i + 100) * dim, i * dim, i * dim + dim);
    const rowIds = Array.from({ length: n }, (_, i) => (i * 7919) % 1000); // unordered, distinct
    const queries = randomUnitVectors(10, dim, 8);
    for (let q = 0; q < 10; q++) {
      const query = row(queries, dim, q);
      const naive = rowIds
        .map((id, i) => {
          let score = 0;
          for (let j = 0; j < dim; j++) score += vectors[i * dim + j] * query[j];
          return { id, score };
        })
        .sort((a, b) => b.score - a.score || a.id - b.id);
      for (const k of [1, 10, 25, n, n + 5]) {
        expect(exactSearch(vectors, rowIds, dim, query, k)).toEqual(naive.slice(0, k));
      }
      expect(exactSearch(vectors, Int32Array.from(rowIds), dim, query, 10)).toEqual(naive.slice(0, 10));
    }
    // A query equal to a duplicated row: both copies score the same, the lower id first.
    const twin = exactSearch(vectors, rowIds, dim, row(vectors, dim, 3), 2);
    expect(twin[0].score).toBe(twin[1].score);
    expect(twin[0].id).toBeLessThan(twin[1].id);
  });

  it("returns nothing for k <= 0 and rejects a query of the wrong size", () => {
    const vectors = randomUnitVectors(5, 8, 1);
    expect(exactSearch(vectors, [1, 2, 3, 4, 5], 8, row(vectors, 8, 0), 0)).toEqual([]);
    expect(() => exactSearch(vectors, [1, 2, 3, 4, 5], 8, new Float32Array(7), 3)).toThrow(/dimensions/);
  });
});

describe("SignBitIndex", () => {
  const n = 5000;
  const { vectors } = clusteredUnitVectors(n, DIM, { clusters: 50, seed: 42 });
  const queries = queriesNear(vectors, DIM, 50, 0.5, 43);
  const rowIds = Int32Array.from({ length: n }, (_, i) => i);
  const index = buildIndex(vectors, DIM);

  it("finds at least 95% of the exact top-10 on clustered data", () => {
    let total = 0;
    for (const query of queries) {
      const found = index.search(query, 10);
      const truth = exactSearch(vectors, rowIds, DIM, query, 10);
      expect(found).toHaveLength(10);
      // Re-ranked scores are exact, so every hit that is in the truth carries the same score.
      const truthScore = new Map(truth.map((h) => [h.id, h.score]));
      for (const hit of found) if (truthScore.has(hit.id)) expect(hit.score).toBe(truthScore.get(hit.id));
      total += recall(found, truth);
    }
    expect(total / queries.length).toBeGreaterThanOrEqual(0.95);
  });

  it("is exact when every vector is a candidate", () => {
    for (const query of queries.slice(0, 5)) {
      expect(index.search(query, 10, { candidates: n })).toEqual(exactSearch(vectors, rowIds, DIM, query, 10));
    }
  });

  it("picks candidates by Hamming distance of sign codes, not by cosine", () => {
    const query = unit(Array(64).fill(1));
    // Every coordinate positive (Hamming 0) but nearly all weight on one axis: cosine about 1/8.
    const sameSigns = unit([1, ...Array(63).fill(0.001)]);
    // 16 signs differ (Hamming 16) but spread evenly: cosine 0.5.
    const closer = unit([...Array(48).fill(1), ...Array(16).fill(-1)]);
    const small = new SignBitIndex(64, { keepVectors: true });
    small.add(1, sameSigns);
    small.add(2, closer);
    expect(ids(small.search(query, 1, { candidates: 1 }))).toEqual([1]);
    expect(ids(small.search(query, 1, { candidates: 2 }))).toEqual([2]);
    expect(ids(small.search(query, 2))).toEqual([2, 1]);
  });

  // 100: the last word is partly padding; 1100: more words than one popcount batch (31) holds.
  it.each([100, 1100])("takes exactly the nearest codes at dim %i, ties at the cut-off in insertion order", (dim) => {
    // With k = candidates every candidate comes back, so the result set is the candidate set.
    const data = randomUnitVectors(2000, dim, 11);
    const small = buildIndex(data, dim);
    const probes = randomUnitVectors(5, dim, 12);
    probes.set(
      row(data, dim, 0).map((x) => -x),
      0,
    ); // antipodal to row 0: every bit differs
    for (let p = 0; p < 5; p++) {
      const query = row(probes, dim, p);
      const hamming = Array.from({ length: 2000 }, (_, i) => {
        let d = 0;
        for (let j = 0; j < dim; j++) if (data[i * dim + j] > 0 !== query[j] > 0) d++;
        return { i, d };
      }).sort((a, b) => a.d - b.d || a.i - b.i);
      for (const c of [1, 7, 64, 300]) {
        const expected = hamming
          .slice(0, c)
          .map((h) => h.i)
          .sort((a, b) => a - b);
        expect(ids(small.search(query, c, { candidates: c })).sort((a, b) => a - b)).toEqual(expected);
      }
    }
    // Row 0 is the farthest from its antipode: the last one in, and only when everything is a candidate.
    expect(ids(small.search(row(probes, dim, 0), 1999, { candidates: 1999 }))).not.toContain(0);
    expect(ids(small.search(row(probes, dim, 0), 2000, { candidates: 2000 }))).toContain(0);
  });

  it("keeps recall on anisotropic data when codes are centred on the corpus mean", () => {
    // A shared direction in every vector, as real embedding models have, wastes raw sign bits.
    const skewed = clusteredUnitVectors(n, DIM, { clusters: 50, seed: 42, common: 1 }).vectors;
    const skewedQueries = queriesNear(skewed, DIM, 50, 0.5, 43);
    const raw = buildIndex(skewed, DIM);
    const centred = new SignBitIndex(DIM, { keepVectors: true, center: meanVector(skewed, DIM) });
    for (let i = 0; i < n; i++) centred.add(i, row(skewed, DIM, i));
    const meanRecall = (index: SignBitIndex, candidates: number) =>
      skewedQueries.reduce((sum, q) => sum + recall(index.search(q, 10, { candidates }), exactSearch(skewed, rowIds, DIM, q, 10)), 0) /
      skewedQueries.length;
    expect(meanRecall(centred, 200)).toBeGreaterThan(meanRecall(raw, 200));
    expect(meanRecall(centred, 400)).toBeGreaterThanOrEqual(0.95);
    // Centring changes only the codes: scores are still raw cosines.
    const q = skewedQueries[0];
    expect(centred.search(q, 10, { candidates: n })).toEqual(exactSearch(skewed, rowIds, DIM, q, 10));
    expect(() => new SignBitIndex(DIM, { center: new Float32Array(3) })).toThrow(/dimensions/);
  });

  it("re-ranks with resident int8 copies: scores within 0.002 of the cosines, recall as with floats", () => {
    const n = 3000;
    const { vectors } = clusteredUnitVectors(n, DIM, { clusters: 60, seed: 21 });
    const floats = buildIndex(vectors, DIM, true);
    const int8 = new SignBitIndex(DIM, { keepInt8: true, initialCapacity: 16 }); // forces growth
    for (let i = 0; i < n; i++) int8.add(i, row(vectors, DIM, i));
    expect(int8.keepInt8).toBe(true);
    expect(int8.bytesPerVector).toBe(64 + 4 + 2 + 4 + DIM + 4);
    const rowIds = Array.from({ length: n }, (_, i) => i);
    let recallSum = 0;
    const queries = queriesNear(vectors, DIM, 30, 0.5, 22);
    for (const q of queries) {
      const truth = exactSearch(vectors, rowIds, DIM, q, 10);
      const approx = int8.search(q, 10, { candidates: 400 });
      const exact = floats.search(q, 10, { candidates: 400 });
      recallSum += recall(approx, truth);
      // Same candidates, near-equal scores: the int8 scores are cosines to within rounding.
      for (const h of approx) {
        let s = 0;
        for (let j = 0; j < DIM; j++) s += vectors[h.id * DIM + j] * q[j];
        expect(Math.abs(h.score - s)).toBeLessThan(0.002);
      }
      expect(recall(approx, exact)).toBeGreaterThanOrEqual(0.9);
    }
    expect(recallSum / queries.length).toBeGreaterThanOrEqual(0.95);
    // Remove swaps the last slot's int8 copy and scale in: the moved id still finds itself.
    int8.remove(5);
    const [self] = int8.search(row(vectors, DIM, n - 1), 1, { candidates: 50 });
    expect(self.id).toBe(n - 1);
    expect(self.score).toBeCloseTo(1, 2);
    // Floats win when both are asked for; no fetchVectors needed with int8.
    expect(new SignBitIndex(8, { keepVectors: true, keepInt8: true }).keepInt8).toBe(false);
  });

  it("quantises the offset from the centre when given one: smaller int8 error on anisotropic data", () => {
    const n = 2000;
    const skewed = clusteredUnitVectors(n, DIM, { clusters: 40, seed: 31, common: 1 }).vectors;
    const center = meanVector(skewed, DIM);
    const plain = new SignBitIndex(DIM, { keepInt8: true });
    const centred = new SignBitIndex(DIM, { keepInt8: true, center });
    for (let i = 0; i < n; i++) {
      plain.add(i, row(skewed, DIM, i));
      centred.add(i, row(skewed, DIM, i));
    }
    const worst = (index: SignBitIndex) => {
      let max = 0;
      for (const q of queriesNear(skewed, DIM, 20, 0.5, 32)) {
        for (const h of index.search(q, 50, { candidates: n })) {
          let s = 0;
          for (let j = 0; j < DIM; j++) s += skewed[h.id * DIM + j] * q[j];
          max = Math.max(max, Math.abs(h.score - s));
        }
      }
      return max;
    };
    const [plainError, centredError] = [worst(plain), worst(centred)];
    expect(centredError).toBeLessThan(0.002);
    expect(centredError).toBeLessThan(plainError);
  });

  it("adds, replaces and removes by id", () => {
    const dim = 32;
    const data = randomUnitVectors(100, dim, 5);
    const small = new SignBitIndex(dim, { keepVectors: true, initialCapacity: 16 }); // forces growth
    for (let i = 0; i < 100; i++) small.add(1000 + i, row(data, dim, i));
    expect(small.size).toBe(100);
    const exactAll = (q: Float32Array) => small.search(q, 1, { candidates: 100 });

    // Each vector finds itself with score 1 after growth.
    for (const i of [0, 15, 16, 99]) {
      const [hit] = exactAll(row(data, dim, i));
      expect(hit.id).toBe(1000 + i);
      expect(hit.score).toBeCloseTo(1, 5);
    }

    // Replacing keeps the size and moves the id to its new vector.
    small.add(1005, row(data, dim, 60));
    expect(small.size).toBe(100);
    const top2 = small.search(row(data, dim, 60), 2, { candidates: 100 });
    expect(ids(top2).sort()).toEqual([1005, 1060]);
    expect(exactAll(row(data, dim, 5))[0].id).not.toBe(1005);

    // Removing from the middle moves the last slot into the hole; the moved id still works.
    expect(small.remove(1010)).toBe(true);
    expect(small.remove(1010)).toBe(false);
    expect(small.has(1010)).toBe(false);
    expect(small.size).toBe(99);
    expect(exactAll(row(data, dim, 10))[0].id).not.toBe(1010);
    const [moved] = exactAll(row(data, dim, 99));
    expect(moved.id).toBe(1099);
    expect(moved.score).toBeCloseTo(1, 5);
    expect(small.search(row(data, dim, 0), 200, { candidates: 200 })).toHaveLength(99);
    // The moved id can still be replaced in place.
    small.add(1099, row(data, dim, 50));
    expect(small.size).toBe(99);
    expect(ids(small.search(row(data, dim, 50), 2, { candidates: 100 })).sort()).toEqual([1050, 1099]);

    // Removing the last slot, then re-adding, is fine too.
    expect(small.remove(1099)).toBe(true);
    small.add(1099, row(data, dim, 99));
    expect(exactAll(row(data, dim, 99))[0].id).toBe(1099);

    for (let i = 0; i < 100; i++) small.remove(1000 + i);
    expect(small.size).toBe(0);
    expect(small.search(row(data, dim, 0), 5)).toEqual([]);
  });

  it("rejects vectors of the wrong size and ids that are not int32", () => {
    const small = new SignBitIndex(8, { keepVectors: true });
    expect(() => small.add(1, new Float32Array(9))).toThrow(/dimensions/);
    expect(() => small.add(2 ** 31, new Float32Array(8))).toThrow(/int32/);
    expect(() => small.add(1.5, new Float32Array(8))).toThrow(/int32/);
    expect(() => small.search(new Float32Array(7), 1)).toThrow(/dimensions/);
  });

  it("leaves out ids the filter rejects", () => {
    const odd = (id: number) => id % 2 === 1;
    const oddIds = Int32Array.from({ length: n / 2 }, (_, i) => 2 * i + 1);
    const oddVectors = new Float32Array(oddIds.length * DIM);
    oddIds.forEach((id, i) => oddVectors.set(row(vectors, DIM, id), i * DIM));
    let total = 0;
    for (const query of queries.slice(0, 20)) {
      const found = index.search(query, 10, { filter: odd });
      expect(found).toHaveLength(10);
      expect(found.every((h) => odd(h.id))).toBe(true);
      total += recall(found, exactSearch(oddVectors, oddIds, DIM, query, 10));
    }
    expect(total / 20).toBeGreaterThanOrEqual(0.95);
  });

  it("widens the candidate search when the filter rejects most ids", () => {
    // 50 allowed ids out of 5,000: every allowed id is reached, so the answer is exact.
    const allowed = Int32Array.from({ length: 50 }, (_, i) => i * 100 + 7);
    const allowedSet = new Set(allowed);
    const allowedVectors = new Float32Array(allowed.length * DIM);
    allowed.forEach((id, i) => allowedVectors.set(row(vectors, DIM, id), i * DIM));
    let calls = 0;
    const filter = (id: number) => {
      calls++;
      return allowedSet.has(id);
    };
    const query = queries[0];
    expect(index.search(query, 10, { filter })).toEqual(exactSearch(allowedVectors, allowed, DIM, query, 10));
    expect(calls).toBeLessThanOrEqual(n); // each slot is offered to the filter at most once
    expect(index.search(query, 10, { filter: () => false })).toEqual([]);
  });

  it("re-ranks with fetched vectors exactly as with resident ones", () => {
    const codesOnly = buildIndex(vectors, DIM, false);
    expect(() => codesOnly.search(queries[0], 10)).toThrow(/fetchVectors/);
    const requested: number[][] = [];
    const fetchVectors = (wanted: number[]) => {
      requested.push(wanted);
      return new Map(wanted.map((id) => [id, vectors.subarray(id * DIM, id * DIM + DIM)]));
    };
    for (const query of queries.slice(0, 10)) {
      expect(codesOnly.search(query, 10, { fetchVectors })).toEqual(index.search(query, 10));
    }
    expect(requested.every((r) => r.length === 400)).toBe(true);

    // Ids the store no longer has are dropped rather than scored.
    const top = index.search(queries[0], 10);
    const gone = new Set([top[0].id, top[1].id]);
    const partial = (wanted: number[]) => {
      const found = fetchVectors(wanted);
      for (const id of gone) found.delete(id);
      return found;
    };
    const withoutGone = codesOnly.search(queries[0], 10, { fetchVectors: partial });
    expect(withoutGone).toHaveLength(10);
    expect(withoutGone.some((h) => gone.has(h.id))).toBe(false);
  });
});
