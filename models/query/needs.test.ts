import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { LOCALES, normalizeText, type Locale } from "../taxonomy/index";
import { loadNeeds } from "./needs";
import { correctWord, sharedLetters } from "./spelling";

describe("need lexicon", () => {
  it("searches, for every need and language, a word that some starter card's title holds (else the need's page is empty)", () => {
    const starter = JSON.parse(readFileSync(resolve(process.cwd(), "db/seed/starter-library.json"), "utf8")) as {
      topics: { cards: Record<Locale, string>[] }[];
    };
    const words = Object.fromEntries(LOCALES.map((l) => [l, new Set<string>()])) as Record<Locale, Set<string>>;
    for (const t of starter.topics)
      for (const c of t.cards) for (const l of LOCALES) for (const w of normalizeText(c[l]).split(/[^\p{L}\p{N}]+/u)) words[l].add(w);
    const plural = (w: string) => [w, w.replace(/(es|s)$/u, "")];
    for (const n of loadNeeds().needs)
      for (const l of LOCALES)
        expect(
          n.search[l].some((s) =>
            normalizeText(s)
              .split(/\s+/)
              .some((w) => plural(w).some((x) => words.en.has(x) || words.es.has(x) || words[l].has(x))),
          ),
          `${n.id} ${l}`,
        ).toBe(true);
  });
});

describe("spelling ties", () => {
  it("prefers the word that keeps the typed letters: a dropped letter is likelier than an added one", () => {
    expect(sharedLetters("glases", "glasses")).toBe(6);
    expect(sharedLetters("glases", "glass")).toBe(5);
    // One edit each; "glass" is on more cards.
    expect(
      correctWord(
        "glases",
        new Map([
          ["glass", 9],
          ["glasses", 2],
        ]),
      )?.word,
    ).toBe("glasses");
  });
});
