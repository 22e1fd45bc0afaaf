import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

import { LOCALES } from "../enums";
import { withAddedLanguages } from "../../scripts/starter-words";

type Localized = Record<(typeof LOCALES)[number], string>;
type StarterCard = { hexcode: string; svg: string } & Localized;
type StarterTopic = { slug: string; title: Localized; description: Localized; cards: StarterCard[] };
type StarterLibrary = { source: { pictures: string; words: string }; topics: StarterTopic[] };

const root = process.cwd();
const library = JSON.parse(readFileSync(join(root, "db", "seed", "starter-library.json"), "utf8")) as StarterLibrary;
const openmojiRoot = join(root, "node_modules", "openmoji");
const allCards = library.topics.flatMap((topic) => topic.cards);

const nonEmpty = (value: unknown): boolean => typeof value === "string" && value.trim().length > 0;

describe("starter library seed", () => {
  it("credits its sources", () => {
    expect(library.source.pictures).toMatch(/^OpenMoji .*CC BY-SA 4\.0/);
    expect(library.source.words).toMatch(/^emojibase-data .*MIT/);
  });

  it("has at least 20 topics with unique slugs", () => {
    expect(library.topics.length).toBeGreaterThanOrEqual(20);
    const slugs = library.topics.map((topic) => topic.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const slug of slugs) expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it("has at least 16 cards in every topic", () => {
    for (const topic of library.topics) {
      expect(topic.cards.length, topic.slug).toBeGreaterThanOrEqual(16);
    }
  });

  it("has at least 300 cards in total, none repeated across topics", () => {
    expect(allCards.length).toBeGreaterThanOrEqual(300);
    const hexcodes = allCards.map((card) => card.hexcode.toUpperCase());
    const duplicates = hexcodes.filter((hexcode, index) => hexcodes.indexOf(hexcode) !== index);
    expect(duplicates).toEqual([]);
  });

  it("has a title and a description in all five languages on every topic", () => {
    for (const topic of library.topics)
      for (const lang of LOCALES) {
        expect(nonEmpty(topic.title[lang]), `${topic.slug} title.${lang}`).toBe(true);
        expect(nonEmpty(topic.description[lang]), `${topic.slug} description.${lang}`).toBe(true);
      }
  });

  it("has a word in all five languages on every card", () => {
    for (const card of allCards) for (const lang of LOCALES) expect(nonEmpty(card[lang]), `${card.hexcode} ${lang}`).toBe(true);
  });

  it("has French, German and Arabic words a person would say, not CLDR's picture names", () => {
    // What CLDR's names carry and a spoken word does not: a colon ("famille : homme, femme"), the words
    // emoji/flag, "face"/"person" descriptions, gender notes ("(tous genres)", "Koch/Köchin", "Sänger(in)").
    const leftovers: Record<"fr" | "de" | "ar", RegExp> = {
      fr: /[:()/]|emoji|drapeau|visage|personne qui|tous genres/iu,
      de: /[:()/]|emoji|Flagge|Gesicht|Person (beim|mit|im)|\(in\)|\/-?in\b/u,
      ar: /[:()/]|إيموجي|علم |وجه |شخص ي/u,
    };
    for (const card of allCards)
      for (const lang of ["fr", "de", "ar"] as const) expect(card[lang], `${card.hexcode} ${lang}`).not.toMatch(leftovers[lang]);
    // Arabic without vowel marks (cards are written unvocalised), in Arabic letters.
    for (const card of allCards) expect(card.ar, card.hexcode).toMatch(/^[\u0621-\u064A\s]+$/u);
    // A few checked by hand: the spoken word, not the picture's description.
    const word = (hex: string) => allCards.find((c) => c.hexcode === hex)!;
    expect(word("1F60A")).toMatchObject({ fr: "content", de: "glücklich", ar: "سعيد" });
    expect(word("1F6B6")).toMatchObject({ fr: "marcher", de: "gehen", ar: "يمشي" });
    expect(word("1F9D1-200D-1F373")).toMatchObject({ fr: "cuisinier", de: "Koch", ar: "طباخ" });
  });

  it("gives each picture its own word within a language", () => {
    for (const lang of LOCALES) {
      const words = allCards.map((c) => c[lang].toLocaleLowerCase());
      expect(
        words.filter((w, i) => words.indexOf(w) !== i),
        lang,
      ).toEqual([]);
    }
  });

  it("is what scripts/starter-words.ts makes of CLDR and the hand-checked table", () => {
    const overrides = JSON.parse(readFileSync(join(root, "db", "seed", "starter-overrides.json"), "utf8"));
    const { library: made, overridden } = withAddedLanguages(library as never, overrides);
    expect(made.topics).toEqual(library.topics);
    // The hand-checked part is large on purpose: CLDR names pictures, cards need words.
    for (const lang of ["fr", "de", "ar"] as const) expect(overridden[lang], lang).toBeGreaterThan(150);
  });

  it("has no skin-tone variants or flags", () => {
    for (const card of allCards) {
      expect(card.hexcode, card.en).not.toMatch(/1F3F[B-F]/);
      expect(card.hexcode, card.en).not.toMatch(/^1F1[EF][0-9A-F]/);
    }
  });

  it("points every card at an existing OpenMoji colour SVG", () => {
    const missing = allCards
      .filter((card) => card.svg !== `color/svg/${card.hexcode}.svg` || !existsSync(join(openmojiRoot, card.svg)))
      .map((card) => card.svg);
    expect(missing).toEqual([]);
  });
});
