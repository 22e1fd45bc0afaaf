import { existsSync } from "node:fs";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client";
import { users, type User } from "../../db/tables";
import { createBoard } from "../../app/services/boards.server";
import { createCard, saveCardToBoard } from "../../app/services/cards.server";
import { storeImage } from "../../app/services/images.server";
import { indexPins } from "../../app/services/indexing.server";
import { getPipeline, type Pipeline } from "../../app/services/pipeline.server";
import {
  embedNewPins,
  loadWeights,
  readSageVectors,
  sageNeighbours,
  trainPinSage,
  weightsFile,
  type TrainPinSageSummary,
} from "../../app/services/pinsage.server";
import { sql } from "drizzle-orm";
import { first, exec, rows as raw } from "../../app/services/data/raw.server";
import { makeUser, pngBytes, seededTestDb } from "./helpers";

// The real sentence encoder on a real database (SQLite, or PostgreSQL under test:pg) seeded with the starter library; PinSage trained on it
// with a short schedule (the same code `npm run train:pinsage` runs).
let db: Db;
let p: Pipeline;
let maria: User;
let summary: TrainPinSageSummary;
const epochs: number[] = [];

const pinsOnBoard = async (title: string) =>
  (
    await raw<{ id: number }>(
      db,
      sql`SELECT bp.pin_id AS id FROM board_pin bp JOIN board b ON b.id = bp.board_id WHERE b.title = ${title} ORDER BY bp.position`,
    )
  ).map((r) => r.id);
const pinByTitle = async (title: string, lang = "en") =>
  (await first<{ id: number }>(db, sql`SELECT id FROM pin WHERE title = ${title} AND lang = ${lang}`))!.id;
const count = async (table: string) => Number((await first<{ n: number }>(db, sql`SELECT count(*) AS n FROM ${sql.raw(table)}`))!.n);
const sageCount = () => count("pin_sage_vec");

beforeAll(async () => {
  db = await seededTestDb();
  p = await getPipeline();
  maria = (await db.select().from(users).where(eq(users.email, "maria@tablero.example")).limit(1))[0]!;
  summary = await trainPinSage(db, { epochs: 2, queriesPerEpoch: 768 }, (e) => epochs.push(e.loss));
}, 240_000);

