import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client";
import { LOCALES, type Locale, type User } from "../../db/tables";
import { cardSchema, boardSchema } from "../../app/lib/forms";
import { createBoard, popularPublicBoards, recentPublicBoards } from "../../app/services/boards.server";
import { createCard } from "../../app/services/cards.server";
import { storeImage } from "../../app/services/images.server";
import { indexBoards, indexPins } from "../../app/services/indexing.server";
import { getPipeline, type Pipeline } from "../../app/services/pipeline.server";
import { interestPage, search, topInterests } from "../../app/services/search.server";
import { topicLabels } from "../../app/services/discovery/feed/picker.server";
import { categoriesOf } from "../../app/services/therapy/cues.server";
import { parseSearchParams } from "../../app/services/search-request.server";
import { makeUser, pngBytes, testDb } from "./helpers";

// Cards written in French, German and Arabic on a real database (SQLite; PostgreSQL under test:pg),
// indexed by the real pipeline and found by the app's search: umlauts, French accents and Arabic
// letters (with the optional vowel marks and the article) are words like any other.
let db: Db;
let p: Pipeline;
let owner: User;
const ids: Record<string, number> = {};

const CARDS: [Locale, string, string][] = [
  ["de", "Brötchen", "Ein frisches Brötchen"],
  ["de", "Kindergärten", "Zwei Kindergärten"],
  ["fr", "pâtes", "Une assiette de pâtes"],
  ["fr", "pomme", "Une pomme rouge"],
  ["de", "Obst", "Eine Schale"], // the German name of the fruit topic: its label makes the card about fruit
  // Picture descriptions without the word, so only the title can match.
  ["ar", "خُبْز", "رغيف طازج"],
  ["ar", "الحليب", "كوب أبيض"],
  ["ar", "أرز", "طبق كبير"],
];

beforeAll(async () => {
  db = await testDb();
  p = await getPipeline();
  owner = await makeUser(db, "Polyglot");
  const image = await storeImage(db, await pngBytes());
  const boards = new Map<Locale, number>();
  for (const [lang, title, alt] of CARDS) {
    if (!boards.has(lang))
      boards.set(lang, (await createBoard(db, owner.id, { title: `Essen ${lang}`, description: "", lang, visibility: "public" })).id);
    ids[title] = (await createCard(db, owner, boards.get(lang)!, { title, alt, cue: "", note: "", lang }, image)).id;
  }
  await indexPins(db, p);
  await indexBoards(db, p);
}, 120_000);

/** The cards the query's words matched in the full-text index (not only by meaning: with seven cards the
 * encoder's neighbours would list them all). */
const found = async (q: string, extra: Partial<Parameters<typeof search>[2]> = {}) =>
  (await search(db, p, { q, uiLang: "en", viewer: null, limit: 10, kind: "cards", ...extra })).cards
    .filter((c) => c.sources.includes("text"))
    .map((c) => c.id);

describe("text search in French, German and Arabic", () => {
  it.each([
    ["Brötchen", "Brötchen"],
    ["brotchen", "Brötchen"], // typed without the umlaut
    ["Kindergärten", "Kindergärten"],
    ["pâtes", "pâtes"],
    ["pates", "pâtes"],
    ["pomme", "pomme"],
    ["خبز", "خُبْز"], // the card has the vowel marks, the query none
    ["خُبْز", "خُبْز"],
    ["حليب", "الحليب"], // the card has the article, the query none
    ["الحليب", "الحليب"],
    ["الخبز", "خُبْز"], // the query has the article, the card none
    ["والخبز", "خُبْز"], // "and the bread"
    ["أرز", "أرز"],
    ["ارز", "أرز"], // hamza left off
  ])("finds the card for %s", async (q, title) => {
    expect(await found(q)).toContain(ids[title]);
  });

  it("keeps to the language asked for with the language filter", async () => {
    expect(await found("pâtes", { langFilter: "fr" })).toContain(ids["pâtes"]);
    expect(await found("pâtes", { langFilter: "de" })).not.toContain(ids["pâtes"]);
    expect(await found("خبز", { langFilter: "ar" })).toContain(ids["خُبْز"]);
  });

  it("accepts the five languages wherever a language is chosen: card, board, search filter", () => {
    for (const lang of LOCALES) {
      expect(cardSchema.safeParse({ title: "x", alt: "y", lang }).success, lang).toBe(true);
      expect(boardSchema.safeParse({ title: "x", lang, visibility: "public" }).success, lang).toBe(true);
      expect(parseSearchParams(new URL(`http://x/search?q=a&lang=${lang}`), { limit: 10 }).ok, lang).toBe(true);
    }
    expect(cardSchema.safeParse({ title: "x", alt: "y", lang: "it" }).success).toBe(false);
    expect(parseSearchParams(new URL("http://x/search?q=a&lang=it"), { limit: 10 })).toMatchObject({
      ok: false,
      error: "search.errors.badLang",
    });
  });

  it("takes a search of up to 200 characters, counted as shown (spaces collapsed, an emoji is one)", () => {
    const parse = (q: string) => parseSearchParams(new URL(`http://x/search?q=${encodeURIComponent(q)}`), { limit: 10 });
    expect(parse("a".repeat(200)).ok).toBe(true);
    expect(parse(`  ${"a ".repeat(100)}   `).ok).toBe(true); // 199 once collapsed and trimmed
    expect(parse("🍎".repeat(200)).ok).toBe(true);
    expect(parse("a".repeat(201))).toMatchObject({ ok: false, error: "search.errors.tooLong", q: "a".repeat(201) });
    expect(parse("🍎".repeat(201))).toMatchObject({ ok: false, error: "search.errors.tooLong" });
  });
});

