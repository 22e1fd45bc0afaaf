import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { boards, pins } from "../../db/tables";
import { cueFor, DEMO_ACCOUNTS, DEMO_PASSWORD, seedStarterLibrary } from "../../app/services/seed.server";
import { imagePath } from "../../app/services/images.server";
import { signIn } from "../../app/services/users.server";
import { existsSync } from "node:fs";
import { testDb } from "./helpers";

describe("starter library seed", () => {
  it("seeds ≥300 cards on ≥20 topic boards in each language, with pictures on disk, once only", async () => {
    const db = await testDb();
    const first = await seedStarterLibrary(db);
    expect(first.cards).toBeGreaterThanOrEqual(600);
    const perLang = await db
      .select({ lang: boards.lang, n: sql<number>`count(*)`.mapWith(Number) })
      .from(boards)
      .groupBy(boards.lang);
    for (const { n } of perLang) expect(n).toBeGreaterThanOrEqual(20);
    const cardsPerLang = await db
      .select({ lang: pins.lang, n: sql<number>`count(*)`.mapWith(Number) })
      .from(pins)
      .groupBy(pins.lang);
    expect(cardsPerLang.map((r) => r.lang).sort()).toEqual(["en", "es"]);
    for (const { n } of cardsPerLang) expect(n).toBeGreaterThanOrEqual(300);
    const sample = await db.select().from(pins).limit(5);
    for (const p of sample) {
      expect(p.alt.length).toBeGreaterThan(0);
      expect(existsSync(imagePath(p.imageKey)!)).toBe(true);
      expect(p.source).toMatch(/^openmoji:/);
    }
    expect(await seedStarterLibrary(db)).toEqual({ boards: 0, cards: 0 });
    expect((await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(pins))[0]!.n).toBe(first.cards);
  }, 180_000); // 600 pictures rendered and stored, on a machine shared with other runs

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
