import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { WordNet } from "./wordnet";

describe("WordNet read from its files", () => {
  it("finds a synset's words at the offset the index gives, through inflections and irregular forms", () => {
    // A tiny WordNet in the real format: two synsets, one verb.
    const dir = mkdtempSync(join(tmpdir(), "wordnet-"));
    try {
      const line1 = "00000001 05 n 03 spectacles 0 specs 0 eyeglasses 0 000 | optical instrument\n";
      const line2 = "00000002 05 n 01 glass 0 000 | a brittle material\n";
      const noun = line1 + line2;
      const offset2 = Buffer.byteLength(line1);
      writeFileSync(join(dir, "data.noun"), noun.replace("00000002", String(offset2).padStart(8, "0")));
      writeFileSync(
        join(dir, "index.noun"),
        `  licence header\nspecs n 1 0 1 0 00000000\nglass n 1 0 1 0 ${String(offset2).padStart(8, "0")}\n`,
      );
      const verb = "00000000 29 v 02 cry 0 weep 0 000 | shed tears\n";
      writeFileSync(join(dir, "data.verb"), verb);
      writeFileSync(join(dir, "index.verb"), "weep v 1 0 1 0 00000000\ncry v 1 0 1 0 00000000\n");
      writeFileSync(join(dir, "verb.exc"), "wept weep\n");
      writeFileSync(join(dir, "data.adj"), "");
      writeFileSync(join(dir, "index.adj"), "");
      const wn = WordNet.open(dir)!;
      expect(wn.synonyms("specs")).toEqual(["spectacles", "eyeglasses"]);
      expect(wn.synonyms("glasses")).toEqual([]); // plural of glass: its own synset, no synonyms
      expect(wn.lemma("weeps", "verb")).toBe("weep");
      expect(wn.synonyms("wept")).toEqual(["cry"]);
      expect(wn.synonyms("unheard")).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is absent, not an error, without the files", () => {
    expect(WordNet.open("/nonexistent-wordnet")).toBeNull();
  });

  const installed = WordNet.open();
  if (!installed) console.warn("SKIPPED WordNet test: wordnet-base is not installed");
  (installed ? it : it.skip)("with Debian's wordnet-base: the synonyms that bring dictionary senses to card words", () => {
    expect(installed!.synonyms("specs")).toContain("glasses");
    expect(installed!.synonyms("weeps")).toContain("cry");
    expect(installed!.synonyms("serpent")).toContain("snake");
  });
});
