import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

type Localized = { en: string; es: string };
type StarterCard = { hexcode: string; svg: string; en: string; es: string };
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

  it("has non-empty English and Spanish titles and descriptions", () => {
    for (const topic of library.topics) {
      expect(nonEmpty(topic.title.en), `${topic.slug} title.en`).toBe(true);
      expect(nonEmpty(topic.title.es), `${topic.slug} title.es`).toBe(true);
      expect(nonEmpty(topic.description.en), `${topic.slug} description.en`).toBe(true);
      expect(nonEmpty(topic.description.es), `${topic.slug} description.es`).toBe(true);
    }
  });

  it("has a non-empty English and Spanish word on every card", () => {
    for (const card of allCards) {
      expect(nonEmpty(card.en), `${card.hexcode} en`).toBe(true);
      expect(nonEmpty(card.es), `${card.hexcode} es`).toBe(true);
    }
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
