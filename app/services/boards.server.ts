// Correlated subqueries name the outer table explicitly ("pin"."id"): drizzle renders a bare column
// unqualified in a single-table select, and inside a subquery that joins `board` or `pin` a bare "id" would
// silently bind to the inner table.
import { and, asc, desc, eq, gt, lt, ne, sql } from "drizzle-orm";
import { boardPins, boards, pins, users, type Board, type Locale, type User, type Visibility } from "../../db/schema";
import type { Db } from "./db.server";
import { writtenRow } from "./verified-write.server";
import type { Tx } from "../../db/client";
import { forbidden, notFound } from "./http.server";
import { boardIsPublic, boardListedFor, boardOpenTo, newShareToken, shareKeyFor, type Viewer } from "./access/visibility.server";

export type BoardInput = { title: string; description: string; lang: Locale; visibility: Visibility };

/** A board as lists show it: its first card is its cover. */
export type BoardSummary = {
  id: number;
  title: string;
  description: string;
  lang: Locale;
  visibility: Visibility;
  ownerId: number;
  ownerName: string;
  cardCount: number;
  saves: number;
  coverKey: string | null;
  coverAlt: string | null;
  updatedAt: Date;
};

/** The columns every board list shows (also used by search and interest pages). */
export const summaryColumns = {
  id: boards.id,
  title: boards.title,
  description: boards.description,
  lang: boards.lang,
  visibility: boards.visibility,
  ownerId: boards.ownerId,
  ownerName: users.displayName,
  updatedAt: boards.updatedAt,
  cardCount: sql<number>`(select count(*) from board_pin bp where bp.board_id = "board"."id")`,
  // How often this board's cards were saved to other boards: the graph's measure of usefulness.
  saves: sql<number>`(select count(*) from board_pin bp join board_pin o on o.pin_id = bp.pin_id and o.board_id <> bp.board_id where bp.board_id = "board"."id")`,
  coverKey: sql<
    string | null
  >`(select p.image_key from board_pin bp join pin p on p.id = bp.pin_id where bp.board_id = "board"."id" order by bp.position limit 1)`,
  coverAlt: sql<
    string | null
  >`(select p.alt from board_pin bp join pin p on p.id = bp.pin_id where bp.board_id = "board"."id" order by bp.position limit 1)`,
};

function summaries(db: Db) {
  return db.select(summaryColumns).from(boards).innerJoin(users, eq(users.id, boards.ownerId));
}

export function recentPublicBoards(db: Db, limit = 12): BoardSummary[] {
  return summaries(db).where(boardIsPublic()).orderBy(desc(boards.createdAt), desc(boards.id)).limit(limit).all();
}

export function popularPublicBoards(db: Db, limit = 12): BoardSummary[] {
  return summaries(db)
    .where(boardIsPublic())
    .orderBy(desc(summaryColumns.saves), desc(summaryColumns.cardCount), asc(boards.id))
    .limit(limit)
    .all();
}

export function boardsOwnedBy(db: Db, userId: number): BoardSummary[] {
  return summaries(db).where(eq(boards.ownerId, userId)).orderBy(desc(boards.updatedAt)).all();
}

export function publicBoardsOf(db: Db, userId: number): BoardSummary[] {
  return summaries(db)
    .where(and(eq(boards.ownerId, userId), boardIsPublic()))
    .orderBy(desc(boards.updatedAt))
    .all();
}

export function createBoard(db: Db | Tx, ownerId: number, input: BoardInput): Board {
  return writtenRow(
    db
      .insert(boards)
      .values({ ...input, ownerId })
      .returning(),
  );
}

/**
 * The board this viewer may open (see access/visibility.server.ts): a private board is a 404 to everyone
 * but its owner, an unlisted one to everyone without its key; neither's existence is told. The share
 * token itself is never returned: `shareKey` is the key to put in this viewer's links (owner or key
 * holder of an unlisted board), else null.
 */
export function getBoardForViewer(db: Db, boardId: number, viewer: Viewer, key?: string | null) {
  const board = db
    .select({ board: boards, ownerName: users.displayName })
    .from(boards)
    .innerJoin(users, eq(users.id, boards.ownerId))
    .where(eq(boards.id, boardId))
    .get();
  if (!board || !boardOpenTo(board.board, viewer, key)) notFound();
  const { shareToken: _secret, ...open } = board.board;
  const shareKey = shareKeyFor(board.board, viewer, key);
  const cards = db
    .select({
      id: pins.id,
      title: pins.title,
      cue: pins.cue,
      lang: pins.lang,
      alt: pins.alt,
      imageKey: pins.imageKey,
      creatorId: pins.creatorId,
      position: boardPins.position,
    })
    .from(boardPins)
    .innerJoin(pins, eq(pins.id, boardPins.pinId))
    .where(eq(boardPins.boardId, boardId))
    .orderBy(asc(boardPins.position))
    .all();
  return { ...open, ownerName: board.ownerName, shareKey, cards };
}

