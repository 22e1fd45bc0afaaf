// Correlated subqueries name the outer table explicitly ("pin"."id"): drizzle renders a bare column
// unqualified in a single-table select, and inside a subquery that joins `board` or `pin` a bare "id" would
// silently bind to the inner table.
import { and, asc, desc, eq, gt, lt, ne, sql } from "drizzle-orm";
import { boardPins, boards, pins, users, type Board, type Locale, type User, type Visibility } from "../../db/tables";
import type { Db } from "./db.server";
import { writtenRow } from "./verified-write.server";
import { transaction } from "./data/transaction.server";
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

/**
 * The columns every board list shows (also used by search and interest pages). Counts are read
 * through Number: PostgreSQL's count(*) is a bigint, which its driver hands over as a string.
 */
export const summaryColumns = {
  id: boards.id,
  title: boards.title,
  description: boards.description,
  lang: boards.lang,
  visibility: boards.visibility,
  ownerId: boards.ownerId,
  ownerName: users.displayName,
  updatedAt: boards.updatedAt,
  cardCount: sql<number>`(select count(*) from board_pin bp where bp.board_id = "board"."id")`.mapWith(Number),
  // How often this board's cards were saved to other boards: the graph's measure of usefulness.
  saves:
    sql<number>`(select count(*) from board_pin bp join board_pin o on o.pin_id = bp.pin_id and o.board_id <> bp.board_id where bp.board_id = "board"."id")`.mapWith(
      Number,
    ),
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

/**
 * Boards in the reader's language before the others (then the list's own order): a French reader sees
 * French boards first, while boards in other languages still follow — picture cards help across languages,
 * but a person relearning words starts in their own.
 */
export function readerLanguageFirst(lang: Locale | undefined) {
  return lang ? [sql`CASE WHEN ${boards.lang} = ${lang} THEN 0 ELSE 1 END`] : [];
}

export async function recentPublicBoards(db: Db, limit = 12, lang?: Locale): Promise<BoardSummary[]> {
  return await summaries(db)
    .where(boardIsPublic())
    .orderBy(...readerLanguageFirst(lang), desc(boards.createdAt), desc(boards.id))
    .limit(limit);
}

export async function popularPublicBoards(db: Db, limit = 12, lang?: Locale): Promise<BoardSummary[]> {
  return await summaries(db)
    .where(boardIsPublic())
    .orderBy(...readerLanguageFirst(lang), desc(summaryColumns.saves), desc(summaryColumns.cardCount), asc(boards.id))
    .limit(limit);
}

export async function boardsOwnedBy(db: Db, userId: number): Promise<BoardSummary[]> {
  return await summaries(db).where(eq(boards.ownerId, userId)).orderBy(desc(boards.updatedAt));
}

export async function publicBoardsOf(db: Db, userId: number): Promise<BoardSummary[]> {
  return await summaries(db)
    .where(and(eq(boards.ownerId, userId), boardIsPublic()))
    .orderBy(desc(boards.updatedAt));
}

export async function createBoard(db: Db | Tx, ownerId: number, input: BoardInput): Promise<Board> {
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
export async function getBoardForViewer(db: Db, boardId: number, viewer: Viewer, key?: string | null) {
  const [board] = await db
    .select({ board: boards, ownerName: users.displayName })
    .from(boards)
    .innerJoin(users, eq(users.id, boards.ownerId))
    .where(eq(boards.id, boardId))
    .limit(1);
  if (!board || !boardOpenTo(board.board, viewer, key)) notFound();
  const { shareToken: _secret, ...open } = board.board;
  const shareKey = shareKeyFor(board.board, viewer, key);
  const cards = await db
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
    .orderBy(asc(boardPins.position));
  return { ...open, ownerName: board.ownerName, shareKey, cards };
}

/** The board if this user owns it; someone else's board is refused here, on the server. */
export async function requireOwnBoard(db: Db, boardId: number, user: User): Promise<Board> {
  const [board] = await db.select().from(boards).where(eq(boards.id, boardId)).limit(1);
  // Someone else's public board is a 403; their unlisted or private one a 404, as if it did not exist.
  if (!board || !boardListedFor(board, user)) notFound();
  if (board.ownerId !== user.id) forbidden();
  return board;
}

/** A new share key for the owner's board: every link given out before stops working. */
export async function regenerateShareLink(db: Db, boardId: number, user: User): Promise<string> {
  await requireOwnBoard(db, boardId, user);
  const token = newShareToken();
  await db.update(boards).set({ shareToken: token }).where(eq(boards.id, boardId));
  return token;
}

export async function updateBoard(db: Db, boardId: number, user: User, input: BoardInput): Promise<Board> {
  await requireOwnBoard(db, boardId, user);
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
export async function deleteBoard(db: Db, boardId: number, user: User): Promise<void> {
  await requireOwnBoard(db, boardId, user);
  await transaction(db, async (tx) => {
    const pinIds = await tx.select({ pinId: boardPins.pinId }).from(boardPins).where(eq(boardPins.boardId, boardId));
    await tx.delete(boards).where(eq(boards.id, boardId));
    // A card of this owner that now sits on no board at all would be unreachable: remove it too.
    for (const { pinId } of pinIds) {
      const [left] = await tx
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(boardPins)
        .where(eq(boardPins.pinId, pinId));
      if (!left?.n) await tx.delete(pins).where(and(eq(pins.id, pinId), eq(pins.creatorId, user.id)));
    }
  });
}

export type Move = "up" | "down" | "first" | "last";

/** Moves a card within a board by swapping positions; returns its new 1-based position. */
export async function moveCard(
  db: Db,
  boardId: number,
  pinId: number,
  user: User,
  move: Move,
): Promise<{ position: number; total: number }> {
  await requireOwnBoard(db, boardId, user);
  return transaction(db, async (tx) => {
    const [row] = await tx
      .select()
      .from(boardPins)
      .where(and(eq(boardPins.boardId, boardId), eq(boardPins.pinId, pinId)))
      .limit(1);
    if (!row) notFound();
    const total =
      (
        await tx
          .select({ n: sql<number>`count(*)`.mapWith(Number) })
          .from(boardPins)
          .where(eq(boardPins.boardId, boardId))
      )[0]?.n ?? 0;
    const on = and(eq(boardPins.boardId, boardId), ne(boardPins.pinId, pinId));
    if (move === "up" || move === "down") {
      const [neighbour] = await tx
        .select()
        .from(boardPins)
        .where(and(on, move === "up" ? lt(boardPins.position, row.position) : gt(boardPins.position, row.position)))
        .orderBy(move === "up" ? desc(boardPins.position) : asc(boardPins.position))
        .limit(1);
      if (neighbour) {
        await tx
          .update(boardPins)
          .set({ position: row.position })
          .where(and(eq(boardPins.boardId, boardId), eq(boardPins.pinId, neighbour.pinId)));
        await tx
          .update(boardPins)
          .set({ position: neighbour.position })
          .where(and(eq(boardPins.boardId, boardId), eq(boardPins.pinId, pinId)));
      }
    } else {
      const [ends] = await tx
        .select({ min: sql<number>`min(position)`, max: sql<number>`max(position)` })
        .from(boardPins)
        .where(eq(boardPins.boardId, boardId));
      const position = move === "first" ? (ends?.min ?? 0) - 1 : (ends?.max ?? 0) + 1;
      await tx
        .update(boardPins)
        .set({ position })
        .where(and(eq(boardPins.boardId, boardId), eq(boardPins.pinId, pinId)));
    }
    await tx.update(boards).set({ updatedAt: new Date() }).where(eq(boards.id, boardId));
    const [rank] = await tx
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(boardPins)
      .where(
        and(
          eq(boardPins.boardId, boardId),
          lt(boardPins.position, sql`(select position from board_pin where board_id = ${boardId} and pin_id = ${pinId})`),
        ),
      );
    return { position: (rank?.n ?? 0) + 1, total };
  });
}

export async function nextPosition(db: Db | Tx, boardId: number): Promise<number> {
  const [r] = await db
    .select({ max: sql<number | null>`max(position)` })
    .from(boardPins)
    .where(eq(boardPins.boardId, boardId));
  return (r?.max ?? -1) + 1;
}
