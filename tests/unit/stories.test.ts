import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { boardPins, pins, stories, storyPages, type User } from "../../db/tables";
import { createBoard } from "../../app/services/boards.server";
import { getCardForViewer } from "../../app/services/cards.server";
import { reindexAfterChange } from "../../app/services/indexing.server";
import { getPipeline, type Pipeline } from "../../app/services/pipeline.server";
import { search } from "../../app/services/search.server";
import {
  boardChoices,
  createStory,
  deleteStory,
  readStorySubmission,
  storiesAbout,
  storyFormValues,
  storyPagesOf,
  updateStory,
} from "../../app/services/stories.server";
import { MAX_PAGES } from "../../app/lib/story-forms";
import { fileOf, makeUser, pngBytes, testDb } from "./helpers";

let db: Db;
let p: Pipeline;
let author: User;
let myBoard: number;
let aboutBoard: number;

type Page = { alt?: string; text?: string; file?: File; key?: string };
function storyForm(fields: Record<string, string>, pages: Page[]): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  pages.forEach((pg, i) => {
    const id = `p${i + 1}`;
    f.append("page", id);
    f.set(`alt-${id}`, pg.alt ?? "");
    f.set(`text-${id}`, pg.text ?? "");
    if (pg.key) f.set(`key-${id}`, pg.key);
    if (pg.file) f.set(`image-${id}`, pg.file);
  });
  return f;
}
const png = async (color: string) => fileOf(await pngBytes(60, 40, color), "page.png", "image/png");

beforeAll(async () => {
  db = await testDb();
  p = await getPipeline();
  author = await makeUser(db, "Author");
  myBoard = (await createBoard(db, author.id, { title: "My stories", description: "", lang: "en", visibility: "public" })).id;
  aboutBoard = (await createBoard(db, author.id, { title: "Kitchen words", description: "", lang: "en", visibility: "public" })).id;
}, 120_000);

describe("reading the story form", () => {
  it("accepts a valid two-page story", async () => {
    const form = storyForm({ title: "Making soup", lang: "en", about: String(aboutBoard), board: String(myBoard) }, [
      { alt: "A pot of water on the stove", text: "First we boil the water.", file: await png("#2255aa") },
      { alt: "Carrots on a board", text: "Then we cut the carrots.", file: await png("#dd7722") },
    ]);
    const r = await readStorySubmission(db, author, form, true);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.boardId).toBe(myBoard);
    expect(r.input.about).toBe(aboutBoard);
    expect(r.input.pages.map((pg) => pg.text)).toEqual(["First we boil the water.", "Then we cut the carrots."]);
    expect(r.input.pages[0]!.image.key).toMatch(/\.webp$/);
  });

  it("asks for a page's missing alt text, keeping the uploaded pictures by key and everything typed", async () => {
    const form = storyForm({ title: "Soup", lang: "en", about: "", board: String(myBoard) }, [
      { alt: "A pot", text: "Boil.", file: await png("#2255aa") },
      { alt: "  ", text: "Cut the carrots.", file: await png("#dd7722") },
    ]);
    const r = await readStorySubmission(db, author, form, true);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual({ "alt-p2": "errors.required" });
    expect(r.values.title).toBe("Soup");
    expect(r.values.pages.map((pg) => pg.text)).toEqual(["Boil.", "Cut the carrots."]);
    // Both pictures were stored and come back by key: sending the keys again (no files) is enough.
    const keys = r.values.pages.map((pg) => pg.key);
    expect(keys.every((k) => /^[a-f0-9]{64}\.webp$/.test(k ?? ""))).toBe(true);
    const again = storyForm({ title: "Soup", lang: "en", about: "", board: String(myBoard) }, [
      { alt: "A pot", text: "Boil.", key: keys[0] },
      { alt: "Carrots", text: "Cut the carrots.", key: keys[1] },
    ]);
    const ok = await readStorySubmission(db, author, again, true);
    expect(ok.ok).toBe(true);
  });

  it("refuses a story with no pages, or more than the maximum", async () => {
    const none = await readStorySubmission(db, author, storyForm({ title: "Empty", lang: "en", board: String(myBoard) }, []), true);
    expect(none.ok === false && none.errors.pages).toBe("stories:errors.noPages");
    const many = Array.from({ length: MAX_PAGES + 1 }, () => ({ alt: "x", text: "y" }));
    const tooMany = await readStorySubmission(db, author, storyForm({ title: "Long", lang: "en", board: String(myBoard) }, many), true);
    expect(tooMany.ok === false && tooMany.errors.pages).toBe("stories:errors.tooManyPages");
    expect(tooMany.ok === false && tooMany.values.pages).toHaveLength(MAX_PAGES + 1); // nothing typed is lost
  });

  it("reports a missing picture, a long text, a missing title and someone else's board, each on its field", async () => {
    const other = await makeUser(db, "Other");
    const theirs = await createBoard(db, other.id, { title: "Theirs", description: "", lang: "en", visibility: "private" });
    const form = storyForm({ title: " ", lang: "it", about: String(theirs.id), board: String(theirs.id) }, [
      { alt: "A pot", text: "x".repeat(281) },
    ]);
    const r = await readStorySubmission(db, author, form, true);
    expect(r.ok === false && r.errors).toEqual({
      title: "errors.required",
      lang: "errors.choice",
      board: "stories:errors.chooseBoard",
      "text-p1": "stories:errors.textTooLong?max=280&length=281", // the limit and the length travel with the key
      "image-p1": "errors.imageRequired",
    });
    const r2 = await readStorySubmission(
      db,
      author,
      storyForm({ title: "T", lang: "en", about: String(theirs.id), board: String(myBoard) }, [{ alt: "a", file: await png("#000000") }]),
      true,
    );
    expect(r2.ok === false && r2.errors).toEqual({ about: "stories:errors.aboutBoard" });
  });

  it("refuses a picture that is not one, on that page only", async () => {
    const fake = fileOf(Buffer.from("not a picture"), "fake.png", "image/png");
    const r = await readStorySubmission(
      db,
      author,
      storyForm({ title: "T", lang: "en", board: String(myBoard) }, [{ alt: "a", file: fake }]),
      true,
    );
    expect(r.ok === false && r.errors).toEqual({ "image-p1": "errors.imageMismatch" });
  });
});