describe("trainPinSage on the starter library", () => {
  it("writes an embedding for every card with a content vector, and the weights file", async () => {
    const cards = await count("pin_vec");
    expect(cards).toBe(2525); // the starter library: 505 pictures, a card in each of the five languages
    expect(summary.written).toBe(cards);
    expect(await sageCount()).toBe(cards);
    expect(summary.positives.boards).toBeGreaterThan(1000);
    expect(epochs).toHaveLength(2);
    expect(summary.losses).toEqual(epochs);
    expect(existsSync(weightsFile())).toBe(true);
    expect(weightsFile().startsWith(process.env.TABLERO_DATA_DIR!)).toBe(true);
    const w = loadWeights()!;
    expect(w.dim).toBe(512);
    expect(w.theta.length).toBeGreaterThan(0);
  });

  it("replaces rows when run again (idempotent) and learns from engagement too", async () => {
    const u = await makeUser(db, "Engaged");
    const dog = await pinByTitle("dog");
    const bread = await pinByTitle("bread");
    const t = Date.now();
    const ins = (pin: number, action: string, at: number) =>
      exec(
        db,
        sql`INSERT INTO engagement(user_id, session_key, pin_id, action, surface, created_at) VALUES (${u.id}, 's', ${pin}, ${action}, 'home', ${at})`,
      );
    await ins(dog, "closeup", t - 60_000);
    await ins(bread, "save", t - 30_000);
    await ins(bread, "impression", t - 20_000);
    const again = await trainPinSage(db, { epochs: 2, queriesPerEpoch: 768 });
    expect(again.positives.engagement).toBe(1);
    expect(await sageCount()).toBe(again.written);
    expect(again.written).toBe(summary.written);
  });

  it("finds cards like a card by their PinSage vectors, on public boards only", async () => {
    const dog = await pinByTitle("dog");
    const n = await sageNeighbours(db, dog, 10);
    expect(n).toHaveLength(10);
    expect(n.map((x) => x.pinId)).not.toContain(dog);
    expect(n.every((x) => x.source === "pinsage")).toBe(true);
    for (let i = 1; i < n.length; i++) expect(n[i]!.distance).toBeGreaterThanOrEqual(n[i - 1]!.distance);
    const animals = new Set([...(await pinsOnBoard("Animals")), ...(await pinsOnBoard("Animales"))]);
    expect(n.filter((x) => animals.has(x.pinId)).length).toBeGreaterThanOrEqual(8);

    // A card only on a private board and one only on an unlisted board, both about dogs, never show.
    const other = await makeUser(db, "Private person");
    const image = await storeImage(db, await pngBytes());
    const hidden: number[] = [];
    for (const visibility of ["private", "unlisted"] as const) {
      const board = await createBoard(db, other.id, { title: `My ${visibility} dogs`, description: "", lang: "en", visibility });
      hidden.push(
        (await createCard(db, other, board.id, { title: "dog", alt: "a dog", cue: "a pet that barks", note: "", lang: "en" }, image)).id,
      );
    }
    await indexPins(db, p);
    expect(await embedNewPins(db, hidden)).toBe(2);
    const after = (await sageNeighbours(db, dog, 50)).map((x) => x.pinId);
    for (const h of hidden) expect(after).not.toContain(h);
    // …while their owner still gets neighbours for them (from the vector, the card itself is never listed).
    expect((await sageNeighbours(db, hidden[0]!, 5)).map((x) => x.pinId)).not.toContain(hidden[0]);
  });

  it("embeds a new card from the saved weights, on request or when it turns up near another card", async () => {
    const image = await storeImage(db, await pngBytes(30, 30, "#aa6633"));
    const board = await createBoard(db, maria.id, { title: "Farm visit", description: "", lang: "en", visibility: "public" });
    const card = await createCard(
      db,
      maria,
      board.id,
      { title: "lamb", alt: "a young sheep", cue: "a baby sheep on the farm", note: "", lang: "en" },
      image,
    );
    for (const t of ["cow", "pig", "horse", "chicken"]) await saveCardToBoard(db, await pinByTitle(t), board.id, maria);
    await indexPins(db, p);
    expect((await readSageVectors(db, [card.id])).size).toBe(0);
    // Asking for cards like one of its board mates finds it by its content vector and embeds it then.
    const found = (await sageNeighbours(db, await pinByTitle("cow"), 60)).find((x) => x.pinId === card.id);
    expect(found?.source).toBe("pinsage");
    expect((await readSageVectors(db, [card.id])).size).toBe(1);

    expect(await embedNewPins(db, [card.id])).toBe(1);
    expect((await readSageVectors(db, [card.id])).size).toBe(1);
    const near = (await sageNeighbours(db, card.id, 8)).map((x) => x.pinId);
    const animals = new Set([...(await pinsOnBoard("Animals")), ...(await pinsOnBoard("Animales")), ...(await pinsOnBoard("Farm visit"))]);
    expect(near.filter((id) => animals.has(id)).length).toBeGreaterThanOrEqual(6);
  });

  it("embeds a card without a PinSage vector when asked for cards like it", async () => {
    const board = await createBoard(db, maria.id, { title: "Pets", description: "", lang: "en", visibility: "public" });
    const card = await createCard(
      db,
      maria,
      board.id,
      { title: "kitten", alt: "a young cat", cue: "a baby cat", note: "", lang: "en" },
      await storeImage(db, await pngBytes(20, 20, "#224466")),
    );
    await saveCardToBoard(db, await pinByTitle("cat"), board.id, maria);
    await indexPins(db, p);
    expect((await readSageVectors(db, [card.id])).size).toBe(0);
    expect(await sageNeighbours(db, card.id, 5)).toHaveLength(5);
    expect((await readSageVectors(db, [card.id])).size).toBe(1);
  });

  it("answers nothing for a card that does not exist", async () => {
    expect(await sageNeighbours(db, 999_999, 5)).toEqual([]);
    expect(await embedNewPins(db, [999_999])).toBe(0);
  });
});
