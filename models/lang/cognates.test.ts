import { describe, expect, it } from "vitest";
import { germanCognates } from "./cognates";

describe("English spellings of German borrowings", () => {
  it.each([
    ["aeroelastisch", "aeroelastic"],
    ["magnetohydrodynamisch", "magnetohydrodynamic"],
    ["kompressibl", "compressible"],
    ["temperatur", "temperature"],
    ["stabilität", "stability"],
    ["viskosität", "viscosity"],
    ["kinetik", "kinetics"],
    ["konvektion", "convection"],
    ["strukturell", "structural"],
    ["zylinder", "cylinder"],
    ["physiker", "physicist"],
    ["newtonsch", "newtonian"],
    ["laminar", "laminar"],
  ])("%s → %s", (de, en) => {
    expect(germanCognates(de)).toContain(en);
  });

  it("gives the form itself first, nothing for short words or other scripts, and no duplicates", () => {
    expect(germanCognates("Ogival")[0]).toBe("ogival");
    expect(germanCognates("auto")).toEqual([]);
    expect(germanCognates("حليب")).toEqual([]);
    const all = germanCognates("katalysator");
    expect(new Set(all).size).toBe(all.length);
    expect(all.every((w) => /^[a-z]+$/.test(w))).toBe(true);
  });

  it("stays small when a word has many letters to respell", () => {
    // k, z, ä … at every place: at most 2·3·2·2 spellings of the stem for each ending
    expect(germanCognates("kzäkzäkzäkzä").length).toBeLessThanOrEqual(3 * 2 * 3 * 2 * 2);
  });
});
