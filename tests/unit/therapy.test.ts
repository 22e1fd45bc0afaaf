import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { interests, pinInterests, pins, reviewLogs, reviews } from "../../db/tables";
import type { Db } from "../../db/client";
import { createBoard } from "../../app/services/boards.server";
import { createCard } from "../../app/services/cards.server";
import { storeImage } from "../../app/services/images.server";
import { practiceView, ratePin, undoLastAnswer } from "../../app/services/practice.server";
import { categoriesOf } from "../../app/services/therapy/cues.server";
import { comprehensionChoices } from "../../app/services/therapy/comprehension.server";
import { markNaming, presentAttendees } from "../../app/services/therapy/present.server";
import { attachBoard } from "../../app/services/workshop-sessions.server";
import { createInvite, createWorkshop, joinWithInvite } from "../../app/services/workshops.server";
import { loadTaxonomy } from "../../models/taxonomy/index";
import { makeUser, pngBytes, testDb } from "./helpers";

// Issue 14's services on a real database: clinical answers per mode, undo, feature answers on the
// learner's own card, comprehension choices from the taxonomy, and present-mode marks.
const t0 = new Date("2026-03-02T09:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
const MIN = 60_000;

async function setup() {
  const db = await testDb();
  const learner = await makeUser(db, "Dad");
  const image = await storeImage(db, await pngBytes());
  const board = await createBoard(db, learner.id, { title: "Fruit", description: "", lang: "en", visibility: "public" });
  const cards = [];
  for (const w of ["apple", "pear", "plum", "grape", "chair", "table"])
    cards.push(await createCard(db, learner, board.id, { title: w, alt: `a ${w}`, cue: "", note: "", lang: "en" }, image));
  return { db, learner, board, cards };
}

async function logs(db: Db, learnerId: number) {
  return db.select().from(reviewLogs).where(eq(reviewLogs.learnerId, learnerId)).orderBy(reviewLogs.id);
}

describe("clinical answers", () => {
  it("store mode, outcome and cue level, with the rating from the scoring map; each mode schedules separately", async () => {
    const { db, learner, board, cards } = await setup();
    const base = { boardId: board.id, viewer: learner, learnerId: learner.id };
    await ratePin(db, { ...base, pinId: cards[0]!.id, outcome: "cued", cueLevel: 3, now: t0 });
    await ratePin(db, { ...base, pinId: cards[1]!.id, outcome: "correct", cueLevel: 4, now: at(MIN) });
    await ratePin(db, { ...base, pinId: cards[0]!.id, outcome: "not_yet", cueLevel: 0, mode: "comprehension", now: at(2 * MIN) });
    const l = await logs(db, learner.id);
    expect(l.map((r) => [r.mode, r.outcome, r.cueLevel, r.rating])).toEqual([
      ["naming", "cued", 3, 2],
      ["naming", "correct", 0, 3],
      ["comprehension", "not_yet", 0, 1],
    ]);
    expect(l[0]!.previous).toEqual({ card: null });
    const rows = await db.select().from(reviews).where(eq(reviews.learnerId, learner.id));
    expect(rows.map((r) => `${r.pinId}:${r.mode}`).sort()).toEqual(
      [`${cards[0]!.id}:naming`, `${cards[1]!.id}:naming`, `${cards[0]!.id}:comprehension`].sort(),
    );
    // The comprehension answer does not count in naming's sitting, and vice versa.
    const naming = await practiceView(db, { ...base, now: at(3 * MIN), mode: "naming" });
    const compr = await practiceView(db, { ...base, now: at(3 * MIN), mode: "comprehension" });
    expect(naming.sitting.rated).toBe(2);
    expect(compr.sitting.rated).toBe(1);
    expect(compr.counts.unseen).toBe(5);
    expect(naming.counts.unseen).toBe(4);
    await expect(ratePin(db, { ...base, pinId: cards[2]!.id, outcome: "cued", cueLevel: 0, now: at(4 * MIN) })).rejects.toThrow(RangeError);
  });

  it("undo restores the exact state before, one answer at a time, per mode", async () => {
    const { db, learner, board, cards } = await setup();
    const base = { boardId: board.id, viewer: learner, learnerId: learner.id };
    const pin = cards[0]!.id;
    await ratePin(db, { ...base, pinId: pin, outcome: "correct", cueLevel: 0, now: t0 });
    const [afterFirst] = await db.select().from(reviews).where(eq(reviews.pinId, pin));
    await ratePin(db, { ...base, pinId: pin, outcome: "not_yet", cueLevel: 2, now: at(MIN) });
    await ratePin(db, { ...base, pinId: cards[1]!.id, outcome: "correct", cueLevel: 0, mode: "writing", now: at(2 * MIN) });
    // Undo in naming: the second naming answer goes; the writing answer stays.
    expect(await undoLastAnswer(db, { ...base, now: at(3 * MIN) })).toEqual({ ok: true, pinId: pin });
    const [restored] = await db
      .select()
      .from(reviews)
      .where(and(eq(reviews.pinId, pin), eq(reviews.mode, "naming")));
    expect(restored).toEqual(afterFirst);
    expect((await logs(db, learner.id)).map((r) => r.mode)).toEqual(["naming", "writing"]);
    // Undo again: the card is new again in naming (no state at all).
    expect(await undoLastAnswer(db, { ...base, now: at(3 * MIN) })).toEqual({ ok: true, pinId: pin });
    expect(
      await db
        .select()
        .from(reviews)
        .where(and(eq(reviews.pinId, pin), eq(reviews.mode, "naming"))),
    ).toEqual([]);
    expect(await undoLastAnswer(db, { ...base, now: at(3 * MIN) })).toEqual({ ok: false, reason: "nothing" });
    // The writing answer is undone in its own mode.
    expect(await undoLastAnswer(db, { ...base, now: at(3 * MIN), mode: "writing" })).toEqual({ ok: true, pinId: cards[1]!.id });
    expect(await logs(db, learner.id)).toEqual([]);
  });

  it("an answer written before undo existed cannot be undone", async () => {
    const { db, learner, board, cards } = await setup();
    const base = { boardId: board.id, viewer: learner, learnerId: learner.id };
    await ratePin(db, { ...base, pinId: cards[0]!.id, rating: 3, now: t0 });
    await db.update(reviewLogs).set({ previous: null });
    expect(await undoLastAnswer(db, { ...base, now: at(MIN) })).toEqual({ ok: false, reason: "tooOld" });
  });

  it("feature answers are saved on the learner's own card only", async () => {
    const { db, learner, board, cards } = await setup();
    const other = await makeUser(db, "Ana");
    const image = await storeImage(db, await pngBytes());
    const theirs = await createBoard(db, other.id, { title: "Theirs", description: "", lang: "en", visibility: "public" });
    const card = await createCard(db, other, theirs.id, { title: "cup", alt: "a cup", cue: "", note: "", lang: "en" }, image);
    const features = { category: "fruit", use: "eat it" };
    await ratePin(db, {
      boardId: board.id,
      viewer: learner,
      learnerId: learner.id,
      pinId: cards[0]!.id,
      outcome: "correct",
      cueLevel: 0,
      mode: "features",
      features,
      now: t0,
    });
    await ratePin(db, {
      boardId: theirs.id,
      viewer: learner,
      learnerId: learner.id,
      pinId: card.id,
      outcome: "correct",
      cueLevel: 0,
      mode: "features",
      features,
      now: t0,
    });
    const [mine] = await db.select({ f: pins.features }).from(pins).where(eq(pins.id, cards[0]!.id));
    const [notMine] = await db.select({ f: pins.features }).from(pins).where(eq(pins.id, card.id));
    expect(mine!.f).toEqual(features);
    expect(notMine!.f).toEqual({});
  });
});

describe("taxonomy for cues and comprehension", () => {
  // The real taxonomy's nodes this test needs (the app loads all of them at start-up; indexing.server.ts).
  async function loadInterests(db: Db) {
    const taxonomy = loadTaxonomy();
    for (const slug of ["food-drink", "food", "fruit", "vegetables"]) {
      const n = taxonomy.bySlug(slug)!;
      await db.insert(interests).values({
        slug,
        parentSlug: n.parent,
        depth: taxonomy.ancestors(slug).length + 1,
        labelEn: n.labels.en,
        labelEs: n.labels.es,
        synonymsEn: [],
        synonymsEs: [],
        version: 1,
      });
    }
  }
  async function tag(db: Db, pinId: number, slug: string, score = 1) {
    const [i] = await db.select({ id: interests.id }).from(interests).where(eq(interests.slug, slug));
    if (!i) throw new Error(`no interest ${slug}`);
    await db.insert(pinInterests).values({ pinId, interestId: i.id, score }).onConflictDoNothing();
  }

  it("names a card's category from its interests, preferring a specific one", async () => {
    const { db, cards } = await setup();
    await loadInterests(db);
    const [food] = await db.select().from(interests).where(eq(interests.slug, "fruit"));
    if (!food) return expect.fail("the taxonomy is loaded at start-up: no fruit interest");
    await tag(db, cards[0]!.id, "food-drink", 0.9);
    await tag(db, cards[0]!.id, "fruit", 0.5);
    const cats = await categoriesOf(db, [cards[0]!.id, cards[4]!.id]);
    // Every language's name: English and Spanish as stored, French, German and Arabic from the taxonomy.
    expect(cats.get(cards[0]!.id)).toEqual({ slug: "fruit", en: food.labelEn, es: food.labelEs, fr: "Fruits", de: "Obst", ar: "الفواكه" });
    expect(cats.has(cards[4]!.id)).toBe(false);
  });

  it("comprehension offers the card and three others, from the same interest first, the same for the same seed", async () => {
    const { db, cards } = await setup();
    await loadInterests(db);
    for (const c of cards.slice(0, 4)) await tag(db, c.id, "fruit");
    await tag(db, cards[4]!.id, "vegetables");
    const board = cards.map((c) => ({
      id: c.id,
      title: c.title,
      imageKey: c.imageKey,
      imageWidth: c.imageWidth,
      imageHeight: c.imageHeight,
    }));
    const a = await comprehensionChoices(db, { id: cards[0]!.id, title: "apple", lang: "en" }, board, 11);
    expect(a).toHaveLength(4);
    const ids = a.map((c) => c.id);
    expect(ids).toContain(cards[0]!.id);
    // Two from fruit, one from a neighbouring interest (vegetables, same parent): the chair-and-table card 6 only as filler.
    expect(ids.filter((id) => [cards[1]!.id, cards[2]!.id, cards[3]!.id].includes(id))).toHaveLength(2);
    expect(ids).toContain(cards[4]!.id);
    expect(await comprehensionChoices(db, { id: cards[0]!.id, title: "apple", lang: "en" }, board, 11)).toEqual(a);
    expect(Object.keys(a[0]!).sort()).toEqual(["id", "imageHeight", "imageKey", "imageWidth"]); // no words
  });
});

describe("present mode marks", () => {
  it("the therapist marks attendees for a card shown; each is a naming review rated by the therapist", async () => {
    const db = await testDb();
    const therapist = await makeUser(db, "Tomás");
    const carmen = await makeUser(db, "Carmen");
    const luis = await makeUser(db, "Luis");
    const image = await storeImage(db, await pngBytes());
    const board = await createBoard(db, therapist.id, { title: "Kitchen", description: "", lang: "es", visibility: "public" });
    const card = await createCard(db, therapist, board.id, { title: "taza", alt: "una taza", cue: "", note: "", lang: "es" }, image);
    const w = await createWorkshop(db, therapist, {
      title: "Naming group",
      description: "",
      lang: "es",
      weekday: 1,
      startTime: "10:00",
      durationMinutes: 60,
      timeZone: "Europe/Madrid",
      startsOn: "2026-01-05",
      endsOn: "",
      place: "",
      videoUrl: "",
      capacity: 5,
    });
    if (!w.ok) throw new Error("workshop");
    const id = w.workshop.id;
    for (const u of [carmen, luis]) {
      const { token } = await createInvite(db, id, therapist, "participant", t0);
      const j = await joinWithInvite(db, token, u, t0);
      if (!j.ok) throw new Error(j.problem);
    }
    await attachBoard(db, id, "2026-01-05", therapist, board.id);
    expect((await presentAttendees(db, id, "2026-01-05")).map((a) => a.displayName).sort()).toEqual(["Carmen", "Luis"]);
    const input = { workshopId: id, date: "2026-01-05", pinId: card.id, now: t0 };
    expect(await markNaming(db, { ...input, user: therapist, learnerIds: [carmen.id, luis.id], outcome: "cued", cueLevel: 2 })).toEqual({
      marked: 2,
    });
    const l = await db.select().from(reviewLogs).orderBy(reviewLogs.learnerId);
    expect(l.map((r) => [r.learnerId, r.mode, r.outcome, r.cueLevel, r.ratedBy, r.sessionId])).toEqual([
      [carmen.id, "naming", "cued", 2, therapist.id, null],
      [luis.id, "naming", "cued", 2, therapist.id, null],
    ]);
    // A participant may not mark; nor may anyone be marked who is not an attendee.
    const status = async (fn: () => Promise<unknown>) =>
      fn().then(
        () => 200,
        (e: unknown) => (e instanceof Response ? e.status : 500),
      );
    expect(await status(() => markNaming(db, { ...input, user: carmen, learnerIds: [luis.id], outcome: "correct", cueLevel: 0 }))).toBe(
      404,
    );
    expect(
      await status(() => markNaming(db, { ...input, user: therapist, learnerIds: [therapist.id], outcome: "correct", cueLevel: 0 })),
    ).toBe(400);
    expect(await status(() => markNaming(db, { ...input, user: therapist, learnerIds: [carmen.id], outcome: "cued", cueLevel: 0 }))).toBe(
      400,
    );
  });
});