describe("boards in the reader's language first", () => {
  it("lists the reader's boards before the others on the home page's lists, the others still following", async () => {
    // Made in the order de, fr, ar: newest first alone would put the German board last.
    const langsOf = (list: { lang: string }[]) => list.map((b) => b.lang);
    expect(langsOf(await recentPublicBoards(db, 12))).toEqual(["ar", "fr", "de"]);
    for (const lang of ["de", "fr", "ar"] as const) {
      const recent = langsOf(await recentPublicBoards(db, 12, lang));
      expect(recent[0]).toBe(lang);
      expect([...recent].sort()).toEqual(["ar", "de", "fr"]);
      expect(langsOf(await popularPublicBoards(db, 12, lang))[0]).toBe(lang);
    }
    // A reader of a language with no boards sees them all, in the list's own order.
    expect(langsOf(await recentPublicBoards(db, 12, "es"))).toEqual(["ar", "fr", "de"]);
  });

  it("puts boards in the reader's language first on an interest page", async () => {
    // Every topic whose page lists boards in more than one language.
    const mixed: string[] = [];
    for (const node of p.taxonomy.all()) {
      const langs = new Set(((await interestPage(db, p, node.slug, "en"))?.boards ?? []).map((b) => b.lang));
      if (langs.size > 1) mixed.push(node.slug);
    }
    expect(mixed.length).toBeGreaterThan(0);
    for (const slug of mixed)
      for (const lang of ["de", "fr", "ar"] as const) {
        const boards = (await interestPage(db, p, slug, lang))!.boards;
        if (boards.some((b) => b.lang === lang)) expect(boards[0]!.lang, `${slug} in ${lang}`).toBe(lang);
      }
  });
});

describe("interest names in the reader's language", () => {
  it("names an interest page, its breadcrumb and its children in French, German and Arabic", async () => {
    const fr = (await interestPage(db, p, "fruit", "fr"))!;
    expect(fr.label).toBe("Fruits");
    expect(fr.ancestors.map((a) => a.label)).toEqual(["Manger et boire", "Nourriture"]);
    expect((await interestPage(db, p, "food-drink", "de"))!.children.map((c) => c.label)).toContain("Getränke");
    expect((await interestPage(db, p, "drinks", "ar"))!.label).toBe("المشروبات");
  });

  it("gives a card's and a board's topic chips, the home page's topics and a card's category in each language", async () => {
    const chips = await topInterests(db, "pin", ids["Obst"]!, "de");
    expect(chips.map((c) => c.label)).toContain("Obst");
    for (const c of chips) expect(c.label).toBe(p.taxonomy.bySlug(c.slug)!.labels.de);
    const ar = await topInterests(db, "pin", ids["Obst"]!, "ar");
    expect(ar.map((c) => c.label)).toEqual(chips.map((c) => p.taxonomy.bySlug(c.slug)!.labels.ar));
    expect(await topicLabels(db, ["fruit", "drinks"], "fr")).toEqual([
      { slug: "fruit", label: "Fruits" },
      { slug: "drinks", label: "Boissons" },
    ]);
    const cat = (await categoriesOf(db, [ids["Obst"]!])).get(ids["Obst"]!)!;
    expect(cat.ar).toBe(p.taxonomy.bySlug(cat.slug)!.labels.ar);
    for (const l of LOCALES) expect(cat[l], l).toBe(p.taxonomy.bySlug(cat.slug)!.labels[l]);
  });
});
