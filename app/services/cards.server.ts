import { and, asc, eq } from "drizzle-orm";
import { boardPins, boards, pins, users, type Locale, type Pin, type User } from "../../db/tables";
import { nextPosition, requireOwnBoard } from "./boards.server";
import type { Db } from "./db.server";
import { writtenRow } from "./verified-write.server";
import { transaction } from "./data/transaction.server";
import { forbidden, notFound } from "./http.server";
import {
  boardOnCardPageCondition,
  pinListedCondition,
  pinOpenCondition,
  saveRefusal,
  shareKeyFor,
  type Viewer,
} from "./access/visibility.server";
import type { StoredImage } from "./images.server";

/** cueSentence / firstSound: naming cues (issue 14), empty = derived; absent = left as they are. */
export type CardInput = { title: string; alt: string; cue: string; note: string; lang: Locale; cueSentence?: string; firstSound?: string };

/** Creates a card on one of the user's boards, at the end; card and placement are saved together or not at all. */
export async function createCard(
  db: Db,
  user: User,
  boardId: number,
  input: CardInput,
  image: StoredImage,
  source = "upload",
): Promise<Pin> {
  await requireOwnBoard(db, boardId, user);
  return transaction(db, async (tx) => {
    const pin = await writtenRow(
      tx
        .insert(pins)
        .values({ ...input, creatorId: user.id, imageKey: image.key, imageWidth: image.width, imageHeight: image.height, source })
        .returning(),
    );
    await tx.insert(boardPins).values({ boardId, pinId: pin.id, position: await nextPosition(tx, boardId), savedBy: user.id });
    await tx.update(boards).set({ updatedAt: new Date() }).where(eq(boards.id, boardId));
    return pin;
  });
}

/**
 * A card by direct link (see access/visibility.server.ts): public, the viewer's own, or on the unlisted
 * board whose share key the viewer holds (`key`, from the link). Anything else is a 404.
 */
export async function getCardForViewer(db: Db, pinId: number, viewer: Viewer, key?: string | null) {
  const [row] = await db
    .select({ pin: pins, creatorName: users.displayName })
    .from(pins)
    .innerJoin(users, eq(users.id, pins.creatorId))
    .where(and(eq(pins.id, pinId), pinOpenCondition(viewer, key)))
    .limit(1);
  if (!row) notFound();
  const onBoards = (
    await db
      .select({
        id: boards.id,
        title: boards.title,
        lang: boards.lang,
        ownerName: users.displayName,
        visibility: boards.visibility,
        ownerId: boards.ownerId,
        shareToken: boards.shareToken,
      })
      .from(boardPins)
      .innerJoin(boards, eq(boards.id, boardPins.boardId))
      .innerJoin(users, eq(users.id, boards.ownerId))
      // Public boards, the viewer's own, and the one whose key was given: other unlisted boards stay unnamed.
      .where(and(eq(boardPins.pinId, pinId), boardOnCardPageCondition(viewer, key)))
      .orderBy(asc(boardPins.savedAt))
  )
    // The token itself stays here: a link gets it only where this viewer is entitled to it.
    .map((b) => ({ id: b.id, title: b.title, lang: b.lang, ownerName: b.ownerName, shareKey: shareKeyFor(b, viewer, key) }));
  return { ...row.pin, creatorName: row.creatorName, boards: onBoards };
}

export async function requireOwnCard(db: Db, pinId: number, user: User): Promise<Pin> {
  const [pin] = await db
    .select()
    .from(pins)
    .where(and(eq(pins.id, pinId), pinListedCondition(user)))
    .limit(1);
  if (!pin) notFound();
  if (pin.creatorId !== user.id) forbidden();
  return pin;
}

export async function updateCard(db: Db, pinId: number, user: User, input: CardInput, image?: StoredImage): Promise<Pin> {
  await requireOwnCard(db, pinId, user);
  const picture = image ? { imageKey: image.key, imageWidth: image.width, imageHeight: image.height } : {};
  return await writtenRow(
    db
      .update(pins)
      .set({ ...input, ...picture, updatedAt: new Date() })
      .where(eq(pins.id, pinId))
      .returning(),
  );
}

/** Every board a card sits on, whoever owns it (for re-indexing them after a change). */
export async function boardsHolding(db: Db, pinId: number): Promise<number[]> {
  return (await db.select({ id: boardPins.boardId }).from(boardPins).where(eq(boardPins.pinId, pinId))).map((r) => r.id);
}

/** Deleting a card removes it from every board it was saved to. */
export async function deleteCard(db: Db, pinId: number, user: User): Promise<void> {
  await requireOwnCard(db, pinId, user);
  await db.delete(pins).where(eq(pins.id, pinId));
}

/**
 * Takes a card off one of the user's own boards (the card itself stays where else it is). Returns the
 * place it had (its position value), so that an Undo can put it back there; null if it was not there.
 */
export async function removeFromBoard(db: Db, boardId: number, pinId: number, user: User): Promise<{ position: number } | null> {
  await requireOwnBoard(db, boardId, user);
  const on = and(eq(boardPins.boardId, boardId), eq(boardPins.pinId, pinId));
  const [row] = await db.select({ position: boardPins.position }).from(boardPins).where(on).limit(1);
  if (!row) return null;
  await db.delete(boardPins).where(on);
  return row;
}

/** "notPublic": refused, someone else's card that is not public (saving would publish it; see saveRefusal). */
export type SaveResult = "saved" | "already" | "notPublic";

/**
 * Saves a card the user can see to one of their own boards: a new edge of the pin–board graph. At the
 * end of the board, or at `position` (an Undo of removeFromBoard puts a card back where it was).
 * `key`: the share key the card was reached with, so that a key holder is told why, not given a 404.
 */
export async function saveCardToBoard(
  db: Db,
  pinId: number,
  boardId: number,
  user: User,
  position?: number,
  key?: string | null,
): Promise<SaveResult> {
  const [visible] = await db
    .select({ id: pins.id })
    .from(pins)
    .where(and(eq(pins.id, pinId), pinOpenCondition(user, key)))
    .limit(1);
  if (!visible) notFound();
  const board = await requireOwnBoard(db, boardId, user);
  if (await saveRefusal(db, pinId, board, user)) return "notPublic";
  const [there] = await db
    .select()
    .from(boardPins)
    .where(and(eq(boardPins.boardId, boardId), eq(boardPins.pinId, pinId)))
    .limit(1);
  if (there) return "already";
  await db.insert(boardPins).values({ boardId, pinId, position: position ?? (await nextPosition(db, boardId)), savedBy: user.id });
  await db.update(boards).set({ updatedAt: new Date() }).where(eq(boards.id, boardId));
  return "saved";
}
