import { describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { boards, LOCALES, pins } from "../../db/tables";
import starter from "../../db/seed/starter-library.json";
import { cueFor, DEMO_ACCOUNTS, DEMO_PASSWORD, seedStarterLibrary } from "../../app/services/seed.server";
import { imagePath } from "../../app/services/images.server";
import { signIn } from "../../app/services/users.server";
import { existsSync } from "node:fs";
import { testDb } from "./helpers";

describe("starter library seed", () => {
  it("seeds ≥300 cards on ≥20 topic boards in each of the five languages, with pictures on disk, once only", async () => {
    const db = await testDb();
    const first = await seedStarterLibrary(db);
    expect(first.cards).toBe(5 * starter.topics.reduce((n, t) => n + t.cards.length, 0));
    expect(first.boards).toBe(5 * starter.topics.length + 5); // and the demo accounts' five boards
    const perLang = await db
      .select({ lang: boards.lang, n: sql<number>`count(*)`.mapWith(Number) })
      .from(boards)
      .groupBy(boards.lang);
    for (const { n } of perLang) expect(n).toBeGreaterThanOrEqual(20);
    const cardsPerLang = await db
      .select({ lang: pins.lang, n: sql<number>`count(*)`.mapWith(Number) })
      .from(pins)
      .groupBy(pins.lang);
    expect(cardsPerLang.map((r) => r.lang).sort()).toEqual([...LOCALES].sort());
    for (const { n } of cardsPerLang) expect(n).toBeGreaterThanOrEqual(300);
    // Every picture is one stored image, shared by its five cards.
    const sharing = await db
      .select({ key: pins.imageKey, n: sql<number>`count(distinct ${pins.lang})`.mapWith(Number) })
      .from(pins)
      .groupBy(pins.imageKey);
    expect(sharing.every((r) => r.n === 5)).toBe(true);
    // A French, a German and an Arabic card: the word, its picture description and hint in its language.
    const [bread] = starter.topics[0]!.cards;
    for (const [lang, alt, cue] of [
      ["fr", "Dessin\u00a0: pain", "Commence par «\u00a0pa…\u00a0»"],
      ["de", "Zeichnung: Brot", "Beginnt mit „Br…“"],
      ["ar", "رسم: خبز", "يبدأ بـ «خب…»"],
    ] as const) {
      const [card] = await db
        .select()
        .from(pins)
        .where(and(eq(pins.lang, lang), eq(pins.source, `openmoji:${bread!.hexcode}`)));
      expect([card?.title, card?.alt, card?.cue]).toEqual([bread![lang], alt, cue]);
    }
    const sample = await db.select().from(pins).limit(5);
    for (const p of sample) {
      expect(p.alt.length).toBeGreaterThan(0);
      expect(existsSync(imagePath(p.imageKey)!)).toBe(true);
      expect(p.source).toMatch(/^openmoji:/);
    }
    expect(await seedStarterLibrary(db)).toEqual({ boards: 0, cards: 0 });
    expect((await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(pins))[0]!.n).toBe(first.cards);
  }, 300_000); // 2,500 cards stored, on a machine shared with other runs

  it("lets every demo account sign in with the README's password", async () => {
    const db = await testDb();
    await seedStarterLibrary(db);
    for (const a of DEMO_ACCOUNTS) expect((await signIn(db, a.email, DEMO_PASSWORD, `seed-${a.email}`)).ok).toBe(true);
  }, 180_000);

  it("gives a phonemic cue in the card's language", () => {
    expect(cueFor("apple", "en")).toBe("Starts with “ap…”");
    expect(cueFor("árbol", "es")).toBe("Empieza por «ár…»");
  });
});
