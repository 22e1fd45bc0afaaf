// Which English senses a German query keeps (models/lang/translator.ts keepPresent): those the public
// English cards hold first, in the dictionary's order; a private card's words count for nothing. Real
// database (SQLite file, or PostgreSQL under test:pg), the real FreeDict dictionaries (skipped, saying
// so, when they are not installed) and the real pipeline.
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client";
import { users, type User } from "../../db/tables";
import { createBoard } from "../../app/services/boards.server";
import { createCard } from "../../app/services/cards.server";
import { indexBoards, indexPins } from "../../app/services/indexing.server";
import { getPipeline, type Pipeline } from "../../app/services/pipeline.server";
import { search, understandQuery } from "../../app/services/search.server";
import { FreeDict } from "../../models/lang/freedict";
import { testDb } from "./helpers";

const installed = FreeDict.installed("deu-eng") && FreeDict.installed("eng-deu");
if (!installed) console.warn("SKIPPED sense choice tests: dict-freedict-deu-eng / -eng-deu are not installed");

let db: Db;
let p: Pipeline;
const image = { key: "0".repeat(64) + ".webp", width: 10, height: 10 };
const card = (title: string) => ({ title, alt: `A picture: ${title}`, cue: "", note: "", lang: "en" as const });
const person = async (name: string): Promise<User> =>
  (
    await db
      .insert(users)
      .values({ email: `${name}@example.com`, passwordHash: "x", displayName: name, locale: "en" })
      .returning()
  )[0]!;

describe.skipIf(!installed)("the English senses a German query keeps", () => {
  beforeAll(async () => {
    db = await testDb();
    p = await getPipeline();
    const creator = await person("creator");
    const owner = await person("owner");
    const open = await createBoard(db, creator.id, { title: "Weather and water", description: "", lang: "en", visibility: "public" });
    // deu-eng: Strömung → line, strain, strand, current, airstream, flow (current and line first).
    for (const t of ["air flow", "river bank"]) await createCard(db, creator, open.id, card(t), image);
    // A private card must not steer anyone's translation: "strain" on it counts for nothing.
    const mine = await createBoard(db, owner.id, { title: "Mine", description: "", lang: "en", visibility: "private" });
    await createCard(db, owner, mine.id, card("strain"), image);
    await indexPins(db, p);
    await indexBoards(db, p);
  }, 120_000);

  const english = async (q: string) => (await understandQuery(db, p, q, "de")).english?.split(" ") ?? [];

  it("keeps the senses the public cards hold, in the dictionary's order", async () => {
    // deu-eng orders Strömung's senses current, line, strain, strand, airstream, flow. Only "flow" is on
    // a public card: it comes first, then the dictionary's first. "strain" is on a private card only:
    // counted, it would have come before flow.
    expect((await english("Strömung")).slice(0, 2)).toEqual(["flow", "current"]);
    const r = await search(db, p, { q: "Strömung", uiLang: "de", viewer: null, limit: 10, kind: "cards" });
    expect(r.cards[0]?.title).toBe("air flow");
  });

  it("with no public card holding any sense, keeps the dictionary's first two", async () => {
    // Gewitter → thunderstorm, …: none is on a card; the translation is what it was without the cards.
    const plain = (await p.translator.toEnglish(["Gewitter"], "de"))[0]!.split(" ");
    expect(await english("Gewitter")).toEqual(plain);
  });
});
