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
} from "../../db/tables";
import { changed as rowsChanged } from "./data/raw.server";
import { transaction } from "./data/transaction.server";
import type { Db } from "./db.server";
import { imagePath } from "./images.server";
import { removePinFromIndexes } from "./indexing.server";
import { checkCurrentPassword } from "./auth-limits.server";
import { hashPassword } from "./password.server";
import { endOtherSessions } from "./session.server";
import { clipKeysOf, forgetFilesIfUnused } from "./audio/clips.server";

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
  const changed = rowsChanged(await db.update(users).set({ passwordHash }).where(eq(users.id, user.id)));
  if (changed !== 1) throw new Error("password not stored");
  // Reset links sent before the change must not undo it.
  await db.delete(passwordResetTokens).where(eq(passwordResetTokens.userId, user.id));
  return { ok: true, endedSessions: await endOtherSessions(db, request, user.id) };
}

/** What deleting would remove, said on the page before the person confirms. */
export async function deletionSummary(db: Db, userId: number) {
  // count() is a bigint on PostgreSQL (a string from node-postgres): Number() reads both engines alike.
  const count = (rows: { n: number | string }[]) => Number(rows[0]?.n ?? 0);
  const boardCount = count(
    await db
      .select({ n: sql<number>`count(*)` })
      .from(boards)
      .where(eq(boards.ownerId, userId)),
  );
  const cardCount = count(
    await db
      .select({ n: sql<number>`count(*)` })
      .from(pins)
      .where(eq(pins.creatorId, userId)),
  );
  // Cards of theirs that other people saved onto their own boards: these disappear from those boards.
  const savedByOthers = count(
    await db
      .select({ n: sql<number>`count(distinct ${boardPins.pinId})` })
      .from(boardPins)
      .innerJoin(pins, eq(pins.id, boardPins.pinId))
      .innerJoin(boards, eq(boards.id, boardPins.boardId))
      .where(and(eq(pins.creatorId, userId), ne(boards.ownerId, userId))),
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
  const { pinIds, keys, voiceKeys, otherBoards, ownBoards } = await transaction(db, async (tx) => {
    const mine = await tx.select({ id: pins.id, imageKey: pins.imageKey }).from(pins).where(eq(pins.creatorId, user.id));
    const pinIds = mine.map((p) => p.id);
    // Their recordings, and everyone's on their cards: the rows cascade, the files are removed below.
    const voiceKeys = await clipKeysOf(tx, user.id, pinIds);
    const pageKeys = pinIds.length
      ? (await tx.select({ k: storyPages.imageKey }).from(storyPages).where(inArray(storyPages.pinId, pinIds))).map((r) => r.k)
      : [];
    const otherBoards = pinIds.length
      ? (
          await tx
            .selectDistinct({ id: boardPins.boardId })
            .from(boardPins)
            .innerJoin(boards, eq(boards.id, boardPins.boardId))
            .where(and(inArray(boardPins.pinId, pinIds), ne(boards.ownerId, user.id)))
        ).map((r) => r.id)
      : [];
    const ownBoards = (await tx.select({ id: boards.id }).from(boards).where(eq(boards.ownerId, user.id))).map((r) => r.id);
    // Their searches are keyed by session, not by a foreign key (search-request.server.ts sessionKeyFor).
    await tx.delete(searchLog).where(eq(searchLog.sessionKey, `u:${user.id}`));
    // Offers and pending sign-ups made to or with this email.
    await tx.delete(practiceInvites).where(eq(practiceInvites.email, user.email));
    await tx.delete(signupRequests).where(eq(signupRequests.email, user.email));
    // Everything else hangs off the user row by ON DELETE CASCADE: sessions, boards, cards (and so
    // their places on other people's boards), stories, engagement, practice, workshops, grants, tokens.
    const gone = await tx.delete(users).where(eq(users.id, user.id)).returning({ id: users.id });
    if (gone.length !== 1) throw new Error("account not deleted");
    return { pinIds, keys: [...new Set([...mine.map((p) => p.imageKey), ...pageKeys])], voiceKeys, otherBoards, ownBoards };
  });
  // After the commit, outside the transaction: index and file work (0022).
  for (const id of pinIds) await removePinFromIndexes(db, id);
  await removeUnusedPictures(db, keys);
  await forgetFilesIfUnused(db, voiceKeys);
  // Search drops the deleted boards and re-reads the others' boards that lost cards.
  return { ok: true, boardIds: [...otherBoards, ...ownBoards] };
}

/** Deletes the pictures among `keys` that no remaining card or story page shows (files are shared by content hash). */
export async function removeUnusedPictures(db: Db, keys: string[]): Promise<string[]> {
  if (!keys.length) return [];
  const used = new Set([
    ...(await db.select({ k: pins.imageKey }).from(pins).where(inArray(pins.imageKey, keys))).map((r) => r.k),
    ...(await db.select({ k: storyPages.imageKey }).from(storyPages).where(inArray(storyPages.imageKey, keys))).map((r) => r.k),
  ]);
  const unused = keys.filter((k) => !used.has(k));
  if (!unused.length) return [];
  await db.delete(images).where(and(inArray(images.key, unused), notInArray(images.key, [...used, ""])));
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
