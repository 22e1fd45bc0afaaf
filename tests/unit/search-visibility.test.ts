// A card the viewer may not see must not change what search shows them (found by a Chromium walk-through:
// a private card titled "apple" made public "red apple" cards disappear for everyone, and so told that
// the hidden card existed). Real database (SQLite file, or PostgreSQL under test:pg), real pipeline.
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client";
import { users, type User } from "../../db/tables";
import { createBoard } from "../../app/services/boards.server";
import { createCard } from "../../app/services/cards.server";
import { indexBoards, indexPins } from "../../app/services/indexing.server";
import { getPipeline, type Pipeline } from "../../app/services/pipeline.server";
import { search } from "../../app/services/search.server";
import { testDb } from "./helpers";

let db: Db;
let p: Pipeline;
let owner: User;
let stranger: User;
const image = { key: "0".repeat(64) + ".webp", width: 10, height: 10 };
const card = (title: string) => ({ title, alt: `A ${title}`, cue: "", note: "", lang: "en" as const });
const person = async (name: string) =>
  (
    await db
      .insert(users)
      .values({ email: `${name}@example.com`, passwordHash: "x", displayName: name, locale: "en" })
      .returning()
  )[0]!;

beforeAll(async () => {
  db = await testDb();
  p = await getPipeline();
  owner = await person("owner");
  stranger = await person("stranger");
  const open = await createBoard(db, stranger.id, { title: "Kitchen", description: "", lang: "en", visibility: "public" });
  for (const t of ["red kettle", "blue kettle", "teapot"]) await createCard(db, stranger, open.id, card(t), image);
  for (const visibility of ["private", "unlisted"] as const) {
    const hidden = await createBoard(db, owner.id, { title: `Mine ${visibility}`, description: "", lang: "en", visibility });
    await createCard(db, owner, hidden.id, card("kettle"), image);
  }
  await indexPins(db, p);
  await indexBoards(db, p);
}, 120_000); // the encoder loads and the cards are embedded: beyond the default on a busy machine

const titles = async (viewer: User | null) =>
  (await search(db, p, { q: "kettle", uiLang: "en", viewer, limit: 20, kind: "all" })).cards.map((c) => c.title);

describe("search and cards the viewer may not see", () => {
  it("shows visitors and strangers the public kettles, as if the hidden 'kettle' cards did not exist", async () => {
    for (const viewer of [null, stranger]) {
      const shown = await titles(viewer);
      expect(shown).toEqual(expect.arrayContaining(["red kettle", "blue kettle"]));
      expect(shown).not.toContain("kettle");
    }
  });

  it("still gives the owner their own card first", async () => {
    expect((await titles(owner))[0]).toBe("kettle");
  });
});
