import { beforeAll, describe, expect, it } from "vitest";
import { writeServed } from "../../app/services/discovery/served-log.server";
import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { pins, searchLog, users, type User } from "../../db/tables";
import { createBoard, updateBoard } from "../../app/services/boards.server";
import { createCard, saveCardToBoard, updateCard } from "../../app/services/cards.server";
import { storeImage } from "../../app/services/images.server";
import { indexPins, reindexAfterChange } from "../../app/services/indexing.server";
import { getPipeline, type Pipeline } from "../../app/services/pipeline.server";
import { search } from "../../app/services/search.server";
import { importRecords } from "../../app/services/import.server";
import { parseImport } from "../../app/lib/import-format";
import { makeUser, pngBytes, seededTestDb } from "./helpers";

// The real sentence encoder, the real taxonomy, Apertium when installed, on a real database (a SQLite
// file; PostgreSQL under test:pg) seeded with the starter library: the same search the app runs.
let db: Db;
let p: Pipeline;
let maria: User;

beforeAll(async () => {
  db = await seededTestDb();
  p = await getPipeline();
  maria = (await db.select().from(users).where(eq(users.email, "maria@tablero.example")))[0]!;
}, 180_000);

const run = (q: string, extra: Partial<Parameters<typeof search>[2]> = {}) =>
  search(db, p, { q, uiLang: "en", viewer: null, limit: 10, ...extra });

describe("search on the starter library", () => {
  it("finds aphasia boards for one vague word, with 4–8 expansions about aphasia", async () => {
    const r = await run("aphasia");
    expect(r.boards.slice(0, 2).map((b) => b.title)).toContain("Aphasia naming practice: everyday things");
    expect(r.query.interests[0]?.slug).toBe("aphasia");
    expect(r.query.expansions.length).toBeGreaterThanOrEqual(4);
    expect(r.query.expansions.length).toBeLessThanOrEqual(8);
    expect(r.query.expansions).toContain("Aphasia exercises");
    expect(r.query.expansions).toContain("Speech and language therapy");
  });

  it("understands the Spanish word and answers in Spanish", async () => {
    const r = await run("afasia");
    expect(r.query.lang).toBe("es");
    expect(r.boards.slice(0, 2).map((b) => b.title)).toContain("Ejercicios de afasia: nombrar objetos");
    expect(r.query.expansions).toContain("Ejercicios para la afasia");
  });

  it("puts the topic board first for 'words for food' and for 'comida'", async () => {
    expect((await run("words for food")).boards[0]?.title).toBe("Food");
    expect((await run("comida")).boards[0]?.title).toBe("Comida");
  });

  it("finds a card across languages and says which generators found it", async () => {
    const r = await run("manzana", { kind: "cards" });
    const top = r.cards.slice(0, 3).map((c) => c.title);
    expect(top).toContain("manzana roja");
    if (p.translator.canTranslate("es")) expect(top).toContain("red apple");
    expect(r.cards[0]!.sources).toContain("text");
    expect(r.boards).toEqual([]);
  });

  it("forgives a misspelling", async () => {
    const r = await run("sandwitch", { kind: "cards" });
    expect(r.cards.slice(0, 3).map((c) => c.title)).toContain("sandwich");
    expect(r.cards.find((c) => c.title === "sandwich")!.sources).toContain("fuzzy");
  });

  it("forgives two letters swapped, even in a short word or another language's word", async () => {
    expect((await run("dgo", { kind: "cards" })).cards[0]?.title).toBe("dog");
    expect((await run("cta", { kind: "cards" })).cards[0]?.title).toBe("cat");
    expect((await run("Hnud", { kind: "cards" })).cards[0]?.title).toBe("Hund");
  });

  it("filters by language", async () => {
    const r = await run("bread", { langFilter: "es" });
    expect(r.cards.length).toBeGreaterThan(0);
    expect(new Set(r.cards.map((c) => c.lang))).toEqual(new Set(["es"]));
    expect(new Set(r.boards.map((b) => b.lang))).toEqual(new Set(["es"]));
  });

  it("answers nonsense with no results and broad suggestions, not noise", async () => {
    const r = await run("qwertyzz");
    expect(r.cards).toEqual([]);
    expect(r.boards).toEqual([]);
    expect(r.query.expansions.length).toBeGreaterThanOrEqual(4);
  });

  it.each([
    ["empty", ""],
    ["spaces", "   \n\t "],
    ["punctuation", "?!.,;:"],
    ["fts syntax", '"food" * NEAR(a b) -drink col:umn ^x'],
    ["10,000 characters", "food ".repeat(2000)],
  ])("handles a %s query without failing", async (_name, q) => {
    const r = await run(q);
    expect(Array.isArray(r.cards)).toBe(true);
    expect(r.query.display.length).toBeLessThanOrEqual(1000);
  });
});

