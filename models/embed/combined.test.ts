import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FreeDict } from "../lang/freedict";
import { DictionaryTranslator } from "../lang/translator";
import { ApertiumTranslator } from "./apertium";
import { CombinedTranslator } from "./combined";

const apertium = new ApertiumTranslator();
const hasPivot = apertium.canTranslateBetween("fr", "es") && apertium.canTranslateBetween("es", "en");
const hasDicts = ["deu-eng", "eng-deu", "ara-eng", "eng-ara", "fra-eng"].every((p) => FreeDict.installed(p));
if (!hasPivot) console.warn("SKIPPED French pivot tests: apertium-fr-es or apertium-eng-spa is not installed");
if (!hasDicts) console.warn("SKIPPED combined dictionary tests: dict-freedict-* pairs are not installed");
afterAll(() => apertium.close());

describe("CombinedTranslator", () => {
  it("with neither part, translates nothing and says so", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nodict-"));
    try {
      const none = new CombinedTranslator(null, new DictionaryTranslator({ dir }));
      expect(none.canTranslate("de")).toBe(false);
      expect(await none.toEnglish(["das Brot"], "de")).toEqual(["das Brot"]);
      await none.warm();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!hasPivot || !hasDicts)(
    "routes each direction: Apertium for Spanish and the French pivot, dictionaries for German and Arabic",
    async () => {
      const t = new CombinedTranslator(apertium, new DictionaryTranslator(), "pivot");
      expect(t.id).toBe("apertium+freedict+fr-pivot+es-fill");
      for (const l of ["es", "fr", "de", "ar"]) expect(t.canTranslate(l)).toBe(true);
      expect((await t.toEnglish(["manzana roja"], "es"))[0]!.toLowerCase()).toBe("red apple");
      expect((await t.toEnglish(["le pain et le fromage"], "fr"))[0]!.toLowerCase()).toMatch(/bread.*cheese/);
      expect((await t.toEnglish(["Brot und Käse"], "de"))[0]).toMatch(/bread.*cheese/);
      expect((await t.toEnglish(["الخبز والجبنة"], "ar"))[0]).toMatch(/bread.*cheese/);
      expect((await t.translate(["bread"], "en", "de"))[0]).toMatch(/^brot/);
      expect((await t.translate(["bread"], "en", "es"))[0]!.toLowerCase()).toBe("pan");
      // A word Apertium does not know comes back as written: the dictionary's senses are added.
      expect((await t.translate(["snowflake"], "en", "es"))[0]).toMatch(/^snowflake .*copo de nieve/);
      // "both": the pivot's sentence and the dictionary's words.
      const both = new CombinedTranslator(apertium, new DictionaryTranslator(), "both");
      const [fr] = await both.toEnglish(["fromage"], "fr");
      expect(fr!.split(" ").filter((w) => w.toLowerCase() === "cheese").length).toBe(2);
      // "auto" (the default): both for a short text, the pivot's sentence alone for a long one.
      const auto = new CombinedTranslator(apertium, new DictionaryTranslator());
      expect(auto.id).toBe("apertium+freedict+fr-auto+es-fill");
      expect(await auto.toEnglish(["fromage"], "fr")).toEqual([fr]);
      const sentence = "Quels problèmes de conduction thermique dans les plaques composites ont été résolus ?";
      expect(await auto.toEnglish([sentence], "fr")).toEqual(await t.toEnglish([sentence], "fr"));
    },
  );
});
