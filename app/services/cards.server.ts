import { and, asc, eq } from "drizzle-orm";
import { boardPins, boards, pins, users, type Locale, type Pin, type User } from "../../db/schema";
import { nextPosition, requireOwnBoard } from "./boards.server";
import type { Db } from "./db.server";
import { writtenRow } from "./verified-write.server";
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

export type CardInput = { title: string; alt: string; cue: string; note: string; lang: Locale };

/** Creates a card on one of the user's boards, at the end; card and placement are saved together or not at all. */
export function createCard(db: Db, user: User, boardId: number, input: CardInput, image: StoredImage, source = "upload"): Pin {
  requireOwnBoard(db, boardId, user);
  return db.transaction((tx) => {
    const pin = writtenRow(
      tx
        .insert(pins)
        .values({ ...input, creatorId: user.id, imageKey: image.key, imageWidth: image.width, imageHeight: image.height, source })
        .returning(),
    );
    tx.insert(boardPins)
      .values({ boardId, pinId: pin.id, position: nextPosition(tx, boardId), savedBy: user.id })
      .run();
    tx.update(boards).set({ updatedAt: new Date() }).where(eq(boards.id, boardId)).run();
    return pin;
  });
}

/**
 * A card by direct link (see access/visibility.server.ts): public, the viewer's own, or on the unlisted
 * board whose share key the viewer holds (`key`, from the link). Anything else is a 404.
 */
export function getCardForViewer(db: Db, pinId: number, viewer: Viewer, key?: string | null) {
  const row = db
    .select({ pin: pins, creatorName: users.displayName })
    .from(pins)
    .innerJoin(users, eq(users.id, pins.creatorId))
    .where(and(eq(pins.id, pinId), pinOpenCondition(viewer, key)))
    .get();
  if (!row) notFound();
  const onBoards = db
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
    .all()
    // The token itself stays here: a link gets it only where this viewer is entitled to it.
    .map((b) => ({ id: b.id, title: b.title, lang: b.lang, ownerName: b.ownerName, shareKey: shareKeyFor(b, viewer, key) }));
  return { ...row.pin, creatorName: row.creatorName, boards: onBoards };
}

export function requireOwnCard(db: Db, pinId: number, user: User): Pin {
  const pin = db
    .select()
    .from(pins)
    .where(and(eq(pins.id, pinId), pinListedCondition(user)))
    .get();
  if (!pin) notFound();
  if (pin.creatorId !== user.id) forbidden();
  return pin;
}

export function updateCard(db: Db, pinId: number, user: User, input: CardInput, image?: StoredImage): Pin {
  requireOwnCard(db, pinId, user);
  const picture = image ? { imageKey: image.key, imageWidth: image.width, imageHeight: image.height } : {};
  return writtenRow(
    db
      .update(pins)
      .set({ ...input, ...picture, updatedAt: new Date() })
      .where(eq(pins.id, pinId))
      .returning(),
  );
}

/** Every board a card sits on, whoever owns it (for re-indexing them after a change). */
export function boardsHolding(db: Db, pinId: number): number[] {
  return db
    .select({ id: boardPins.boardId })
    .from(boardPins)
    .where(eq(boardPins.pinId, pinId))
    .all()
    .map((r) => r.id);
}

/** Deleting a card removes it from every board it was saved to. */
export function deleteCard(db: Db, pinId: number, user: User): void {
  requireOwnCard(db, pinId, user);
  db.delete(pins).where(eq(pins.id, pinId)).run();
}

/**
 * Takes a card off one of the user's own boards (the card itself stays where else it is). Returns the
 * place it had (its position value), so that an Undo can put it back there; null if it was not there.
 */
export function removeFromBoard(db: Db, boardId: number, pinId: number, user: User): { position: number } | null {
  requireOwnBoard(db, boardId, user);
  const on = and(eq(boardPins.boardId, boardId), eq(boardPins.pinId, pinId));
  const row = db.select({ position: boardPins.position }).from(boardPins).where(on).get();
  if (!row) return null;
  db.delete(boardPins).where(on).run();
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
  const visible = db
    .select({ id: pins.id })
    .from(pins)
    .where(and(eq(pins.id, pinId), pinOpenCondition(user, key)))
    .get();
  if (!visible) notFound();
  const board = requireOwnBoard(db, boardId, user);
  if (await saveRefusal(db, pinId, board, user)) return "notPublic";
  const there = db
    .select()
    .from(boardPins)
    .where(and(eq(boardPins.boardId, boardId), eq(boardPins.pinId, pinId)))
    .get();
  if (there) return "already";
  db.insert(boardPins)
    .values({ boardId, pinId, position: position ?? nextPosition(db, boardId), savedBy: user.id })
    .run();
  db.update(boards).set({ updatedAt: new Date() }).where(eq(boards.id, boardId)).run();
  return "saved";
}
