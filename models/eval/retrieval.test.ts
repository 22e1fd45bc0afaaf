import { describe, expect, it } from "vitest";
import { APP_PINNERSAGE, pinnerSage, sampleMedoids, weightedMedoidScore } from "../pinnersage/index";
import { PinnerSageRecommender, SageModel } from "./recommenders";
import { mulberry32, type RecData, type Split } from "./recs";
import {
  evaluateRetrieval,
  hitInList,
  interleave,
  meanAndSe,
  pairedRecall,
  pinnerSageRetrievers,
  recallFromScores,
  topN,
  unionRanked,
  type Retriever,
} from "./retrieval";

// ── Plain, obvious versions to compare with ────────────────────────────────────────────────────────
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
/** Full sort: higher score first, lower index on ties. */
const plainTop = (scores: number[], n: number, exclude: Set<number> = new Set()) =>
  range(scores.length)
    .filter((i) => !exclude.has(i))
    .sort((a, b) => scores[b]! - scores[a]! || a - b)
    .slice(0, n);
function permutations(xs: number[]): number[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}
/** Every ordering of the non-excluded items that is sorted by score is equally likely; P(target in first n). */
function plainRecall(scores: number[], target: number, n: number, exclude: Set<number> = new Set()): number {
  const items = range(scores.length).filter((i) => !exclude.has(i));
  const sorted = permutations(items).filter((p) => p.every((x, k) => k === 0 || scores[p[k - 1]!]! >= scores[x]!));
  return sorted.filter((p) => p.slice(0, n).includes(target)).length / sorted.length;
}

describe("topN", () => {
  it("is the first n of a full sort (ties by lower index), excluded items skipped", () => {
    const rand = mulberry32(5);
    for (let t = 0; t < 50; t++) {
      const scores = range(30).map(() => Math.floor(rand() * 8)); // many ties
      const exclude = new Set(range(30).filter(() => rand() < 0.2));
      for (const n of [0, 1, 5, 29, 40]) expect(topN(scores, n, (i) => exclude.has(i))).toEqual(plainTop(scores, n, exclude));
    }
    expect(topN([0.5, NaN, 0.9], 3)).toEqual([2, 0, 1]);
  });
});

describe("recallFromScores", () => {
  it("is the chance the target is in the top n under a random tie-break", () => {
    const scores = [0.3, 0.9, 0.3, 0.3, 0.1, 0.3];
    for (const n of [1, 2, 3, 4, 5]) {
      expect(recallFromScores(scores, 2, [n])[0]).toBeCloseTo(plainRecall(scores, 2, n), 12);
      expect(recallFromScores(scores, 2, [n], (i) => i === 1)[0]).toBeCloseTo(plainRecall(scores, 2, n, new Set([1])), 12);
    }
    // By hand: one item above, three others tied with it: position 1..4 uniformly; top 2 → 1/4.
    expect(recallFromScores(scores, 2, [2, 5, 1])).toEqual([0.25, 1, 0]);
    expect(recallFromScores(scores, 4, [5, 6])).toEqual([0, 1]); // five items above it
    expect(recallFromScores(scores, 4, [6], (i) => i === 4)).toEqual([0]); // an excluded target is never retrieved
  });
});

describe("list merging as the app does it", () => {
  it("interleave takes round by round, each item once", () => {
    expect(
      interleave([
        [1, 2, 3],
        [2, 4],
        [5, 1, 6, 7],
      ]),
    ).toEqual([1, 2, 5, 4, 3, 6, 7]);
    expect(
      interleave(
        [
          [1, 2, 3],
          [2, 4],
          [5, 1, 6, 7],
        ],
        4,
      ),
    ).toEqual([1, 2, 5, 4]);
    expect(interleave([])).toEqual([]);
  });
  it("unionRanked: every listed item once, by score then id, first n", () => {
    const s = [0, 0.5, 0.9, 0.5, 0.1, 0.7, 0.2];
    const lists = [
      [1, 2, 3],
      [3, 4],
      [5, 1, 6],
    ];
    const plain = [...new Set(lists.flat())].sort((a, b) => s[b]! - s[a]! || a - b);
    expect(unionRanked(lists, (i) => s[i]!, 4)).toEqual(plain.slice(0, 4));
    expect(unionRanked(lists, (i) => s[i]!, 4)).toEqual([2, 5, 1, 3]);
  });
  it("hitInList looks at the first n entries only", () => {
    expect(hitInList([4, 7, 9], 9, 3)).toBe(1);
    expect(hitInList([4, 7, 9], 9, 2)).toBe(0);
  });
});

