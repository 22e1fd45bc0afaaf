import { unlinkSync } from "node:fs";
import { and, eq, inArray, ne, notInArray, sql } from "drizzle-orm";
import {
  boardPins,
  boards,
  images,
  passwordResetTokens,
  pins,
  practiceInvites,
  searchLog,
  signupRequests,
  storyPages,
  users,
  type User,
} from "../../db/schema";
import type { Db } from "./db.server";
import { imagePath } from "./images.server";
import { removePinFromIndexes } from "./indexing.server";
import { checkCurrentPassword } from "./auth-limits.server";
import { hashPassword } from "./password.server";
import { endOtherSessions } from "./session.server";

/**
 * Account-wide actions (issue 12): change password, delete the account. Sign out everywhere is
 * session.server's endAllSessions; export is export.server; reset by email is password-reset.server.
 */

export type ChangePasswordResult =
  { ok: true; endedSessions: number } | { ok: false; errors: { currentPassword: "accounts:errors.wrongPassword" | "http:reauth.tooMany" } };

/** Asks for the current password; the new one ends every other session (this one stays signed in). */
export async function changePassword(
  db: Db,
  request: Request,
  user: Pick<User, "id" | "passwordHash">,
  current: string,
  next: string,
): Promise<ChangePasswordResult> {
  const check = await checkCurrentPassword(db, user.id, current, user.passwordHash);
  if (check !== "ok")
    return { ok: false, errors: { currentPassword: check === "limited" ? "http:reauth.tooMany" : "accounts:errors.wrongPassword" } };
  const passwordHash = await hashPassword(next);
  const changed = db.update(users).set({ passwordHash }).where(eq(users.id, user.id)).run().changes;
  if (changed !== 1) throw new Error("password not stored");
  // Reset links sent before the change must not undo it.
  db.delete(passwordResetTokens).where(eq(passwordResetTokens.userId, user.id)).run();
  return { ok: true, endedSessions: endOtherSessions(db, request, user.id) };
}

/** What deleting would remove, said on the page before the person confirms. */
export function deletionSummary(db: Db, userId: number) {
  const count = (q: { n: number } | undefined) => q?.n ?? 0;
  const boardCount = count(
    db
      .select({ n: sql<number>`count(*)` })
      .from(boards)
      .where(eq(boards.ownerId, userId))
      .get(),
  );
  const cardCount = count(
    db
      .select({ n: sql<number>`count(*)` })
      .from(pins)
      .where(eq(pins.creatorId, userId))
      .get(),
  );
  // Cards of theirs that other people saved onto their own boards: these disappear from those boards.
  const savedByOthers = count(
    db
      .select({ n: sql<number>`count(distinct ${boardPins.pinId})` })
      .from(boardPins)
      .innerJoin(pins, eq(pins.id, boardPins.pinId))
      .innerJoin(boards, eq(boards.id, boardPins.boardId))
      .where(and(eq(pins.creatorId, userId), ne(boards.ownerId, userId)))
      .get(),
  );
  return { boards: boardCount, cards: cardCount, savedByOthers };
}

export type DeleteResult =
  { ok: true; boardIds: number[] } | { ok: false; errors: { password: "accounts:errors.wrongPassword" | "http:reauth.tooMany" } };

/**
 * Deletes the account and everything of theirs (docs/decisions/0016-accounts.md): boards, cards and
 * stories (also where others saved them), pictures no other card uses, engagement, search history,
 * practice, workshops they run, grants, invitations, sessions and links. Returns the boards search must
 * re-read: the other people's boards that lost cards, and the deleted ones (to drop them).
 */
export async function deleteAccount(db: Db, user: Pick<User, "id" | "email" | "passwordHash">, password: string): Promise<DeleteResult> {
  const check = await checkCurrentPassword(db, user.id, password, user.passwordHash);
  if (check !== "ok")
    return { ok: false, errors: { password: check === "limited" ? "http:reauth.tooMany" : "accounts:errors.wrongPassword" } };
  // Queued engagement of this person would otherwise be written after the rows it points at are gone.
  const { pinIds, keys, otherBoards, ownBoards } = db.transaction((tx) => {
    const mine = tx.select({ id: pins.id, imageKey: pins.imageKey }).from(pins).where(eq(pins.creatorId, user.id)).all();
    const pinIds = mine.map((p) => p.id);
    const pageKeys = pinIds.length
      ? tx
          .select({ k: storyPages.imageKey })
          .from(storyPages)
          .where(inArray(storyPages.pinId, pinIds))
          .all()
          .map((r) => r.k)
      : [];
    const otherBoards = pinIds.length
      ? tx
          .selectDistinct({ id: boardPins.boardId })
          .from(boardPins)
          .innerJoin(boards, eq(boards.id, boardPins.boardId))
          .where(and(inArray(boardPins.pinId, pinIds), ne(boards.ownerId, user.id)))
          .all()
          .map((r) => r.id)
      : [];
    const ownBoards = tx
      .select({ id: boards.id })
      .from(boards)
      .where(eq(boards.ownerId, user.id))
      .all()
      .map((r) => r.id);
    // Their searches are keyed by session, not by a foreign key (search-request.server.ts sessionKeyFor).
    tx.delete(searchLog)
      .where(eq(searchLog.sessionKey, `u:${user.id}`))
      .run();
    // Offers and pending sign-ups made to or with this email.
    tx.delete(practiceInvites).where(eq(practiceInvites.email, user.email)).run();
    tx.delete(signupRequests).where(eq(signupRequests.email, user.email)).run();
    // Everything else hangs off the user row by ON DELETE CASCADE: sessions, boards, cards (and so
    // their places on other people's boards), stories, engagement, practice, workshops, grants, tokens.
    const gone = tx.delete(users).where(eq(users.id, user.id)).returning({ id: users.id }).all();
    if (gone.length !== 1) throw new Error("account not deleted");
    return { pinIds, keys: [...new Set([...mine.map((p) => p.imageKey), ...pageKeys])], otherBoards, ownBoards };
  });
  for (const id of pinIds) await removePinFromIndexes(db, id);
  removeUnusedPictures(db, keys);
  // Search drops the deleted boards and re-reads the others' boards that lost cards.
  return { ok: true, boardIds: [...otherBoards, ...ownBoards] };
}

/** Deletes the pictures among `keys` that no remaining card or story page shows (files are shared by content hash). */
export function removeUnusedPictures(db: Db, keys: string[]): string[] {
  if (!keys.length) return [];
  const used = new Set([
    ...db
      .select({ k: pins.imageKey })
      .from(pins)
      .where(inArray(pins.imageKey, keys))
      .all()
      .map((r) => r.k),
    ...db
      .select({ k: storyPages.imageKey })
      .from(storyPages)
      .where(inArray(storyPages.imageKey, keys))
      .all()
      .map((r) => r.k),
  ]);
  const unused = keys.filter((k) => !used.has(k));
  if (!unused.length) return [];
  db.delete(images)
    .where(and(inArray(images.key, unused), notInArray(images.key, [...used, ""])))
    .run();
  for (const key of unused) {
    const path = imagePath(key);
    try {
      if (path) unlinkSync(path);
    } catch {
      /* already gone */
    }
  }
  return unused;
}
