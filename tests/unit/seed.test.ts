import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { boards, pins } from "../../db/tables";
import { cueFor, DEMO_ACCOUNTS, DEMO_PASSWORD, seedStarterLibrary } from "../../app/services/seed.server";
import { imagePath } from "../../app/services/images.server";
import { signIn } from "../../app/services/users.server";
import { existsSync } from "node:fs";
import { tempDb } from "./helpers";

describe("starter library seed", () => {
  it("seeds ≥300 cards on ≥20 topic boards in each language, with pictures on disk, once only", async () => {
    const db = tempDb();
    const first = await seedStarterLibrary(db);
    expect(first.cards).toBeGreaterThanOrEqual(600);
    const perLang = db
      .select({ lang: boards.lang, n: sql<number>`count(*)` })
      .from(boards)
      .groupBy(boards.lang)
      .all();
    for (const { n } of perLang) expect(n).toBeGreaterThanOrEqual(20);
    const cardsPerLang = db
      .select({ lang: pins.lang, n: sql<number>`count(*)` })
      .from(pins)
      .groupBy(pins.lang)
      .all();
    expect(cardsPerLang.map((r) => r.lang).sort()).toEqual(["en", "es"]);
    for (const { n } of cardsPerLang) expect(n).toBeGreaterThanOrEqual(300);
    const sample = db.select().from(pins).limit(5).all();
    for (const p of sample) {
      expect(p.alt.length).toBeGreaterThan(0);
      expect(existsSync(imagePath(p.imageKey)!)).toBe(true);
      expect(p.source).toMatch(/^openmoji:/);
    }
    expect(await seedStarterLibrary(db)).toEqual({ boards: 0, cards: 0 });
    expect(
      db
        .select({ n: sql<number>`count(*)` })
        .from(pins)
        .get()!.n,
    ).toBe(first.cards);
  });

  it("lets every demo account sign in with the README's password", async () => {
    const db = tempDb();
    await seedStarterLibrary(db);
    for (const a of DEMO_ACCOUNTS) expect((await signIn(db, a.email, DEMO_PASSWORD, `seed-${a.email}`)).ok).toBe(true);
  });

  it("gives a phonemic cue in the card's language", () => {
    expect(cueFor("apple", "en")).toBe("Starts with “ap…”");
    expect(cueFor("árbol", "es")).toBe("Empieza por «ár…»");
  });
});
