import { and, asc, eq, ne, or, sql } from "drizzle-orm";
import { boardPins, boards, pins, users, type Locale, type Pin, type User } from "../../db/schema";
import { nextPosition, requireOwnBoard } from "./boards.server";
import type { Db } from "./db.server";
import { writtenRow } from "./verified-write.server";
import { forbidden, notFound } from "./http.server";
import type { StoredImage } from "./images.server";

export type CardInput = { title: string; alt: string; cue: string; note: string; lang: Locale };

/** Creates a card on one of the user's boards, at the end; card and placement are saved together or not at all. */
export function createCard(db: Db, user: User, boardId: number, input: CardInput, image: StoredImage, source = "upload"): Pin {
  requireOwnBoard(db, boardId, user);
  return db.transaction((tx) => {
    const pin = writtenRow(
      tx.insert(pins).values({ ...input, creatorId: user.id, imageKey: image.key, imageWidth: image.width, imageHeight: image.height, source }).returning(),
    );
    tx.insert(boardPins).values({ boardId, pinId: pin.id, position: nextPosition(tx, boardId), savedBy: user.id }).run();
    tx.update(boards).set({ updatedAt: new Date() }).where(eq(boards.id, boardId)).run();
    return pin;
  });
}

/**
 * A card is visible to its creator, and to anyone when it sits on a board that is not private.
 * (Someone who saved it to their own board keeps seeing it there.)
 */
export function visibleCondition(viewer: Pick<User, "id"> | null) {
  const onOpenBoard = sql`exists (select 1 from board_pin bp join board b on b.id = bp.board_id where bp.pin_id = "pin"."id" and b.visibility <> 'private')`;
  if (!viewer) return onOpenBoard;
  const onOwnBoard = sql`exists (select 1 from board_pin bp join board b on b.id = bp.board_id where bp.pin_id = "pin"."id" and b.owner_id = ${viewer.id})`;
  return or(eq(pins.creatorId, viewer.id), onOpenBoard, onOwnBoard);
}

/**
 * Cards that may be pushed to someone (feed, more like this): on a public board, or their own.
 * Unlisted boards are for people given the link, so their cards are never recommended to others.
 */
export function recommendableCondition(viewer: Pick<User, "id"> | null) {
  const onPublicBoard = sql`exists (select 1 from board_pin bp join board b on b.id = bp.board_id where bp.pin_id = "pin"."id" and b.visibility = 'public')`;
  if (!viewer) return onPublicBoard;
  const onOwnBoard = sql`exists (select 1 from board_pin bp join board b on b.id = bp.board_id where bp.pin_id = "pin"."id" and b.owner_id = ${viewer.id})`;
  return or(eq(pins.creatorId, viewer.id), onPublicBoard, onOwnBoard);
}

export function getCardForViewer(db: Db, pinId: number, viewer: User | null) {
  const row = db
    .select({ pin: pins, creatorName: users.displayName })
    .from(pins)
    .innerJoin(users, eq(users.id, pins.creatorId))
    .where(and(eq(pins.id, pinId), visibleCondition(viewer)))
    .get();
  if (!row) notFound();
  const onBoards = db
    .select({ id: boards.id, title: boards.title, lang: boards.lang, ownerName: users.displayName })
    .from(boardPins)
    .innerJoin(boards, eq(boards.id, boardPins.boardId))
    .innerJoin(users, eq(users.id, boards.ownerId))
    // Public boards, and the viewer's own: an unlisted board is shared by its link, not listed here.
    .where(and(eq(boardPins.pinId, pinId), viewer ? or(eq(boards.visibility, "public"), eq(boards.ownerId, viewer.id)) : eq(boards.visibility, "public")))
    .orderBy(asc(boardPins.savedAt))
    .all();
  return { ...row.pin, creatorName: row.creatorName, boards: onBoards };
}

export function requireOwnCard(db: Db, pinId: number, user: User): Pin {
  const pin = db.select().from(pins).where(and(eq(pins.id, pinId), visibleCondition(user))).get();
  if (!pin) notFound();
  if (pin.creatorId !== user.id) forbidden();
  return pin;
}

export function updateCard(db: Db, pinId: number, user: User, input: CardInput, image?: StoredImage): Pin {
  requireOwnCard(db, pinId, user);
  const picture = image ? { imageKey: image.key, imageWidth: image.width, imageHeight: image.height } : {};
  return writtenRow(db.update(pins).set({ ...input, ...picture, updatedAt: new Date() }).where(eq(pins.id, pinId)).returning());
}

/** Every board a card sits on, whoever owns it (for re-indexing them after a change). */
export function boardsHolding(db: Db, pinId: number): number[] {
  return db.select({ id: boardPins.boardId }).from(boardPins).where(eq(boardPins.pinId, pinId)).all().map((r) => r.id);
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

export type SaveResult = "saved" | "already";

/**
 * Saves a card the user can see to one of their own boards: a new edge of the pin–board graph. At the
 * end of the board, or at `position` (an Undo of removeFromBoard puts a card back where it was).
 */
export function saveCardToBoard(db: Db, pinId: number, boardId: number, user: User, position?: number): SaveResult {
  const visible = db.select({ id: pins.id }).from(pins).where(and(eq(pins.id, pinId), visibleCondition(user))).get();
  if (!visible) notFound();
  requireOwnBoard(db, boardId, user);
  const there = db.select().from(boardPins).where(and(eq(boardPins.boardId, boardId), eq(boardPins.pinId, pinId))).get();
  if (there) return "already";
  db.insert(boardPins).values({ boardId, pinId, position: position ?? nextPosition(db, boardId), savedBy: user.id }).run();
  db.update(boards).set({ updatedAt: new Date() }).where(eq(boards.id, boardId)).run();
  return "saved";
}
