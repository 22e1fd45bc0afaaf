import { describe, expect, it } from "vitest";
import { FEATURE_NAMES, POSITION_FEATURE } from "./features";
import { mulberry32, sigmoid } from "./learn/index";
import {
  compileBundle,
  compileBundleBatch,
  featureColumns,
  gradeOf,
  labelsOf,
  shouldReplace,
  splitByQuery,
  trainRanker,
  VALUE_WEIGHTS,
  type LoggedList,
} from "./ranker";

const col = (name: string) => FEATURE_NAMES.indexOf(name);

/**
 * A logged world: each list shows 10 cards in the old ranker's order (by `fusion.ratio`), but what
 * people act on depends on `text.z` (true relevance), and they look at position k with probability
 * 1/(k+1). A model that learns from this log must rank by text.z, not copy the old order.
 */
function world(lists: number, seed: number): LoggedList[] {
  const rand = mulberry32(seed);
  return Array.from({ length: lists }, (_, l) => {
    const cards = Array.from({ length: 10 }, () => {
      const x = new Array<number>(FEATURE_NAMES.length).fill(0);
      const rel = rand() * 2 - 1;
      x[col("text.z")] = rel;
      x[col("fusion.ratio")] = 0.6 * rel + 0.8 * (rand() * 2 - 1); // the old order is a noisy copy
      x[col("vector.cos")] = rand(); // noise
      return { x, rel };
    });
    cards.sort((a, b) => b.x[col("fusion.ratio")]! - a.x[col("fusion.ratio")]!);
    return {
      requestId: `r${seed}-${l}`,
      surface: "search",
      at: 1_700_000_000_000 + l,
      query: `q${l % 300}`,
      items: cards
        .map((c, position) => {
          const actions = new Set<string>();
          if (rand() < 1 / (position + 1)) {
            actions.add("impression");
            if (rand() < sigmoid(3 * c.rel - 1)) {
              actions.add("click");
              if (rand() < sigmoid(3 * c.rel - 1)) actions.add("closeup");
              if (rand() < sigmoid(4 * c.rel - 3)) actions.add("save");
            } else if (rand() < sigmoid(-4 * c.rel - 3)) actions.add("hide");
          }
          return { pinId: position + 1, position, features: c.x, actions };
        })
        // As the app's log reader does: only cards that were seen (an impression or more came back).
        .filter((it) => it.actions.size > 0),
    };
  });
}

describe("labels", () => {
  it("count each action toward the heads it implies, and grade save > close-up > click", () => {
    const it = (a: string[]) => ({ pinId: 1, position: 0, features: [], actions: new Set(a) });
    expect(labelsOf(it(["save"]))).toEqual({ click: 1, closeup: 1, save: 1, hide: 0 });
    expect(labelsOf(it(["readaloud"]))).toEqual({ click: 1, closeup: 1, save: 0, hide: 0 });
    expect(labelsOf(it(["impression", "hide"]))).toEqual({ click: 0, closeup: 0, save: 0, hide: 1 });
    expect([gradeOf(it(["save"])), gradeOf(it(["closeup"])), gradeOf(it(["click"])), gradeOf(it(["hide"]))]).toEqual([3, 2, 1, 0]);
    expect(VALUE_WEIGHTS.save).toBeGreaterThan(VALUE_WEIGHTS.closeup);
    expect(VALUE_WEIGHTS.closeup).toBeGreaterThan(VALUE_WEIGHTS.click);
    expect(VALUE_WEIGHTS.hide).toBeLessThan(0);
  });
});

