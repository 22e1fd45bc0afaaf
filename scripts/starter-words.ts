// `npx tsx scripts/starter-words.ts [--check]`: writes the starter library's French, German and Arabic
// words (db/seed/starter-library.json, beside the English and Spanish ones) and its topics' titles and
// descriptions in those languages.
//
// A card's word is CLDR's short name for its emoji (cldr-annotations-full, annotations/<lang>, `tts`),
// unless the hand-checked table db/seed/starter-overrides.json gives another. CLDR names the picture
// ("visage souriant avec yeux rieurs", "Person beim Gehen", "شخص يسير", "Koch/Köchin"); a card needs the
// word a person says ("content", "gehen", "يمشي", "Koch"), so every card was read in each language and
// the unnatural ones are in the table. Arabic vowel marks are dropped (cards are written unvocalised,
// as the rest of the interface is). Fails, writing nothing, when a card has no CLDR name and no entry,
// when an entry names a card that is not in the library, or when an entry repeats CLDR's own word (a
// stale entry would hide a CLDR fix). --check only verifies that the file is up to date.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { parseArgs } from "node:util";

const ADDED = ["fr", "de", "ar"] as const;
type Added = (typeof ADDED)[number];
type Words = Record<string, string>;
type Card = { hexcode: string; svg: string; en: string; es: string } & Partial<Record<Added, string>>;
type Topic = { slug: string; title: Words; description: Words; cards: Card[] };
type Library = { source: Record<string, string>; topics: Topic[] };
type Overrides = {
  topics: Record<string, { title: Record<Added, string>; description: Record<Added, string> }>;
  words: Record<Added, Record<string, string>>;
};

const root = process.cwd();
const libraryPath = join(root, "db", "seed", "starter-library.json");
const require = createRequire(import.meta.url);

/** The emoji a hexcode spells ("1F9D1-200D-1F373" → 🧑‍🍳). */
const emojiOf = (hexcode: string) => String.fromCodePoint(...hexcode.split("-").map((h) => parseInt(h, 16)));
/** Arabic short-vowel marks, shadda, sukun and the superscript alif. */
const ARABIC_MARKS = /[\u064B-\u0652\u0670]/gu;

function cldrNames(lang: Added): Map<string, string> {
  const file = require(`cldr-annotations-full/annotations/${lang}/annotations.json`) as {
    annotations: { annotations: Record<string, { tts?: string[] }> };
  };
  const out = new Map<string, string>();
  for (const [ch, a] of Object.entries(file.annotations.annotations)) if (a.tts?.[0]) out.set(ch.replace(/\uFE0F/g, ""), a.tts[0]);
  return out;
}

/** The library with fr/de/ar words and topic texts, and the number of hand entries used per language. */
export function withAddedLanguages(library: Library, overrides: Overrides): { library: Library; overridden: Record<Added, number> } {
  const problems: string[] = [];
  const overridden = { fr: 0, de: 0, ar: 0 };
  const hexcodes = new Set(library.topics.flatMap((t) => t.cards.map((c) => c.hexcode)));
  for (const lang of ADDED)
    for (const hex of Object.keys(overrides.words[lang]))
      if (!hexcodes.has(hex)) problems.push(`${lang}: entry for ${hex}, which is no starter card`);
  const names = Object.fromEntries(ADDED.map((l) => [l, cldrNames(l)])) as Record<Added, Map<string, string>>;
  const topics = library.topics.map((topic) => {
    const text = overrides.topics[topic.slug];
    if (!text) problems.push(`topic ${topic.slug} has no French, German and Arabic title`);
    const cards = topic.cards.map((card) => {
      const out: Card = { hexcode: card.hexcode, svg: card.svg, en: card.en, es: card.es };
      for (const lang of ADDED) {
        const cldr = names[lang].get(emojiOf(card.hexcode).replace(/\uFE0F/g, ""));
        const own = overrides.words[lang][card.hexcode];
        const clean = (w: string) => (lang === "ar" ? w.replace(ARABIC_MARKS, "") : w).trim();
        if (own !== undefined && cldr !== undefined && clean(cldr) === own)
          problems.push(`${lang}: entry for ${card.hexcode} repeats CLDR's "${own}"`);
        if (own !== undefined) overridden[lang]++;
        const word = own ?? (cldr === undefined ? undefined : clean(cldr));
        if (!word) problems.push(`${lang}: ${card.hexcode} (${card.en}) has no CLDR name and no entry`);
        else out[lang] = word;
      }
      return out;
    });
    return {
      slug: topic.slug,
      title: { en: topic.title.en!, es: topic.title.es!, ...text?.title },
      description: { en: topic.description.en!, es: topic.description.es!, ...text?.description },
      cards,
    };
  });
  if (problems.length) throw new Error(`starter words:\n- ${problems.join("\n- ")}`);
  return { library: { ...library, topics }, overridden };
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const { values } = parseArgs({ options: { check: { type: "boolean" } } });
  const library = JSON.parse(readFileSync(libraryPath, "utf8")) as Library;
  const overrides = JSON.parse(readFileSync(join(root, "db", "seed", "starter-overrides.json"), "utf8")) as Overrides;
  const { library: next, overridden } = withAddedLanguages(library, overrides);
  next.source = {
    ...next.source,
    words: `${library.source.words!.replace(/;.*$/, "")}; CLDR 48 annotations (Unicode licence), checked by hand`,
  };
  const text = `${JSON.stringify(next, null, 2)}\n`;
  const cards = next.topics.reduce((n, t) => n + t.cards.length, 0);
  if (values.check) {
    if (readFileSync(libraryPath, "utf8") !== text) {
      console.error("db/seed/starter-library.json is out of date: run npx tsx scripts/starter-words.ts");
      process.exit(1);
    }
  } else writeFileSync(libraryPath, text);
  console.log(`${cards} cards; hand-checked words used instead of CLDR's: fr ${overridden.fr}, de ${overridden.de}, ar ${overridden.ar}`);
}
