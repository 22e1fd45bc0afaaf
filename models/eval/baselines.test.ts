import { describe, expect, it } from "vitest";
import { Ease, ItemKnn, Popularity, RandomWalkRestart, spdInverse } from "./baselines";
import type { RecData } from "./recs";

// 4 users × 5 items, binary:
//        i0 i1 i2 i3 i4
//   u0    1  1  0  0  0
//   u1    1  1  1  0  0
//   u2    0  1  1  1  0
//   u3    0  0  0  1  1
const X = [
  [1, 1, 0, 0, 0],
  [1, 1, 1, 0, 0],
  [0, 1, 1, 1, 0],
  [0, 0, 0, 1, 1],
];
const data: RecData = {
  users: 4,
  items: 5,
  train: X.flatMap((row, u) => row.flatMap((x, i) => (x ? [{ user: u, item: i, t: i, weight: 3 }] : []))),
};
const all = Uint32Array.from([0, 1, 2, 3, 4]);

/** Plain Gauss–Jordan with partial pivoting on number[][] — the obviously correct reference. */
function inverse(a: number[][]): number[][] {
  const n = a.length;
  const m = a.map((r, i) => [...r, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const d = m[c]![c]!;
    m[c] = m[c]!.map((v) => v / d);
    for (let r = 0; r < n; r++) if (r !== c) m[r] = m[r]!.map((v, j) => v - m[r]![c]! * m[c]![j]!);
  }
  return m.map((r) => r.slice(n));
}

describe("Popularity", () => {
  it("scores items by their number of users", () => {
    const p = new Popularity();
    p.fit(data);
    expect([...p.score(0, all)]).toEqual([2, 3, 2, 2, 1]);
  });
});

describe("ItemKnn", () => {
  it("sums cosine similarities on the binary matrix to the user's items", () => {
    const knn = new ItemKnn();
    knn.fit(data);
    const col = (i: number) => X.map((r) => r[i]!);
    const cos = (a: number, b: number) => {
      const x = col(a);
      const y = col(b);
      const dot = x.reduce((s, v, k) => s + v * y[k]!, 0);
      return dot / Math.sqrt(x.reduce((s, v) => s + v, 0) * y.reduce((s, v) => s + v, 0));
    };
    const s = knn.score(0, all);
    for (let i = 0; i < 5; i++) expect(s[i]).toBeCloseTo(cos(i, 0) + cos(i, 1), 12);
    // u0 likes i0 and i1: i2 (shares users with both) beats i4 (shares none)
    expect(s[2]!).toBeGreaterThan(s[4]!);
    expect(s[4]).toBe(0);
  });
});

describe("RandomWalkRestart", () => {
  it("matches the stationary distribution of the explicit transition matrix", () => {
    const a = 0.3;
    const rwr = new RandomWalkRestart(a, 200);
    rwr.fit(data);
    // Nodes: users 0..3, items 4..8. Power iteration on the dense matrix.
    const n = 9;
    const P = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    X.forEach((row, u) => {
      const du = row.reduce((s, v) => s + v, 0);
      row.forEach((x, i) => {
        if (!x) return;
        const di = X.reduce((s, r) => s + r[i]!, 0);
        P[u]![4 + i] = 1 / du;
        P[4 + i]![u] = 1 / di;
      });
    });
    let x = new Array<number>(n).fill(0);
    x[1] = 1;
    for (let it = 0; it < 500; it++) {
      const next = new Array<number>(n).fill(0);
      next[1] = a;
      for (let s = 0; s < n; s++) for (let t = 0; t < n; t++) next[t]! += (1 - a) * x[s]! * P[s]![t]!;
      x = next;
    }
    const got = rwr.score(1, all);
    for (let i = 0; i < 5; i++) expect(got[i]).toBeCloseTo(x[4 + i]!, 9);
  });
});

describe("spdInverse", () => {
  it("inverts a symmetric positive-definite matrix", () => {
    const a = [
      [4, 1, 2],
      [1, 3, 0.5],
      [2, 0.5, 5],
    ];
    const inv = spdInverse(Float64Array.from(a.flat()), 3);
    const ref = inverse(a).flat();
    for (let k = 0; k < 9; k++) expect(inv[k]).toBeCloseTo(ref[k]!, 12);
  });
});

describe("Ease", () => {
  const lambda = 2;
  // Reference: B = I − P·diag(1/diag P), P = (XᵀX + λI)⁻¹, scores = X B.
  const G = Array.from({ length: 5 }, (_, i) =>
    Array.from({ length: 5 }, (_, j) => X.reduce((s, r) => s + r[i]! * r[j]!, 0) + (i === j ? lambda : 0)),
  );
  const P = inverse(G);
  const B = P.map((row, i) => row.map((_, j) => (i === j ? 0 : -P[i]![j]! / P[j]![j]!)));
  const ref = X.map((x) => Array.from({ length: 5 }, (_, j) => x.reduce((s, v, i) => s + v * B[i]![j]!, 0)));

  it("the users-space (Woodbury) form equals the closed form, seen items included (B has a zero diagonal)", () => {
    // 4 users < 5 items: the users × users path.
    const e = new Ease(lambda);
    e.fit(data);
    for (let u = 0; u < 4; u++) {
      const s = e.score(u, all);
      for (let i = 0; i < 5; i++) expect(s[i]).toBeCloseTo(ref[u]![i]!, 9);
    }
  });

  it("the item-space form equals the closed form", () => {
    // More users (8) than items (5) takes the item–item path.
    const more: RecData = { ...data, users: 8, train: [...data.train] };
    for (let u = 4; u < 8; u++) more.train.push({ user: u, item: 4, t: 0, weight: 1 });
    const Xm = [...X, [0, 0, 0, 0, 1], [0, 0, 0, 0, 1], [0, 0, 0, 0, 1], [0, 0, 0, 0, 1]];
    const Gm = Array.from({ length: 5 }, (_, i) =>
      Array.from({ length: 5 }, (_, j) => Xm.reduce((s, r) => s + r[i]! * r[j]!, 0) + (i === j ? lambda : 0)),
    );
    const Pm = inverse(Gm);
    const e = new Ease(lambda);
    e.fit(more);
    for (let u = 0; u < 4; u++) {
      const s = e.score(u, all);
      for (let j = 0; j < 5; j++) {
        const want = Xm[u]!.reduce((acc, v, i) => acc + v * (i === j ? 0 : -Pm[i]![j]! / Pm[j]![j]!), 0);
        expect(s[j]).toBeCloseTo(want, 9);
      }
    }
  });
});

describe("Ease with recency weights", () => {
  it("equals the closed form read with the weighted user row", () => {
    const lambda = 2;
    const e = new Ease(lambda, 6000, { halfLife: 1, boost: 2 });
    e.fit(data); // items of each user have times 0..4 = their index: the latest is the highest index
    const G = Array.from({ length: 5 }, (_, i) =>
      Array.from({ length: 5 }, (_, j) => X.reduce((s, r) => s + r[i]! * r[j]!, 0) + (i === j ? lambda : 0)),
    );
    const P = inverse(G);
    const B = P.map((row, i) => row.map((_, j) => (i === j ? 0 : -P[i]![j]! / P[j]![j]!)));
    for (let u = 0; u < 4; u++) {
      const items = X[u]!.flatMap((x, i) => (x ? [i] : []));
      const w = new Array<number>(5).fill(0);
      items.forEach((i, k) => (w[i] = 1 + 2 * Math.pow(0.5, items.length - 1 - k)));
      const s = e.score(u, all);
      for (let j = 0; j < 5; j++)
        expect(s[j]).toBeCloseTo(
          w.reduce((acc, v, i) => acc + v * B[i]![j]!, 0),
          9,
        );
    }
  });
});