/** The board if this user owns it; someone else's board is refused here, on the server. */
export function requireOwnBoard(db: Db, boardId: number, user: User): Board {
  const board = db.select().from(boards).where(eq(boards.id, boardId)).get();
  // Someone else's public board is a 403; their unlisted or private one a 404, as if it did not exist.
  if (!board || !boardListedFor(board, user)) notFound();
  if (board.ownerId !== user.id) forbidden();
  return board;
}

/** A new share key for the owner's board: every link given out before stops working. */
export function regenerateShareLink(db: Db, boardId: number, user: User): string {
  requireOwnBoard(db, boardId, user);
  const token = newShareToken();
  db.update(boards).set({ shareToken: token }).where(eq(boards.id, boardId)).run();
  return token;
}

export function updateBoard(db: Db, boardId: number, user: User, input: BoardInput): Board {
  requireOwnBoard(db, boardId, user);
  // Making a board private closes its link for good: the key changes, so making it unlisted again later
  // does not reopen it to everyone who had the old link.
  const rotate = input.visibility === "private" ? { shareToken: newShareToken() } : {};
  return writtenRow(
    db
      .update(boards)
      .set({ ...input, ...rotate, updatedAt: new Date() })
      .where(eq(boards.id, boardId))
      .returning(),
  );
}

/** Deleting a board removes it from the graph; cards stay while another board holds them. */
export function deleteBoard(db: Db, boardId: number, user: User): void {
  requireOwnBoard(db, boardId, user);
  db.transaction((tx) => {
    const pinIds = tx.select({ pinId: boardPins.pinId }).from(boardPins).where(eq(boardPins.boardId, boardId)).all();
    tx.delete(boards).where(eq(boards.id, boardId)).run();
    // A card of this owner that now sits on no board at all would be unreachable: remove it too.
    for (const { pinId } of pinIds) {
      const left = tx
        .select({ n: sql<number>`count(*)` })
        .from(boardPins)
        .where(eq(boardPins.pinId, pinId))
        .get();
      if (!left?.n)
        tx.delete(pins)
          .where(and(eq(pins.id, pinId), eq(pins.creatorId, user.id)))
          .run();
    }
  });
}

export type Move = "up" | "down" | "first" | "last";

/** Moves a card within a board by swapping positions; returns its new 1-based position. */
export function moveCard(db: Db, boardId: number, pinId: number, user: User, move: Move): { position: number; total: number } {
  requireOwnBoard(db, boardId, user);
  return db.transaction((tx) => {
    const row = tx
      .select()
      .from(boardPins)
      .where(and(eq(boardPins.boardId, boardId), eq(boardPins.pinId, pinId)))
      .get();
    if (!row) notFound();
    const total =
      tx
        .select({ n: sql<number>`count(*)` })
        .from(boardPins)
        .where(eq(boardPins.boardId, boardId))
        .get()?.n ?? 0;
    const on = and(eq(boardPins.boardId, boardId), ne(boardPins.pinId, pinId));
    if (move === "up" || move === "down") {
      const neighbour = tx
        .select()
        .from(boardPins)
        .where(and(on, move === "up" ? lt(boardPins.position, row.position) : gt(boardPins.position, row.position)))
        .orderBy(move === "up" ? desc(boardPins.position) : asc(boardPins.position))
        .limit(1)
        .get();
      if (neighbour) {
        tx.update(boardPins)
          .set({ position: row.position })
          .where(and(eq(boardPins.boardId, boardId), eq(boardPins.pinId, neighbour.pinId)))
          .run();
        tx.update(boardPins)
          .set({ position: neighbour.position })
          .where(and(eq(boardPins.boardId, boardId), eq(boardPins.pinId, pinId)))
          .run();
      }
    } else {
      const ends = tx
        .select({ min: sql<number>`min(position)`, max: sql<number>`max(position)` })
        .from(boardPins)
        .where(eq(boardPins.boardId, boardId))
        .get();
      const position = move === "first" ? (ends?.min ?? 0) - 1 : (ends?.max ?? 0) + 1;
      tx.update(boardPins)
        .set({ position })
        .where(and(eq(boardPins.boardId, boardId), eq(boardPins.pinId, pinId)))
        .run();
    }
    tx.update(boards).set({ updatedAt: new Date() }).where(eq(boards.id, boardId)).run();
    const rank = tx
      .select({ n: sql<number>`count(*)` })
      .from(boardPins)
      .where(
        and(
          eq(boardPins.boardId, boardId),
          lt(boardPins.position, sql`(select position from board_pin where board_id = ${boardId} and pin_id = ${pinId})`),
        ),
      )
      .get();
    return { position: (rank?.n ?? 0) + 1, total };
  });
}

export function nextPosition(db: Db | Tx, boardId: number): number {
  const r = db
    .select({ max: sql<number | null>`max(position)` })
    .from(boardPins)
    .where(eq(boardPins.boardId, boardId))
    .get();
  return (r?.max ?? -1) + 1;
}
