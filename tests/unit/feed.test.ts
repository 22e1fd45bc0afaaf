import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "../../db/client";
import { boards, pins, userClusters, type User } from "../../db/tables";
import { createBoard } from "../../app/services/boards.server";
import { createCard, saveCardToBoard } from "../../app/services/cards.server";
import { recomputePending, recordEngagement, runPendingRecomputes } from "../../app/services/engagement.server";
import {
  homeFeed,
  knownSlugs,
  NEW_CREATOR_EVERY,
  pickerOptions,
  relatedCards,
  setPickedInterests,
  type FeedCard,
} from "../../app/services/feed.server";
import { storeImage } from "../../app/services/images.server";
import { indexPins } from "../../app/services/indexing.server";
import { getPipeline } from "../../app/services/pipeline.server";
import { readVectors } from "../../app/services/vectors.server";
import { cosine } from "../../models/embed/index";
import { sql } from "drizzle-orm";
import { first, rows as raw } from "../../app/services/data/raw.server";
import { makeUser, pngBytes, seededTestDb, testDb } from "./helpers";

// The starter library on a real database (SQLite, or PostgreSQL under test:pg), indexed by the real pipeline (vectors, interests).
let db: Db;
const who = (u: User | null, key = "v:feed-visitor-000000") => ({ userId: u?.id ?? null, sessionKey: u ? `u:${u.id}` : key });
const pinId = async (title: string, lang = "en") =>
  (
    await db
      .select({ id: pins.id })
      .from(pins)
      .where(and(eq(pins.title, title), eq(pins.lang, lang as "en")))
      .limit(1)
  )[0]!.id;
const ids = (cards: { id: number }[]) => cards.map((c) => c.id);
const titles = (cards: { title: string }[]) => cards.map((c) => c.title);

beforeAll(async () => {
  db = await seededTestDb();
}, 180_000);

/** A new account that opens and saves some cards to a new public board of its own. */
async function saver(words: string[]) {
  const u = await makeUser(db, "Saver");
  const board = await createBoard(db, u.id, { title: "My words", description: "", lang: "en", visibility: "public" });
  for (const w of words) {
    const id = await pinId(w);
    await recordEngagement(db, who(u), [{ pinId: id, action: "closeup", surface: "card" }]);
    await saveCardToBoard(db, id, board.id, u);
    await recordEngagement(db, who(u), [{ pinId: id, action: "save", surface: "card" }]);
  }
  return { u, board };
}

