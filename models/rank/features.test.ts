import { describe, expect, it } from "vitest";
import { DEFAULT_CLICK_MODEL, examineProbability, simulateSession } from "./clicks";
import { explore } from "./explore";
import {
  FEATURE_NAMES,
  featureRows,
  normalised,
  POSITION_FEATURE,
  queryKind,
  SOURCES,
  type CardStats,
  type RequestContext,
  type SourcedCandidate,
} from "./features";
import { mulberry32 } from "./learn/index";

const col = (name: string) => {
  const j = FEATURE_NAMES.indexOf(name);
  if (j < 0) throw new Error(`no feature ${name}`);
  return j;
};

const stats = (o: Partial<CardStats> = {}): CardStats => ({
  lang: "en",
  impressions: 0,
  clicks: 0,
  closeups: 0,
  saves: 0,
  hides: 0,
  boardSaves: 0,
  ageDays: 1,
  creatorNew: false,
  boardCards: 10,
  altPresent: true,
  ...o,
});

describe("per-list normal forms", () => {
  it("match a plain computation: over the best, z-score, reciprocal rank with shared ties", () => {
    const vals = [4, 1, 4, 2];
    const { ratio, z, rr } = normalised(vals, false);
    const mean = 11 / 4;
    const sd = Math.sqrt(vals.reduce((s, v) => s + (v - mean) ** 2, 0) / 4);
    vals.forEach((v, i) => {
      expect(ratio[i]).toBeCloseTo(v / 4, 12);
      expect(z[i]).toBeCloseTo((v - mean) / sd, 12);
      // plain rank: 1 + number strictly greater
      expect(rr[i]).toBeCloseTo(1 / (1 + vals.filter((w) => w > v).length), 12);
    });
    // cosines are spread over their own range
    expect(normalised([0.5, 0.7, 0.6], true).ratio).toEqual([0, 1, expect.closeTo(0.5, 12)]);
    // no spread: full credit, z 0
    expect(normalised([3, 3], false)).toEqual({ ratio: [1, 1], z: [0, 0], rr: [1, 1] });
  });
});

describe("feature rows", () => {
  const ctx: RequestContext = { surface: "search", lang: "es", tokens: 2, kind: "phrase" };
  const cands: SourcedCandidate[] = [
    { id: 1, scores: { text: 10, vector: 0.8 }, fused: 2 },
    { id: 2, scores: { vector: 0.6 }, fused: 1 },
    { id: 3, scores: { text: 5, interest: 0.4 }, fused: 1.5 },
  ];
  const st = new Map<number, CardStats>([
    [1, stats({ lang: "es", impressions: 10, clicks: 5, saves: 1 })],
    [2, stats({ lang: "en", hides: 2, impressions: 2 })],
  ]);
  const rows = featureRows(cands, (id) => st.get(id), ctx);

  it("has one value per named feature, in the candidates' order", () => {
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(r.length).toBe(FEATURE_NAMES.length);
    expect(FEATURE_NAMES.length).toBe(new Set(FEATURE_NAMES).size);
    expect(SOURCES.every((s) => FEATURE_NAMES.includes(`${s}.rr`))).toBe(true);
  });

  it("gives each source's normal forms only to the cards it found (absent: 0, 0 and missing)", () => {
    expect(rows[0]![col("text.ratio")]).toBeCloseTo(1);
    expect(rows[2]![col("text.ratio")]).toBeCloseTo(0.5);
    expect(rows[1]![col("text.ratio")]).toBe(0);
    expect(rows[1]![col("text.rr")]).toBe(0);
    expect(rows[1]![col("text.z")]).toBeNaN();
    expect(rows[0]![col("text.rr")]).toBe(1);
    expect(rows[2]![col("text.rr")]).toBe(0.5);
    expect(rows[0]![col("vector.cos")]).toBeCloseTo(0.8);
    expect(rows[2]![col("vector.cos")]).toBeNaN();
    expect(rows[0]![col("sources")]).toBe(2);
    expect(rows[1]![col("sources")]).toBe(1);
    expect(rows[0]![col("fusion.rr")]).toBe(1);
    expect(rows[1]![col("fusion.rr")]).toBeCloseTo(1 / 3);
  });

  it("reads card statistics: language match, smoothed rates, missing when unknown", () => {
    expect(rows[0]![col("lang.match")]).toBe(1);
    expect(rows[1]![col("lang.match")]).toBe(0);
    expect(rows[2]![col("lang.match")]).toBeNaN();
    expect(rows[0]![col("rate.click")]).toBeCloseTo((5 + 1) / (10 + 10));
    expect(rows[1]![col("rate.hide")]).toBeCloseTo((2 + 0.1) / (2 + 10));
    expect(rows[2]![col("rate.click")]).toBeNaN();
    expect(rows[0]![col("query.phrase")]).toBe(1);
    expect(rows[0]![col("query.word")]).toBe(0);
    expect(rows[0]![col("surface.search")]).toBe(1);
    expect(rows[0]![col("query.tokens")]).toBe(2);
    // position is a training-only feature: 0 when served
    expect(rows.every((r) => r[POSITION_FEATURE] === 0)).toBe(true);
  });

  it("tells the kinds of queries apart", () => {
    expect(queryKind("🍎", [], false)).toBe("emoji");
    expect(queryKind("apple", ["apple"], false)).toBe("word");
    expect(queryKind("red apple", ["red", "apple"], false)).toBe("phrase");
    expect(queryKind("tengo sed", ["sed"], true)).toBe("need");
  });
});

