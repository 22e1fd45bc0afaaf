import { describe, expect, it } from "vitest";
import { normalise } from "./blend";
import { buildTrainingLists, cutAt, featureNames, LearnedRecommender, orderedItems, type BaseFactory } from "./learned";
import { evaluate, leaveLastOut, mulberry32, type Interaction, type RatingsFile, type RecData, type Recommender } from "./recs";
import { Popularity } from "./baselines";

/** `users` people, each rating `per` distinct items of `items`, drawn ∝ exp(score(i)), one per minute. */
function synthetic(users: number, items: number, per: number, seed: number, weightOf: (i: number) => number = () => 1): RatingsFile {
  const rand = mulberry32(seed);
  const rows: Interaction[] = [];
  const w = Array.from({ length: items }, (_, i) => weightOf(i));
  const total = w.reduce((a, b) => a + b, 0);
  for (let u = 0; u < users; u++) {
    const picked = new Set<number>();
    while (picked.size < per) {
      let r = rand() * total;
      let i = 0;
      while (i < items - 1 && (r -= w[i]!) > 0) i++;
      if (picked.has(i)) continue;
      picked.add(i);
      rows.push({ user: u, item: i, t: 1_000_000 + u * 7 + picked.size * 60, weight: 1 + (i % 5) });
    }
  }
  return {
    userIds: Array.from({ length: users }, (_, u) => `u${u}`),
    itemIds: Array.from({ length: items }, (_, i) => `i${i}`),
    rows,
    touchedOnly: [],
    errors: [],
    format: "movielens",
  };
}

/** A base method that remembers every data set it was fitted on, and scores 1 for items the person has in it. */
class Spy implements Recommender {
  readonly name = "spy";
  fits: RecData[] = [];
  private has = new Set<string>();
  fit(data: RecData): void {
    this.fits.push(data);
    this.has = new Set(data.train.map((r) => `${r.user}:${r.item}`));
  }
  score(user: number, items: Uint32Array): Float64Array {
    return Float64Array.from(items, (i) => (this.has.has(`${user}:${i}`) ? 1 : 0));
  }
}

const gbdt = {
  kind: "gbdt" as const,
  params: { objective: "lambdarank" as const, trees: 30, depth: 3, learningRate: 0.1, minLeaf: 20, seed: 1 },
};

describe("cutAt", () => {
  it("matches a plain per-person version: holds out the (c+1)-th latest item and drops it and everything after", () => {
    const split = leaveLastOut(synthetic(30, 60, 8, 3), 0);
    const data = split.data;
    for (const c of [0, 1, 3, 6, 7]) {
      const cut = cutAt(data, c);
      for (let u = 0; u < data.users; u++) {
        // Plain: this person's rows sorted by time, distinct items in order of first appearance.
        const mine = data.train.filter((r) => r.user === u).sort((a, b) => a.t - b.t);
        const items = [...new Set(mine.map((r) => r.item))];
        const expectHeld = items.length >= c + 2 ? items[items.length - c - 1]! : -1;
        expect(cut.heldOut[u]).toBe(expectHeld);
        const kept = cut.data.train.filter((r) => r.user === u).map((r) => r.item);
        if (expectHeld >= 0) expect(kept).toEqual(items.slice(0, items.length - c - 1));
      }
    }
  });
});