describe("evaluateRetrieval and pairedRecall", () => {
  // 3 people, 6 items; held out: person 0 → item 5, person 1 → none, person 2 → item 0.
  const split = { heldOut: Int32Array.from([5, -1, 0]) } as unknown as Split;
  const scores: Retriever = { name: "scores", scores: () => [0.1, 0.5, 0.5, 0.2, 0.9, 0.5] };
  // A list that depends on the seed: seed 1 retrieves [5, 0], seed 2 [0, 5]; n cuts it.
  const lists: Retriever = { name: "lists", lists: (_u, n, seed) => (seed === 1 ? [5, 0] : [0, 5]).slice(0, n) };
  const excludedOf = (u: number) => (i: number) => u === 0 && i === 4; // person 0 rated item 4 in training
  const r = evaluateRetrieval([scores, lists], split, [1, 2], [1, 2], excludedOf);
  it("averages hits over people, then over seeds", () => {
    // scores, person 0: item 4 excluded, item 5 tied with 1 and 2 → P(top1) = 1/3, P(top2) = 2/3;
    // person 2: item 0 is last of 6 → 0.
    expect(r.scores!.recall[0]).toBeCloseTo((1 / 3 + 0) / 2, 12);
    expect(r.scores!.recall[1]).toBeCloseTo((2 / 3 + 0) / 2, 12);
    // lists at n = 1: seed 1 hits person 0, seed 2 hits person 2 → 0.5 each seed; n = 2: both, 1.
    expect(r.lists!.perSeed.map((p) => p.recall)).toEqual([
      [0.5, 1],
      [0.5, 1],
    ]);
    expect(Array.from(r.lists!.perUser[0]!)).toEqual([0.5, 0.5]);
  });
  it("pairs per person with a standard error", () => {
    const d = pairedRecall(r.lists!, r.scores!);
    // n = 1 per person: 0.5 − 1/3, 0.5 − 0.
    const xs = [0.5 - 1 / 3, 0.5];
    const m = (xs[0]! + xs[1]!) / 2;
    const se = Math.sqrt(((xs[0]! - m) ** 2 + (xs[1]! - m) ** 2) / 1 / 2);
    expect(d.perUser[0]!.mean).toBeCloseTo(m, 12);
    expect(d.perUser[0]!.se).toBeCloseTo(se, 12);
    expect(d.perSeed[0]!.diff[1]).toBeCloseTo(1 - 1 / 3, 12);
    expect(meanAndSe([2])).toEqual({ mean: 2, se: 0 });
  });
});

