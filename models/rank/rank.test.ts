import { describe, expect, it } from "vitest";
import { fuse, fuseScores, mergeTranslatedMatches, type CandidateLists, type Generator } from "./index";

// Plain versions, written for clarity: the library functions must agree with them.
function plainRrf(lists: CandidateLists, w: Record<Generator, number>, k = 60) {
  const total = new Map<number, number>();
  for (const [g, list] of Object.entries(lists))
    for (const c of list ?? []) total.set(c.id, (total.get(c.id) ?? 0) + w[g as Generator] / (k + c.rank));
  return [...total].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([id]) => id);
}
function plainCombSum(lists: CandidateLists, w: Record<Generator, number>) {
  const total = new Map<number, number>();
  for (const [g, list] of Object.entries(lists)) {
    if (!list?.length) continue;
    const scores = list.map((c) => c.score);
    const lo = g === "vector" ? Math.min(...scores) : Math.min(0, ...scores);
    const hi = Math.max(...scores);
    for (const c of list) total.set(c.id, (total.get(c.id) ?? 0) + w[g as Generator] * (hi > lo ? (c.score - lo) / (hi - lo) : 1));
  }
  return [...total].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([id]) => id);
}

function randomLists(seed: number): CandidateLists {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const list = (n: number) =>
    [...new Set(Array.from({ length: n }, () => Math.floor(rnd() * 40)))]
      .map((id) => ({ id, score: rnd() * 10 }))
      .sort((a, b) => b.score - a.score)
      .map((c, i) => ({ ...c, rank: i + 1 }));
  return { text: list(20), fuzzy: list(5), vector: list(25), interest: list(8) };
}

const W = { text: 1, fuzzy: 0.3, vector: 0.3, interest: 0.15 };

describe("fusion", () => {
  it("weighted RRF agrees with a plain version", () => {
    for (let seed = 1; seed < 30; seed++) expect(fuse(randomLists(seed), W).map((f) => f.id)).toEqual(plainRrf(randomLists(seed), W));
  });

  it("score fusion agrees with a plain CombSUM of normalised scores", () => {
    for (let seed = 1; seed < 30; seed++)
      expect(fuseScores(randomLists(seed), W).map((f) => f.id)).toEqual(plainCombSum(randomLists(seed), W));
  });

  it("keeps which generators found each result", () => {
    const lists: CandidateLists = {
      text: [{ id: 1, score: 5, rank: 1 }],
      vector: [
        { id: 2, score: 0.9, rank: 1 },
        { id: 1, score: 0.5, rank: 2 },
      ],
    };
    const f = fuseScores(lists, W);
    expect(f.find((x) => x.id === 1)!.sources.sort()).toEqual(["text", "vector"]);
    expect(f.find((x) => x.id === 2)!.sources).toEqual(["vector"]);
    expect(f[0]!.id).toBe(1); // a full text match outweighs a vector-only hit
  });

  it("does not zero the last text match: a weaker hit keeps its share", () => {
    const f = fuseScores(
      {
        text: [
          { id: 1, score: 8, rank: 1 },
          { id: 2, score: 2, rank: 2 },
        ],
      },
      W,
    );
    expect(f.map((x) => x.fused)).toEqual([1, 0.25]);
  });

  it("gives full credit to a list of tied scores", () => {
    const f = fuseScores(
      {
        fuzzy: [
          { id: 7, score: 0.4, rank: 1 },
          { id: 8, score: 0.4, rank: 2 },
        ],
      },
      W,
    );
    expect(f.map((x) => x.fused)).toEqual([0.3, 0.3]);
  });
});

describe("mergeTranslatedMatches", () => {
  const own = [
    { id: 1, score: 10 }, // "dog": the English card, by its title and picture description
    { id: 2, score: 4 }, // perro: by its stored English
  ];
  const translated = [
    { id: 2, score: 15 }, // perro: its title is the query's Spanish
    { id: 3, score: 5 }, // chien
  ];

  it("keeps each card's better score, translations scaled so their best equals the own best", () => {
    expect(mergeTranslatedMatches(own, translated)).toEqual([
      { id: 1, score: 10 },
      { id: 2, score: 10 },
      { id: 3, score: 5 * (10 / 15) },
    ]);
  });

  it("agrees with a plain version on random lists", () => {
    const plain = (a: { id: number; score: number }[], b: { id: number; score: number }[]) => {
      const ownBest = a.length ? Math.max(...a.map((x) => x.score)) : 0;
      const bBest = b.length ? Math.max(...b.map((x) => x.score)) : 0;
      const k = a.length && bBest > ownBest ? ownBest / bBest : 1;
      const out: Record<number, number> = {};
      for (const x of a) out[x.id] = out[x.id] === undefined ? x.score : Math.max(out[x.id]!, x.score);
      for (const x of b) out[x.id] = out[x.id] === undefined ? x.score * k : Math.max(out[x.id]!, x.score * k);
      return Object.entries(out)
        .map(([id, score]) => ({ id: Number(id), score }))
        .sort((x, y) => y.score - x.score || x.id - y.id);
    };
    let seed = 7;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let t = 0; t < 200; t++) {
      const list = () => Array.from({ length: Math.floor(rnd() * 8) }, () => ({ id: Math.floor(rnd() * 10), score: rnd() * 20 }));
      const a = list();
      const b = list();
      expect(mergeTranslatedMatches(a, b)).toEqual(plain(a, b));
    }
  });

  it("leaves translations as they are when nothing matched as typed, and never raises them", () => {
    expect(mergeTranslatedMatches([], translated)).toEqual([
      { id: 2, score: 15 },
      { id: 3, score: 5 },
    ]);
    expect(mergeTranslatedMatches([{ id: 9, score: 30 }], translated).map((h) => h.score)).toEqual([30, 15, 5]);
  });
});
