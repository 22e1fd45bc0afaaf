import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// Right to left (issue 15): the layout mirrors for Arabic only if every side is said logically
// (inline-start/end), never as left or right. A physical declaration slipped in twice (the present-mode
// clue list, the caseload tables) and showed Arabic clues pushed to the wrong side.
const css = readFileSync(new URL("../../app/styles.css", import.meta.url), "utf8");
const PHYSICAL =
  /(?:margin|padding|border|inset)-(?:left|right)\b|text-align:\s*(?:left|right)\b|float:\s*(?:left|right)\b|(?:^|[\s;{])(?:left|right)\s*:/gm;

describe("app/styles.css", () => {
  it("uses logical properties only: no left or right side, alignment or position", () => {
    const found = [...css.matchAll(PHYSICAL)].map((m) => {
      const line = css.slice(0, m.index).split("\n").length;
      return `${line}: ${m[0].trim()}`;
    });
    expect(found).toEqual([]);
  });

  it("the check finds a physical declaration when there is one", () => {
    for (const bad of [".a { padding-left: 1rem }", ".a {\n  text-align: right;\n}", ".a { left: 0 }", ".a{margin-right:2px}"])
      expect(bad.match(PHYSICAL), bad).not.toBeNull();
    for (const good of [".a { padding-inline-start: 1rem }", ".a { text-align: start }", ".a { inset-inline-start: 0 }"])
      expect(good.match(PHYSICAL), good).toBeNull();
  });
});