describe("no history", () => {
  it("gives a visitor a full feed of popular cards in their language, never an error", async () => {
    const feed = await homeFeed(db, who(null), { locale: "en" });
    expect(feed.mode).toBe("popular");
    expect(feed.cards).toHaveLength(24);
    expect(new Set(ids(feed.cards)).size).toBe(24);
    expect(feed.cards.every((c) => c.lang === "en")).toBe(true);
    expect(feed.cards.every((c) => c.reason.kind === "popular" || c.reason.kind === "newCreator")).toBe(true);
    const es = await homeFeed(db, who(null), { locale: "es" });
    expect(es.cards.every((c) => c.lang === "es")).toBe(true);
  });

  it("gives a creator with no history her own popular cards rather than nothing", async () => {
    const maria = (await first<{ id: number }>(db, sql`SELECT id FROM "user" WHERE email = 'maria@tablero.example'`))!;
    const feed = await homeFeed(db, { userId: maria.id, sessionKey: `u:${maria.id}` }, { locale: "es" });
    expect(feed.mode).toBe("popular");
    expect(feed.cards).toHaveLength(24);
  });

  it("works on an empty database (no cards, no graph, no vectors)", async () => {
    const empty = await testDb();
    const u = await makeUser(empty);
    expect(await homeFeed(empty, who(u), { locale: "en" })).toEqual({ mode: "popular", cards: [], requestId: null });
    expect(await homeFeed(empty, who(null), { locale: "es", picked: ["food-drink"] })).toEqual({
      mode: "interests",
      cards: [],
      requestId: null,
    });
    expect(await relatedCards(empty, 12345, who(u))).toEqual([]);
    expect(await pickerOptions(empty, "en")).toEqual([]);
  });

  it("offers the taxonomy's first two levels that have cards, with a picture each", async () => {
    const options = await pickerOptions(db, "en");
    const roots = options.filter((o) => o.parent === null);
    expect(roots.map((o) => o.slug)).toContain("food-drink");
    expect(options.find((o) => o.slug === "food-drink")?.label).toBe("Food and drink");
    expect(options.every((o) => o.coverKey && o.cards > 0)).toBe(true);
    expect(options.some((o) => o.parent === "food-drink")).toBe(true);
    expect((await pickerOptions(db, "es")).find((o) => o.slug === "food-drink")?.label).toBe("Comida y bebida");
    // A topic whose cards are in other languages only is still offered, named in the reader's language.
    const german = await pickerOptions(db, "de");
    expect(german.map((o) => o.slug).sort()).toEqual(options.map((o) => o.slug).sort());
    expect(german.find((o) => o.slug === "food-drink")?.label).toBe("Essen und Trinken");
  });

  it("after picking interests, shows the best cards of those interests, saying which", async () => {
    const u = await makeUser(db, "Picker");
    expect(await setPickedInterests(db, u.id, ["food-drink", "no-such-thing", "nature-animals"])).toEqual(["food-drink", "nature-animals"]);
    const feed = await homeFeed(db, who(u), { locale: "en" });
    expect(feed.mode).toBe("interests");
    const byInterest = feed.cards.filter((c) => c.reason.kind === "interest");
    expect(byInterest.length).toBeGreaterThanOrEqual(16);
    const labels = new Set(byInterest.map((c) => (c.reason.kind === "interest" ? c.reason.label : "")));
    expect(labels).toEqual(new Set(["Food and drink", "Nature, animals and weather"]));
    // Each of those cards is about the interest (or one under it in the taxonomy).
    const about = async (slug: string) =>
      new Set(
        (
          await raw<{ id: number }>(
            db,
            sql`WITH RECURSIVE sub(id, slug) AS (SELECT id, slug FROM interest WHERE slug = ${slug} UNION ALL SELECT i.id, i.slug FROM interest i JOIN sub ON i.parent_slug = sub.slug)
                SELECT DISTINCT pin_id AS id FROM pin_interest WHERE interest_id IN (SELECT id FROM sub)`,
          )
        ).map((r) => r.id),
      );
    const food = await about("food-drink");
    const foodCards = byInterest.filter((c) => c.reason.kind === "interest" && c.reason.slug === "food-drink");
    expect(foodCards.length).toBeGreaterThanOrEqual(8);
    expect(foodCards.every((c) => food.has(c.id))).toBe(true);
    // A visitor's cookie picks give the same kind of feed.
    const visitor = await homeFeed(db, who(null), { locale: "en", picked: ["food-drink"] });
    expect(visitor.mode).toBe("interests");
    expect(visitor.cards.filter((c) => food.has(c.id)).length).toBeGreaterThanOrEqual(15);
    expect(await knownSlugs(db, ["food-drink", "Food", "x y", "food-drink"])).toEqual(["food-drink"]);
  });
});

