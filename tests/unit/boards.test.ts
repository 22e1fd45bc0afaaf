import { describe, expect, it } from "vitest";
import { boardPins } from "../../db/tables";
import {
  boardsOwnedBy,
  createBoard,
  deleteBoard,
  getBoardForViewer,
  moveCard,
  popularPublicBoards,
  recentPublicBoards,
  updateBoard,
} from "../../app/services/boards.server";
import { createCard, deleteCard, getCardForViewer, saveCardToBoard, updateCard } from "../../app/services/cards.server";
import { storeImage } from "../../app/services/images.server";
import { makeUser, pngBytes, testDb } from "./helpers";

const statusOf = async (fn: () => unknown) => {
  try {
    await fn();
    return 200;
  } catch (e) {
    if (e instanceof Response) return e.status;
    throw e;
  }
};

async function setup() {
  const db = await testDb();
  const owner = await makeUser(db, "Owner");
  const other = await makeUser(db, "Other");
  const image = await storeImage(db, await pngBytes());
  const board = await createBoard(db, owner.id, { title: "Food", description: "", lang: "en", visibility: "public" });
  const words = ["apple", "bread", "cheese", "milk"];
  const cards = [];
  for (const w of words)
    cards.push(await createCard(db, owner, board.id, { title: w, alt: `a ${w}`, cue: "", note: "", lang: "en" }, image));
  return { db, owner, other, image, board, cards };
}

const order = async (db: Awaited<ReturnType<typeof setup>>["db"], boardId: number, viewer: Awaited<ReturnType<typeof setup>>["owner"]) =>
  (await getBoardForViewer(db, boardId, viewer)).cards.map((c) => c.title);

describe("boards", () => {
  it("lists cards in the order they were added", async () => {
    const { db, owner, board } = await setup();
    expect(await order(db, board.id, owner)).toEqual(["apple", "bread", "cheese", "milk"]);
  });

  it("moves cards up, down, to the start and to the end", async () => {
    const { db, owner, board, cards } = await setup();
    expect(await moveCard(db, board.id, cards[0]!.id, owner, "down")).toEqual({ position: 2, total: 4 });
    expect(await order(db, board.id, owner)).toEqual(["bread", "apple", "cheese", "milk"]);
    await moveCard(db, board.id, cards[3]!.id, owner, "first");
    expect(await order(db, board.id, owner)).toEqual(["milk", "bread", "apple", "cheese"]);
    await moveCard(db, board.id, cards[3]!.id, owner, "up"); // already first: nothing changes
    expect(await order(db, board.id, owner)).toEqual(["milk", "bread", "apple", "cheese"]);
    expect(await moveCard(db, board.id, cards[1]!.id, owner, "last")).toEqual({ position: 4, total: 4 });
    expect(await order(db, board.id, owner)).toEqual(["milk", "apple", "cheese", "bread"]);
  });

  it("refuses changes by someone else on the server", async () => {
    const { db, other, board, cards } = await setup();
    expect(await statusOf(() => moveCard(db, board.id, cards[0]!.id, other, "down"))).toBe(403);
    expect(
      await statusOf(() => updateBoard(db, board.id, other, { title: "Mine now", description: "", lang: "en", visibility: "public" })),
    ).toBe(403);
    expect(await statusOf(() => deleteBoard(db, board.id, other))).toBe(403);
    expect(await statusOf(() => updateCard(db, cards[0]!.id, other, { title: "x", alt: "x", cue: "", note: "", lang: "en" }))).toBe(403);
    expect(await statusOf(() => deleteCard(db, cards[0]!.id, other))).toBe(403);
  });

  it("hides a private board and its cards: a 404 to everyone but the owner", async () => {
    const { db, owner, other, board, cards } = await setup();
    await updateBoard(db, board.id, owner, { title: "Food", description: "", lang: "en", visibility: "private" });
    expect(await statusOf(() => getBoardForViewer(db, board.id, other))).toBe(404);
    expect(await statusOf(() => getBoardForViewer(db, board.id, null))).toBe(404);
    expect(await statusOf(() => getCardForViewer(db, cards[0]!.id, null))).toBe(404);
    expect(await statusOf(() => getBoardForViewer(db, board.id, owner))).toBe(200);
    expect(await statusOf(() => getCardForViewer(db, cards[0]!.id, owner))).toBe(200);
    expect((await recentPublicBoards(db)).map((b) => b.id)).not.toContain(board.id);
    // Someone else cannot even learn that it exists by trying to change it.
    expect(await statusOf(() => moveCard(db, board.id, cards[0]!.id, other, "down"))).toBe(404);
  });

  it("shows an unlisted board only with its share key, and not in public lists", async () => {
    const { db, owner, other, board } = await setup();
    await updateBoard(db, board.id, owner, { title: "Food", description: "", lang: "en", visibility: "unlisted" });
    // The id alone (ids are sequential) opens nothing: the finding-5 attack.
    expect(await statusOf(() => getBoardForViewer(db, board.id, other))).toBe(404);
    const key = (await getBoardForViewer(db, board.id, owner)).shareKey!;
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(await statusOf(() => getBoardForViewer(db, board.id, other, key))).toBe(200);
    expect((await recentPublicBoards(db)).map((b) => b.id)).not.toContain(board.id);
  });

  it("saves someone's public card to another board: one card, two boards", async () => {
    const { db, owner, other, board, cards } = await setup();
    const mine = await createBoard(db, other.id, { title: "Practice", description: "", lang: "en", visibility: "private" });
    expect(await saveCardToBoard(db, cards[1]!.id, mine.id, other)).toBe("saved");
    expect(await saveCardToBoard(db, cards[1]!.id, mine.id, other)).toBe("already");
    expect(await statusOf(() => saveCardToBoard(db, cards[1]!.id, board.id, other))).toBe(403);
    const seenByOther = await getCardForViewer(db, cards[1]!.id, other);
    expect(seenByOther.boards.map((b) => b.id).sort()).toEqual([board.id, mine.id].sort());
    // A visitor does not see the private board in the card's list.
    expect((await getCardForViewer(db, cards[1]!.id, null)).boards.map((b) => b.id)).toEqual([board.id]);
    expect((await db.select().from(boardPins)).filter((e) => e.pinId === cards[1]!.id)).toHaveLength(2);
    // The board whose card was saved elsewhere is now the most popular.
    const other2 = await createBoard(db, owner.id, { title: "Empty", description: "", lang: "en", visibility: "public" });
    expect((await popularPublicBoards(db))[0]!.id).toBe(board.id);
    expect((await popularPublicBoards(db)).map((b) => b.id)).toContain(other2.id);
  });

  it("deletes a board, and the owner's cards that are on no other board", async () => {
    const { db, owner, other, board, cards } = await setup();
    const mine = await createBoard(db, other.id, { title: "Practice", description: "", lang: "en", visibility: "public" });
    await saveCardToBoard(db, cards[0]!.id, mine.id, other);
    await deleteBoard(db, board.id, owner);
    expect(await boardsOwnedBy(db, owner.id)).toHaveLength(0);
    expect(await statusOf(() => getCardForViewer(db, cards[0]!.id, other))).toBe(200); // still on the other board
    expect(await statusOf(() => getCardForViewer(db, cards[1]!.id, owner))).toBe(404);
  });
});