describe("trainRanker", () => {
  const all = world(1500, 11);
  const { train, valid } = splitByQuery(all);

  it("splits by query: no query on both sides", () => {
    const tq = new Set(train.map((l) => l.query));
    expect(valid.length).toBeGreaterThan(100);
    expect(valid.every((l) => !tq.has(l.query))).toBe(true);
  });

  for (const family of ["gbdt", "linear"] as const) {
    it(`${family}: learns relevance from biased clicks and beats the old order on validation, with calibrated heads`, () => {
      const b = trainRanker(train, valid, { family, seed: 3 });
      expect(b.family).toBe(family);
      expect(Object.keys(b.heads).sort()).toEqual(["click", "closeup", "hide", "save"]);
      expect(b.validation.ndcg10).toBeGreaterThan(b.validation.fusionNdcg10 + 0.03);
      for (const h of ["click", "closeup", "save"] as const) expect(b.validation.ece[h]!).toBeLessThan(0.05);
      // JSON round trip serves the same values
      const f = compileBundle(b)!;
      const g = compileBundle(JSON.parse(JSON.stringify(b)))!;
      const x = valid[0]!.items[0]!.features;
      expect(g(x)).toBe(f(x));
      // served at position 0: a more relevant card is worth more than a less relevant one
      const hi = new Array<number>(FEATURE_NAMES.length).fill(0);
      const lo = hi.slice();
      hi[col("text.z")] = 0.9;
      lo[col("text.z")] = -0.9;
      expect(f(hi)).toBeGreaterThan(f(lo));
      expect(shouldReplace(b, null, { current: null })).toBe(true);
      expect(shouldReplace(b, b, { current: b.validation.ndcg10 })).toBe(false);
    });
  }

  it("uses no ignored feature: masked in training and when served", () => {
    const b = trainRanker(train, valid, { family: "gbdt", ignore: ["text.*"], seed: 3 });
    expect(b.ignored).toEqual(FEATURE_NAMES.filter((n) => n.startsWith("text.")));
    const f = compileBundle(b)!;
    const x = valid[0]!.items[0]!.features.slice();
    const y = x.slice();
    for (const j of featureColumns(["text.*"])) y[j] = 123;
    expect(f(y)).toBe(f(x));
    // without its best feature it cannot be as good as with it
    expect(b.validation.ndcg10).toBeLessThan(trainRanker(train, valid, { family: "gbdt", seed: 3 }).validation.ndcg10);
  });

  it("a bag's value is the mean of its members' values, each member trained with its own seed", () => {
    const small = train.slice(0, 400);
    const bag = trainRanker(small, valid, { family: "gbdt", seed: 5, bag: 3, trees: 30 });
    expect(bag.bag).toHaveLength(2);
    const members = [5, 6, 7].map((seed) => compileBundle(trainRanker(small, valid, { family: "gbdt", seed, trees: 30 }))!);
    const f = compileBundle(bag)!;
    const g = compileBundle(JSON.parse(JSON.stringify(bag)))!;
    for (const l of valid.slice(0, 20))
      for (const it of l.items) {
        const mean = members.reduce((s, m) => s + m(it.features), 0) / members.length;
        expect(f(it.features)).toBeCloseTo(mean, 12);
        expect(g(it.features)).toBe(f(it.features));
      }
    // the members differ (subsampled rows and features), so the bag is not one model three times
    const x = valid[0]!.items[0]!.features;
    expect(new Set(members.map((m) => m(x))).size).toBeGreaterThan(1);
    expect(Object.keys(bag.validation.ece).sort()).toEqual(["click", "closeup", "hide", "save"]);
  });

  it("scores a request's rows at once with exactly the per-row value (single model, linear, masked features, bag)", () => {
    const small = train.slice(0, 400);
    const bundles = [
      trainRanker(small, valid, { family: "gbdt", seed: 3, trees: 40 }),
      trainRanker(small, valid, { family: "linear", seed: 3 }),
      trainRanker(small, valid, { family: "gbdt", seed: 3, trees: 40, ignore: ["text.*"] }),
      trainRanker(small, valid, { family: "gbdt", seed: 5, bag: 3, trees: 20 }),
    ];
    // 4k + 3 rows: the batch walks four rows at a time and the rest one by one; missing values included.
    const rows = valid
      .flatMap((l) => l.items.map((it) => it.features))
      .slice(0, 203)
      .map((x, i) => Array.from(x, (v, j) => ((i + j) % 5 === 0 ? NaN : v)));
    for (const b of bundles) {
      const one = compileBundle(b)!;
      const many = compileBundleBatch(b)!(rows);
      expect(Array.from(many)).toEqual(rows.map((x) => one(x)));
      expect(compileBundleBatch(b)!([])).toHaveLength(0);
    }
  });

  it("skips heads without enough positives, and trains nothing from a log without outcomes", () => {
    const quiet = train.map((l) => ({ ...l, items: l.items.map((i) => ({ ...i, actions: new Set(["impression"]) })) }));
    const b = trainRanker(quiet, valid, { family: "linear" });
    expect(Object.keys(b.heads)).toEqual([]);
    expect(compileBundle(b)).toBeNull();
    expect(shouldReplace(b, null, { current: null })).toBe(false);
  });

  it("treats position as a training-only feature", () => {
    expect(FEATURE_NAMES[POSITION_FEATURE]).toBe("position");
  });
});
