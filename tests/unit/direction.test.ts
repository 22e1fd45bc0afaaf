import { describe, expect, it } from "vitest";
import { arrowStep } from "~/lib/direction";
import { dirOf, supportedLngs } from "~/i18n";

describe("direction", () => {
  it("only Arabic, of the five interface languages, is written right to left", () => {
    expect(supportedLngs.map((l) => [l, dirOf(l)])).toEqual([
      ["en", "ltr"],
      ["es", "ltr"],
      ["fr", "ltr"],
      ["de", "ltr"],
      ["ar", "rtl"],
    ]);
  });

  it("the arrow toward where the next item sits goes forward: → left to right, ← right to left", () => {
    expect(arrowStep("ArrowRight", "ltr")).toBe(1);
    expect(arrowStep("ArrowLeft", "ltr")).toBe(-1);
    expect(arrowStep("ArrowLeft", "rtl")).toBe(1);
    expect(arrowStep("ArrowRight", "rtl")).toBe(-1);
    expect(arrowStep("ArrowUp", "rtl")).toBe(0);
    expect(arrowStep("Enter", "ltr")).toBe(0);
  });
});