describe("a Story Pin", () => {
  let pinId: number;

  it("is a pin of kind story on the author's board, with its pages, that search finds by a page's text", async () => {
    const form = storyForm({ title: "Our garden", lang: "en", about: String(aboutBoard), board: String(myBoard) }, [
      { alt: "Seeds in a hand", text: "We plant the seeds in spring.", file: await png("#556b2f") },
      { alt: "Red tomatoes", text: "In summer we pick ripe tomatoes together.", file: await png("#cc2222") },
    ]);
    const r = await readStorySubmission(db, author, form, true);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const pin = await createStory(db, author, r.boardId!, r.input);
    pinId = pin.id;
    await reindexAfterChange(db, p, { pinIds: [pin.id], boardIds: [myBoard] });

    expect(pin.kind).toBe("story");
    expect(pin.title).toBe("Our garden");
    expect(pin.imageKey).toBe(r.input.pages[0]!.image.key); // the cover is the first page
    expect(pin.alt).toBe("Seeds in a hand");
    expect(pin.note).toContain("ripe tomatoes");
    expect((await db.select().from(boardPins).where(eq(boardPins.pinId, pin.id))).map((b) => b.boardId)).toEqual([myBoard]);
    expect((await db.select().from(stories).where(eq(stories.pinId, pin.id)))[0]?.boardId).toBe(aboutBoard);
    const view = await storyPagesOf(db, pin.id, null);
    expect(view.pages.map((pg) => [pg.position, pg.alt])).toEqual([
      [0, "Seeds in a hand"],
      [1, "Red tomatoes"],
    ]);
    expect(view.about).toEqual({ id: aboutBoard, title: "Kitchen words", lang: "en" });

    // The second page's words find it, like any card.
    const found = await search(db, p, { q: "ripe tomatoes", uiLang: "en", viewer: null, limit: 10, kind: "cards" });
    expect(found.cards.map((c) => c.id)).toContain(pin.id);
    // …and it is listed with the board it is about.
    expect((await storiesAbout(db, aboutBoard, null)).map((s) => [s.id, s.pageCount])).toEqual([[pin.id, 2]]);
    expect((await getCardForViewer(db, pin.id, null)).kind).toBe("story");
  });

  it("is edited by its author: pages reordered, one removed, the cover follows the first page", async () => {
    const pin = (await db.select().from(pins).where(eq(pins.id, pinId)))[0]!;
    const values = await storyFormValues(db, pin);
    expect(values.pages).toHaveLength(2);
    const form = storyForm({ title: "Our tomatoes", lang: "en", about: "" }, [
      { alt: values.pages[1]!.alt, text: "Only tomatoes now.", key: values.pages[1]!.key },
    ]);
    const r = await readStorySubmission(db, author, form, false);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const updated = await updateStory(db, pinId, author, r.input);
    expect(updated.title).toBe("Our tomatoes");
    expect(updated.imageKey).toBe(values.pages[1]!.key);
    expect(updated.alt).toBe("Red tomatoes");
    expect(await db.select().from(storyPages).where(eq(storyPages.pinId, pinId))).toHaveLength(1);
    expect(await storiesAbout(db, aboutBoard, null)).toEqual([]); // no longer about that board
  });

  it("can be changed and deleted only by its author", async () => {
    const other = await makeUser(db, "Stranger");
    const input = {
      title: "Hijack",
      lang: "en" as const,
      about: null,
      pages: [{ image: { key: "x", width: 1, height: 1 }, alt: "a", text: "" }],
    };
    await expect(updateStory(db, pinId, other, input)).rejects.toThrow();
    await expect(deleteStory(db, pinId, other)).rejects.toThrow();
    expect((await deleteStory(db, pinId, author)).boardIds).toEqual([myBoard]);
    expect((await db.select().from(pins).where(eq(pins.id, pinId)))[0]).toBeUndefined();
    expect(await db.select().from(storyPages).where(eq(storyPages.pinId, pinId))).toEqual([]);
  });

  it("offers only the author's own boards, even when someone else's board is asked for (finding 6)", async () => {
    const other = await makeUser(db, "Neighbour");
    const open = await createBoard(db, other.id, { title: "Open board", description: "", lang: "es", visibility: "public" });
    const closed = await createBoard(db, other.id, { title: "Closed board", description: "", lang: "es", visibility: "private" });
    const offered = await boardChoices(db, author, open.id);
    expect(offered.about.map((b) => b.title)).not.toContain("Open board");
    expect(offered.own.map((b) => b.title)).not.toContain("Open board");
    expect((await boardChoices(db, author, closed.id)).about.map((b) => b.title)).not.toContain("Closed board");
  });
});
