import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client";
import { boardPins, boards, pins, practiceGrants, type User } from "../../db/tables";
import { createBoard } from "../../app/services/boards.server";
import { CARD_PAGE, saveClip, voicesOf } from "../../app/services/audio/clips.server";
import { clipAudibleTo, requireAudible } from "../../app/services/access/audio.server";
import { makeUser, testDb, wavBytes as wav } from "./helpers";

// Who may hear /audio/<key> (walk-through finding: every recording was public while the recording
// page said "only you hear it"). Runs on SQLite and on PostgreSQL.
describe("who may hear a recording", () => {
  let db: Db;
  let creator: User, learner: User, partner: User, stranger: User;
  const cards: Record<"public" | "unlisted" | "private", number> = { public: 0, unlisted: 0, private: 0 };
  let unlistedKey = "";
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    db = await testDb();
    creator = await makeUser(db, "Carla");
    learner = await makeUser(db, "Lina");
    partner = await makeUser(db, "Pablo");
    stranger = await makeUser(db, "Sam");
    await db.insert(practiceGrants).values({ learnerId: learner.id, granteeId: partner.id });
    let tone = 1;
    for (const visibility of ["public", "unlisted", "private"] as const) {
      const board = await createBoard(db, creator.id, { title: visibility, description: "", lang: "en", visibility });
      const [pin] = await db
        .insert(pins)
        .values({ creatorId: creator.id, lang: "en", imageKey: "x.webp", imageWidth: 1, imageHeight: 1, alt: "Drawing", title: visibility })
        .returning({ id: pins.id });
      cards[visibility] = pin!.id;
      await db.insert(boardPins).values({ boardId: board.id, pinId: pin!.id, position: 0, savedBy: creator.id });
      if (visibility === "unlisted") unlistedKey = (await db.select().from(boards).where(eq(boards.id, board.id)))[0]!.shareToken!;
      const saved = await saveClip(db, { ownerId: creator.id, pinId: pin!.id, page: CARD_PAGE, kind: "word" }, wav(tone++));
      if (!saved.ok) throw new Error("not saved");
      keys[`creator:${visibility}`] = saved.key;
    }
    // The learner says the word of a public card in her own voice.
    const own = await saveClip(db, { ownerId: learner.id, pinId: cards.public, page: CARD_PAGE, kind: "word" }, wav(tone++));
    if (!own.ok) throw new Error("not saved");
    keys.learner = own.key;
  });

  it("a learner's own voice: herself and the people she practises with; a stranger gets a 404", async () => {
    const k = keys.learner!;
    expect(await clipAudibleTo(db, k, learner, null)).toBe(true);
    expect(await clipAudibleTo(db, k, partner, null)).toBe(true);
    expect(await clipAudibleTo(db, k, creator, null)).toBe(false);
    expect(await clipAudibleTo(db, k, null, null)).toBe(false);
    await expect(requireAudible(db, k, stranger, null)).rejects.toMatchObject({ status: 404 });
    await expect(requireAudible(db, k, partner, null)).resolves.toBeUndefined();
    // Ending the grant ends it at once.
    await db.delete(practiceGrants).where(and(eq(practiceGrants.learnerId, learner.id), eq(practiceGrants.granteeId, partner.id)));
    expect(await clipAudibleTo(db, k, partner, null)).toBe(false);
    await db.insert(practiceGrants).values({ learnerId: learner.id, granteeId: partner.id });
  });

  it("the creator's voice comes with the card: whoever may open the card hears it, nobody else", async () => {
    expect(await clipAudibleTo(db, keys["creator:public"]!, null, null)).toBe(true);
    expect(await clipAudibleTo(db, keys["creator:public"]!, stranger, null)).toBe(true);
    // An unlisted board's card: only with the board's key, which the page puts in the clip's address.
    expect(await clipAudibleTo(db, keys["creator:unlisted"]!, stranger, null)).toBe(false);
    expect(await clipAudibleTo(db, keys["creator:unlisted"]!, stranger, "0".repeat(32))).toBe(false);
    expect(await clipAudibleTo(db, keys["creator:unlisted"]!, stranger, unlistedKey)).toBe(true);
    expect((await voicesOf(db, cards.unlisted, stranger.id, unlistedKey)).word).toBe(
      `/audio/${keys["creator:unlisted"]}?key=${unlistedKey}`,
    );
    expect(await clipAudibleTo(db, keys["creator:private"]!, stranger, null)).toBe(false);
    expect(await clipAudibleTo(db, keys["creator:private"]!, null, null)).toBe(false);
    expect(await clipAudibleTo(db, keys["creator:private"]!, creator, null)).toBe(true);
    // Not a recording at all.
    expect(await clipAudibleTo(db, `${"a".repeat(64)}.wav`, creator, null)).toBe(false);
  });
});