describe("indexing", () => {
  it("never makes a card findable by the name of someone's private board", async () => {
    const other = await makeUser(db, "Other");
    const apple = (await db.select().from(pins).where(eq(pins.title, "red apple")))[0]!;
    const board = await createBoard(db, other.id, { title: "Mum chemotherapy diet", description: "", lang: "en", visibility: "private" });
    await saveCardToBoard(db, apple.id, board.id, other);
    await reindexAfterChange(db, p, { pinIds: [apple.id], boardIds: [board.id] });
    expect((await run("chemotherapy", { kind: "cards" })).cards.map((c) => c.id)).not.toContain(apple.id);
  });

  it("keeps private cards out of other people's results, and in their owner's", async () => {
    const owner = await makeUser(db, "Owner");
    const image = await storeImage(db, await pngBytes());
    const board = await createBoard(db, owner.id, { title: "Secret garden", description: "", lang: "en", visibility: "private" });
    const card = await createCard(db, owner, board.id, { title: "zucchiniflower", alt: "a flower", cue: "", note: "", lang: "en" }, image);
    await reindexAfterChange(db, p, { pinIds: [card.id], boardIds: [board.id] });
    expect((await run("zucchiniflower")).cards.map((c) => c.id)).not.toContain(card.id);
    expect((await run("zucchiniflower", { viewer: owner })).cards.map((c) => c.id)).toContain(card.id);
    await updateBoard(db, board.id, owner, { title: "Secret garden", description: "", lang: "en", visibility: "public" });
    await reindexAfterChange(db, p, { boardIds: [board.id] });
    expect((await run("zucchiniflower")).cards.map((c) => c.id)).toContain(card.id);
  });

  it("re-embeds only what changed, and finds a card by its new word", async () => {
    const target = (await db.select().from(pins).where(eq(pins.title, "kettle")))[0] ?? (await db.select().from(pins).limit(1))[0]!;
    expect(await indexPins(db, p)).toBe(0); // nothing changed since the last run
    await updateCard(db, target.id, maria, {
      title: "teakettlewhistle",
      alt: target.alt,
      cue: target.cue,
      note: target.note,
      lang: target.lang,
    });
    expect(await indexPins(db, p)).toBe(1);
    expect((await run("teakettlewhistle", { kind: "cards" })).cards[0]?.id).toBe(target.id);
  });
});

describe("search log and co-occurring queries", () => {
  it("logs each search with its language and result count, and suggests what others searched next", async () => {
    for (const session of ["s1", "s2"]) {
      await run("dysphagia snacks", { sessionKey: session });
      await run("banana and apple", { sessionKey: session });
    }
    // A search writes nothing itself: the background writer stores the log (issue 13, no GET writes;
    // tests/e2e/no-get-writes.test.ts holds the writer to prove it — here its 250 ms timer may fire
    // while four searches run on a busy machine, so the log is only read once it is written).
    await writeServed(db); // until committed, on either engine
    const logged = await db.select().from(searchLog).where(eq(searchLog.sessionKey, "s1"));
    expect(logged.map((l) => l.normalized)).toEqual(["dysphagia snacks", "banana and apple"]);
    expect(logged[0]!.lang).toBe("en");
    expect(logged[1]!.resultCount).toBeGreaterThan(0);
    expect((await run("dysphagia snacks")).query.expansions[0]).toBe("banana and apple");
  });

  it("never offers others a searched phrase that is not plain card words: no planted insults, numbers or links", async () => {
    const planted = [
      "jabón para tontos llamen al",
      "jabón para tontos",
      "soap call 600123123",
      "www.example.com soap",
      "soap soap soap soap soap",
    ];
    for (const session of ["p1", "p2", "p3"]) {
      await run("kitchen soap", { sessionKey: session });
      for (const q of planted) await run(q, { sessionKey: session });
      await run("spoon and cup", { sessionKey: session });
    }
    await writeServed(db); // until committed, on either engine
    const expansions = (await run("kitchen soap")).query.expansions;
    for (const q of planted) expect(expansions).not.toContain(q);
    // The ordinary phrase searched in the same sessions is still offered.
    expect(expansions).toContain("spoon and cup");
  });
});

describe("import", () => {
  it("imports every good line, reports bad ones by line, and resumes without duplicates", async () => {
    const user = await makeUser(db, "Importer");
    const file = [
      '{"id": "a1", "title": "watering can", "text": "for the plants", "lang": "en", "board": "Garden words"}',
      "not json",
      '{"id": "a2", "title": "regadera", "lang": "es", "board": "Palabras del jardín"}',
      '{"id": "a3", "title": "rake", "lang": "pt"}',
      '{"id": "a4", "title": "râteau", "lang": "fr", "board": "Mots du jardin"}',
    ].join("\n");
    const { records, issues } = parseImport(file);
    expect(issues.map((i) => [i.line, i.message])).toEqual([
      [2, "import.errors.badJson"],
      [4, "import.errors.badLang"],
    ]);
    const first = await importRecords(db, p, user, records.slice(0, 1), { defaultBoard: "Imported", visibility: "public" });
    expect(first.created).toBe(1);
    const second = await importRecords(db, p, user, records, { defaultBoard: "Imported", visibility: "public" });
    expect([second.created, second.skipped]).toEqual([2, 1]);
    const mine = (
      await db
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(pins)
        .where(eq(pins.creatorId, user.id))
    )[0]!.n;
    expect(mine).toBe(3);
    expect((await run("watering can", { kind: "cards" })).cards[0]?.title).toBe("watering can");
    // A French line keeps its language, and its card gets a French picture description.
    const rake = (await db.select().from(pins).where(eq(pins.title, "râteau")))[0]!;
    expect([rake.lang, rake.alt]).toEqual(["fr", "Carte texte\u00a0: râteau"]);
  });
});