describe("training lists", () => {
  it("are built as a plain version builds them: held-out item first, untouched distinct negatives, features from that cut's fit", async () => {
    const data = leaveLastOut(
      synthetic(25, 80, 7, 5, (i) => 1 + (i % 7)),
      0,
    ).data;
    const built = await buildTrainingLists(data, { cuts: 3, bases: () => [new Popularity()] });
    expect(built.featureNames).toEqual(featureNames(["popularity"]));
    const ordered = orderedItems(data);
    expect(built.lists.length).toBe(25 * 3);
    for (const l of built.lists) {
      const items = ordered[l.user]!;
      expect(l.items[0]).toBe(items[items.length - l.cut - 1]);
      expect(l.y).toEqual(Array.from(l.items, (_, k) => (k === 0 ? 1 : 0)));
      expect(l.items.length).toBe(Math.min(100, 80 - items.length + 1));
      expect(new Set(l.items).size).toBe(l.items.length);
      for (const i of Array.from(l.items).slice(1)) expect(items.includes(i)).toBe(false);
      // Plain popularity at that cut: distinct people with the item among rows before their own cut.
      const plainPop = Array.from(l.items, (i) => {
        let n = 0;
        for (let v = 0; v < data.users; v++) {
          const o = ordered[v]!;
          const keep = o.length >= l.cut + 2 ? o.slice(0, o.length - l.cut - 1) : o.slice(0, Math.max(1, o.length - l.cut - 1));
          if (keep.includes(i)) n++;
        }
        return n;
      });
      const z = normalise(Float64Array.from(plainPop), "z");
      const rank = normalise(Float64Array.from(plainPop), "rank");
      l.x.forEach((row, k) => {
        expect(row[0]).toBeCloseTo(z[k]!, 12);
        expect(row[1]).toBeCloseTo(rank[k]!, 12);
        expect(row[2]).toBeCloseTo(Math.log1p(plainPop[k]!), 12);
        expect(row[featureNames(["popularity"]).indexOf("pop:log")]).toBeCloseTo(Math.log1p(plainPop[k]!), 12);
      });
    }
  });

  it("never lets a list's held-out item (or any later item of ANY person) into the fit that scores it", async () => {
    const file = synthetic(30, 70, 9, 9);
    const split = leaveLastOut(file, 0);
    const spy = new Spy();
    const bases: BaseFactory = () => [spy, new Popularity()];
    const built = await buildTrainingLists(split.data, { cuts: 4, bases });
    expect(spy.fits.length).toBe(4);
    const ordered = orderedItems(split.data);
    spy.fits.forEach((fit, c) => {
      const rows = new Set(fit.train.map((r) => `${r.user}:${r.item}`));
      for (let u = 0; u < split.data.users; u++) {
        const o = ordered[u]!;
        for (const later of o.slice(o.length - c - 1)) expect(rows.has(`${u}:${later}`)).toBe(false);
      }
    });
    // The spy's raw score (1 = "in the fit") is 0 for every held-out item: a leak would show here.
    for (const l of built.lists) expect(l.x[0]![2]).toBe(0);
  });

  it("never fits anything on the evaluated item: evaluate() through LearnedRecommender", async () => {
    const file = synthetic(30, 70, 9, 11);
    const split = leaveLastOut(file, 0);
    const spy = new Spy();
    const learned = new LearnedRecommender({ cuts: 3, bases: () => [spy, new Popularity()], model: gbdt });
    await evaluate([learned], split, [1]);
    expect(spy.fits.length).toBe(4); // 3 cuts + the final fit on the split's training data
    for (const fit of spy.fits) {
      const rows = new Set(fit.train.map((r) => `${r.user}:${r.item}`));
      split.heldOut.forEach((i, u) => i >= 0 && expect(rows.has(`${u}:${i}`)).toBe(false));
    }
  });
});

/** Scores an item by a fixed attribute, with the person ignored: a weak signal on its own. */
class Attribute implements Recommender {
  constructor(
    readonly name: string,
    private readonly a: Float64Array,
  ) {}
  fit(): void {}
  score(_user: number, items: Uint32Array): Float64Array {
    return Float64Array.from(items, (i) => this.a[i]!);
  }
}

describe("LearnedRecommender", () => {
  it("beats each single feature when the next item depends on a combination of two", async () => {
    // Items have two attributes; people pick items ∝ exp(3·(a + b)). Either attribute alone ranks the
    // held-out item poorly; their sum ranks it well, and the ranker must find that from earlier cuts.
    const items = 400;
    const rand = mulberry32(77);
    const a = Float64Array.from({ length: items }, () => rand() * 2 - 1);
    const b = Float64Array.from({ length: items }, () => rand() * 2 - 1);
    const file = synthetic(120, items, 8, 21, (i) => Math.exp(3 * (a[i]! + b[i]!)));
    const split = leaveLastOut(file, 0);
    const bases: BaseFactory = () => [new Attribute("a", a), new Attribute("b", b)];
    const learned = new LearnedRecommender({ cuts: 4, bases, model: gbdt, features: ["a:z", "a:rank", "b:z", "b:rank"] });
    const res = await evaluate([new Attribute("a", a), new Attribute("b", b), learned], split, [1, 2]);
    expect(res.learned!["hr@10"]).toBeGreaterThan(res.a!["hr@10"] + 0.1);
    expect(res.learned!["hr@10"]).toBeGreaterThan(res.b!["hr@10"] + 0.1);
    // And it is about as good as the true combination a + b.
    const sum = new Attribute(
      "sum",
      Float64Array.from(a, (x, i) => x + b[i]!),
    );
    const ref = await evaluate([sum], split, [1, 2]);
    expect(res.learned!["hr@10"]).toBeGreaterThan(ref.sum!["hr@10"] - 0.06);
  });
});
