import { describe, expect, it } from "vitest";
import { FEATURE_NAMES } from "./features";
import { featureColumns, PER_LIST_FEATURES, TEXT_LIST_FEATURES } from "./ranker";
import { FEATURE_CHOICES, ignoreFor, SELECTION_CONFIGS } from "./selection";

/** The features a model may use: all but the ignored (names, or prefixes ending in `*`, as the trainer reads them). */
const kept = (ignored: readonly string[]) => {
  const out = new Set(featureColumns(ignored));
  return FEATURE_NAMES.filter((_, j) => !out.has(j));
};

describe("feature choices", () => {
  it("text keeps only the text source's, feedback's and fusion's per-list forms and the source count", () => {
    expect(kept(ignoreFor("text"))).toEqual([
      "text.ratio",
      "text.z",
      "text.rr",
      "feedback.ratio",
      "feedback.z",
      "feedback.rr",
      "fusion.ratio",
      "fusion.rr",
      "sources",
    ]);
    for (const n of TEXT_LIST_FEATURES) expect(FEATURE_NAMES).toContain(n);
  });

  it("per-list keeps per-query-normalised forms only: no raw cosine, sizes, languages, rates or position", () => {
    const k = kept(ignoreFor("per-list"));
    expect(k).toEqual([...PER_LIST_FEATURES]);
    expect(k.every((n) => /\.(ratio|z|rr)$/.test(n) || n === "sources")).toBe(true);
    for (const raw of ["vector.cos", "query.tokens", "lang.match", "board.logcards", "rate.click", "position"])
      expect(k).not.toContain(raw);
  });

  it("every choice leaves the position out (it is not known when serving)", () => {
    for (const f of FEATURE_CHOICES) expect(ignoreFor(f)).toContain("position");
    expect(kept(ignoreFor("all"))).toContain("rate.click");
    expect(kept(ignoreFor("no-log"))).not.toContain("rate.click");
  });
});

describe("selection candidates", () => {
  it("are named once each, simplest first, and use per-query-normalised feature sets only", () => {
    const names = SELECTION_CONFIGS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(SELECTION_CONFIGS[0]!.options.family).toBe("linear");
    expect(SELECTION_CONFIGS.every((c) => c.features === "text" || c.features === "per-list")).toBe(true);
  });
});