describe("exploration", () => {
  it("swaps one card from ranks 11–50 into the top 10 in about the share of lists, with its propensity", () => {
    const rand = mulberry32(7);
    const items = Array.from({ length: 60 }, (_, i) => i);
    let explored = 0;
    const runs = 4000;
    for (let r = 0; r < runs; r++) {
      const e = explore(items, rand);
      expect([...e.items].sort((a, b) => a - b)).toEqual(items);
      const marked = e.propensity.flatMap((p, i) => (p === null ? [] : [i]));
      if (!marked.length) {
        expect(e.items).toEqual(items);
        continue;
      }
      explored++;
      expect(marked).toHaveLength(1);
      const slot = marked[0]!;
      expect(slot).toBeLessThan(10);
      expect(e.items[slot]).toBeGreaterThanOrEqual(10);
      expect(e.items[slot]).toBeLessThan(50);
      expect(e.propensity[slot]).toBeCloseTo(0.1 / (10 * 40));
    }
    expect(explored / runs).toBeGreaterThan(0.08);
    expect(explored / runs).toBeLessThan(0.12);
  });
});

describe("position-based click model", () => {
  it("examines position k with probability 1/(k+1) and acts only on examined cards", () => {
    const rand = mulberry32(3);
    const n = 20_000;
    const seen = new Float64Array(5);
    const clicks = new Float64Array(5);
    for (let r = 0; r < n; r++) {
      const out = simulateSession([2, 0, 2, 0, 1], 2, rand);
      out.forEach((o, k) => {
        if (o.examined) seen[k]!++;
        if (o.actions.includes("click")) clicks[k]!++;
        if (!o.examined) expect(o.actions).toEqual([]);
        if (o.actions.includes("save")) expect([0, 2, 4]).toContain(k); // never for an unjudged card
      });
    }
    for (let k = 0; k < 5; k++) expect(seen[k]! / n).toBeCloseTo(examineProbability(k), 1);
    // a relevant card at 0: P(click) = 1 · (0.25 + 0.65); an unjudged card at 1: 0.5 · 0.05
    expect(clicks[0]! / n).toBeCloseTo(DEFAULT_CLICK_MODEL.clickBase + DEFAULT_CLICK_MODEL.clickSlope, 1);
    expect(clicks[1]! / n).toBeCloseTo(0.5 * DEFAULT_CLICK_MODEL.noise, 2);
  });
});