describe("PinnerSage retrieval on a trained model", () => {
  // Two taste groups over 12 items (as recommenders.test.ts); a tight cut so people have several clusters.
  const train: RecData["train"] = [];
  for (let u = 0; u < 8; u++) {
    const base = u < 4 ? 0 : 5;
    for (let k = 0; k < 5; k++) if (!(u === 0 && k === 4)) train.push({ user: u, item: base + k, t: 1000 + k * 60, weight: 1 + k });
  }
  const data: RecData = { users: 8, items: 12, train };
  const content = range(12).map((i) => {
    const v = new Float32Array(8);
    v[i < 5 ? 0 : 1] = 1;
    v[2 + (i % 6)] = 0.3 + 0.05 * i;
    return v;
  });
  const sage = new SageModel(() => content, { pinsage: { epochs: 1, hidden: 8, walkSteps: 200, seed: 1 } });
  const opts = { lambda: APP_PINNERSAGE.lambda, threshold: 0.05, centre: true, maxClusters: APP_PINNERSAGE.maxClusters };
  const clusters = new PinnerSageRecommender(sage, { ...opts, sample: Infinity });
  clusters.fit(data);
  const [app, inter, all, global] = pinnerSageRetrievers(sage, clusters, { sample: 2, centre: true });

  const rawCos = (i: number, j: number) => sage.sim(i, sage.vector(j));
  const plain = (u: number, n: number, seed: number, rankThreshold = opts.threshold) => {
    const cs = pinnerSage(sage.engaged(u, true), { lambda: opts.lambda, threshold: opts.threshold }).slice(0, opts.maxClusters);
    const rs = pinnerSage(sage.engaged(u, true), { lambda: opts.lambda, threshold: rankThreshold }).slice(0, opts.maxClusters);
    const rated = new Set(sage.hist[u]!.items);
    const nearest = (m: number) =>
      range(12)
        .filter((i) => !rated.has(i))
        .sort((a, b) => rawCos(b, m) - rawCos(a, m) || a - b)
        .slice(0, n);
    const picked = sampleMedoids(cs, 2, mulberry32(seed * 7919 + u));
    const medoids = rs.map((c) => ({ vector: sage.vector(c.medoid, true), importance: c.importance }));
    const ws = (i: number) => weightedMedoidScore(sage.vector(i, true), medoids);
    const union = [...new Set(picked.flatMap((c) => nearest(c.medoid)))];
    const roundRobin = (ls: number[][]) => {
      const out: number[] = [];
      for (let r = 0; r < n; r++) for (const l of ls) if (l[r] !== undefined && !out.includes(l[r]!)) out.push(l[r]!);
      return out.slice(0, n);
    };
    return {
      clusters: cs,
      ranking: rs,
      app: union.sort((a, b) => ws(b) - ws(a) || a - b).slice(0, n),
      interleave: roundRobin(picked.map((c) => nearest(c.medoid))),
      all: roundRobin(cs.map((c) => nearest(c.medoid))),
      ws,
      rated,
    };
  };

  it("pinnersage: n nearest per sampled medoid (raw vectors), union ranked by every medoid (centred), first n", () => {
    const p4 = plain(4, 3, 1);
    expect(p4.clusters.length).toBeGreaterThan(2); // sampling 2 of them actually chooses
    for (const u of [0, 2, 4, 6]) {
      const excluded = (i: number) => sage.hist[u]!.items.includes(i);
      for (const seed of [1, 2, 3, 4, 5]) {
        for (const n of [1, 3, 5]) {
          const p = plain(u, n, seed);
          expect(app!.lists!(u, n, seed, excluded), `${u} ${seed} ${n}`).toEqual(p.app);
          expect(inter!.lists!(u, n, seed, excluded)).toEqual(p.interleave);
          expect(all!.lists!(u, n, seed, excluded)).toEqual(p.all);
          for (const i of p.app) expect(p.rated.has(i)).toBe(false);
        }
      }
      const g = global!.scores!(u);
      const p = plain(u, 1, 1);
      range(12).forEach((i) => expect(g[i]!).toBeCloseTo(p.ws(i), 6));
    }
  });

  it("with a separate ranking cut: the same sampled lists, the union ranked by that cut's medoids", () => {
    // The app's ranking cut is the finer one; here a coarser one, since people already have near-single
    // clusters at this test's interest cut. The wiring under test is the same: lists from `clusters`,
    // ranking by `ranking`'s medoids.
    const cut = 2;
    const ranking = new PinnerSageRecommender(sage, { ...opts, threshold: cut, sample: Infinity });
    ranking.fit(data);
    const [app2, , , global2] = pinnerSageRetrievers(sage, clusters, { sample: 2, centre: true, ranking });
    let differs = false;
    for (const u of [0, 2, 4, 6]) {
      const excluded = (i: number) => sage.hist[u]!.items.includes(i);
      const p = plain(u, 3, 1, cut);
      differs ||= p.ranking.length !== p.clusters.length;
      for (const seed of [1, 2, 3])
        for (const n of [1, 3, 5]) expect(app2!.lists!(u, n, seed, excluded)).toEqual(plain(u, n, seed, cut).app);
      const g = global2!.scores!(u);
      range(12).forEach((i) => expect(g[i]!).toBeCloseTo(p.ws(i), 6));
    }
    expect(differs).toBe(true); // the two cuts do differ for someone here
  });
});