describe("with history", () => {
  it("moves towards the cards a person saved, saying why", async () => {
    const { u } = await saver(["hammer", "screwdriver", "wrench", "toolbox"]);
    const feed = await homeFeed(db, who(u), { locale: "en" });
    expect(feed.mode).toBe("personal");
    expect(feed.cards).toHaveLength(24);
    // Their own saves are not recommended back to them.
    expect(titles(feed.cards)).not.toEqual(expect.arrayContaining(["hammer"]));
    const because = feed.cards.filter((c) => c.reason.kind === "because");
    expect(because.length).toBeGreaterThan(4);
    expect(new Set(because.map((c) => (c.reason.kind === "because" ? c.reason.title : "")))).toEqual(
      new Set(["hammer", "screwdriver", "wrench", "toolbox"]),
    );
    expect(because.every((c) => c.reason.kind === "because" && c.reason.action === "save")).toBe(true);
    // Tools dominate the top of the feed, which a visitor's popular feed does not show.
    const toolBoard = (await db.select({ id: boards.id }).from(boards).where(eq(boards.title, "Tools")).limit(1))[0]!.id;
    const toolIds = new Set(
      (await raw<{ id: number }>(db, sql`SELECT pin_id AS id FROM board_pin WHERE board_id = ${toolBoard}`)).map((r) => r.id),
    );
    const top12 = feed.cards.slice(0, 12);
    expect(top12.filter((c) => toolIds.has(c.id)).length).toBeGreaterThanOrEqual(4);
    const visitor = await homeFeed(db, who(null), { locale: "en" });
    expect(visitor.cards.slice(0, 12).filter((c) => toolIds.has(c.id)).length).toBeLessThan(top12.filter((c) => toolIds.has(c.id)).length);
  });

  it("recomputes a person's PinnerSage clusters after a save, off the request path", async () => {
    const { u } = await saver(["bus", "taxi", "ambulance"]);
    expect(recomputePending(db, u.id)).toBe(true);
    await db.delete(userClusters).where(eq(userClusters.userId, u.id));
    runPendingRecomputes();
    // The recompute it starts is asynchronous now (PinnerSage awaits its reads and its transaction).
    const clusters = await vi.waitFor(async () => {
      const rows = await db.select().from(userClusters).where(eq(userClusters.userId, u.id));
      expect(rows.length).toBeGreaterThan(0);
      return rows;
    });
    const saved = [await pinId("bus"), await pinId("taxi"), await pinId("ambulance")];
    expect(clusters.every((c) => saved.includes(c.medoidPinId))).toBe(true);
    // The feed then has PinnerSage cards, each naming the saved card (the medoid) it came from.
    const sage = (await homeFeed(db, who(u), { locale: "en" })).cards.filter((c) => c.source === "pinnersage");
    expect(sage.length).toBeGreaterThan(0);
    expect(sage.every((c) => c.reason.kind === "because" && ["bus", "taxi", "ambulance"].includes(c.reason.title))).toBe(true);
  });

  it("hiding a card removes it and pushes down cards close to it", async () => {
    const { u } = await saver(["red apple", "banana", "grapes"]);
    const before = await homeFeed(db, who(u), { locale: "en" });
    const victim = before.cards.find((c) => c.reason.kind === "because")!;
    await recordEngagement(db, who(u), [{ pinId: victim.id, action: "hide", surface: "home" }]);
    const after = await homeFeed(db, who(u), { locale: "en" });
    expect(ids(after.cards)).not.toContain(victim.id);
    // Nothing in the new feed is a near-copy of the hidden card, and close ones sank.
    const vecs = await readVectors(db, "pin_vec", [victim.id, ...ids(after.cards), ...ids(before.cards)]);
    const sim = (c: FeedCard) => cosine(vecs.get(c.id)!, vecs.get(victim.id)!);
    expect(Math.max(...after.cards.map(sim))).toBeLessThan(0.85);
    const mean = (cs: FeedCard[]) => cs.reduce((n, c) => n + sim(c), 0) / cs.length;
    expect(mean(after.cards.slice(0, 12))).toBeLessThan(mean(before.cards.filter((c) => c.id !== victim.id).slice(0, 12)));
    // A visitor's hide (by browser) works the same.
    const visitorBefore = await homeFeed(db, who(null, "v:hider-0000000000000"), { locale: "en" });
    await recordEngagement(db, who(null, "v:hider-0000000000000"), [
      { pinId: visitorBefore.cards[0]!.id, action: "hide", surface: "home" },
    ]);
    expect(ids((await homeFeed(db, who(null, "v:hider-0000000000000"), { locale: "en" })).cards)).not.toContain(visitorBefore.cards[0]!.id);
    expect(ids((await homeFeed(db, who(null, "v:someone-else-00000000"), { locale: "en" })).cards)).toContain(visitorBefore.cards[0]!.id);
  });

  it("shows each picture once to a reader of both languages", async () => {
    const { u } = await saver(["dog", "cat"]);
    const feed = await homeFeed(db, who(u), { locale: "es", limit: 40 });
    expect(new Set(feed.cards.map((c) => c.lang))).toEqual(new Set(["es", "en"]));
    expect(new Set(feed.cards.map((c) => c.imageKey)).size).toBe(feed.cards.length);
  });

  // Unlisted boards are for people given the link: their cards are not pushed to anyone else either.
  for (const visibility of ["private", "unlisted"] as const) {
    it(`never recommends a card someone else keeps on a ${visibility} board`, async () => {
      const owner = await makeUser(db, "Owner");
      const hidden = await createBoard(db, owner.id, { title: "Tools kept aside", description: "", lang: "en", visibility });
      const image = await storeImage(db, await pngBytes(50, 50, "#777777"));
      const secret = await createCard(
        db,
        owner,
        hidden.id,
        { title: "claw hammer", alt: "A claw hammer", cue: "", note: "", lang: "en" },
        image,
      );
      await indexPins(db, await getPipeline(), [secret.id]);
      const { u } = await saver(["hammer", "wrench"]);
      expect(ids((await homeFeed(db, who(u), { locale: "en", limit: 60 })).cards)).not.toContain(secret.id);
      expect(ids(await relatedCards(db, await pinId("hammer"), who(u), 40))).not.toContain(secret.id);
      expect(ids(await relatedCards(db, await pinId("hammer"), who(null), 40))).not.toContain(secret.id);
      // Its owner may see it among related cards.
      expect(ids(await relatedCards(db, await pinId("hammer"), who(owner), 40))).toContain(secret.id);
    });
  }

  it("gives new creators a bounded share of slots", async () => {
    const fresh = await makeUser(db, "Newcomer");
    const board = await createBoard(db, fresh.id, { title: "My first cards", description: "", lang: "en", visibility: "public" });
    const made: number[] = [];
    for (const [i, w] of ["kettle", "teapot", "mug", "saucer", "spoon rest", "tea towel"].entries()) {
      const image = await storeImage(db, await pngBytes(30 + i, 30, "#335577"));
      made.push((await createCard(db, fresh, board.id, { title: w, alt: `A ${w}`, cue: "", note: "", lang: "en" }, image)).id);
    }
    const { u } = await saver(["bus", "train"]);
    const feed = await homeFeed(db, who(u), { locale: "en", limit: 24 });
    const fromNew = feed.cards.map((c, i) => [i, c] as const).filter(([, c]) => c.source === "newCreator");
    expect(fromNew.length).toBe(24 / NEW_CREATOR_EVERY);
    expect(fromNew.map(([i]) => i)).toEqual([3, 11, 19]);
    expect(fromNew[0]![1].reason).toEqual({ kind: "newCreator", name: "Newcomer" });
    expect(made).toContain(fromNew[0]![1].id);
  });
});

describe("more like this", () => {
  it("changes when a person saves cards together", async () => {
    const apple = await pinId("red apple");
    const before = await relatedCards(db, apple, who(null));
    expect(before).toHaveLength(12);
    expect(before.every((c) => c.lang === "en" && c.id !== apple)).toBe(true);
    expect(titles(before)).not.toContain("ladder");
    await saver(["red apple", "ladder", "bicycle"]);
    await new Promise((r) => setTimeout(r, 2_100)); // the walk graph looks for changes every 2 s
    const after = await relatedCards(db, apple, who(null));
    expect(titles(after)).toEqual(expect.arrayContaining(["ladder", "bicycle"]));
  });

  it("follows the card's own language and leaves out hidden cards", async () => {
    const manzana = await pinId("manzana roja", "es");
    const related = await relatedCards(db, manzana, who(null));
    expect(related.length).toBeGreaterThan(0);
    expect(related.every((c) => c.lang === "es")).toBe(true);
    const u = await makeUser(db, "Hider");
    await recordEngagement(db, who(u), [{ pinId: related[0]!.id, action: "hide", surface: "related" }]);
    expect(ids(await relatedCards(db, manzana, who(u)))).not.toContain(related[0]!.id);
  });
});
