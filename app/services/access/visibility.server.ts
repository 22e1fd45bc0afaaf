/**
 * Who may see what. Every visibility rule of Tablero lives here; every query that shows boards or
 * cards to someone builds its condition from this module (decision 0015). There are three audiences,
 * and they are deliberately different:
 *
 * 1. Discovery — search, the home feed and its topic picker, "More like this", interest pages, popular
 *    and new boards, the recommendation graphs (Pixie, PinSage), profiles, the CLI: only what sits on a
 *    PUBLIC board, plus, for a signed-in viewer, their own things (what they made or keep on their own
 *    boards, whatever those boards' visibility). Unlisted boards are for the people given the link, so
 *    they are never listed, ranked or recommended.
 * 2. Direct link — a board or card page, practice, print: discovery's set, plus an UNLISTED board (and
 *    the cards on it) for whoever holds its share key, an unguessable random token stored on the board
 *    (ids are sequential, so an id alone must never open anything). A private board is for its owner
 *    only. Two grants widen this, each in its own service and through `boardOpenTo` here: workshop
 *    members are given the key of the boards their therapist attaches or assigns, and a practice grant
 *    lets a relative practise the learner's boards with them.
 * 3. Saving — putting a card on a board publishes it to that board's audience, so others may save only
 *    PUBLIC cards; a creator may put their own cards anywhere.
 *
 * A card has no visibility of its own: it is as visible as the most open board it sits on.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { and, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import { boardPins, boards, pins, users, type Board, type User } from "../../../db/tables";
import type { Db } from "../db.server";

/** Who is looking: a signed-in person (only the id matters), or null for an anonymous visitor. */
export type Viewer = Pick<User, "id"> | null;

/** A board as far as access is concerned. */
export type BoardAccessFields = Pick<Board, "visibility" | "ownerId"> & { shareToken?: string | null };

// ── Share keys ──────────────────────────────────────────────────────────────────────────────────

/** 128 random bits, hex: the same form the migration backfills with (lower(hex(randomblob(16)))). */
export function newShareToken(): string {
  return randomBytes(16).toString("hex"); // same form as the schema default and the migration
}

const SHARE_TOKEN = /^[0-9a-f]{32}$/;

/** A key from a URL, if it has the shape of one (anything else is ignored, never compared). */
export function shareKeyParam(url: URL | string): string | null {
  const key = (typeof url === "string" ? new URL(url) : url).searchParams.get("key");
  return key && SHARE_TOKEN.test(key) ? key : null;
}

/** Constant-time comparison, so response timing does not reveal how much of a guessed key was right. */
function sameKey(given: string | null | undefined, stored: string | null | undefined): boolean {
  if (!given || !stored || given.length !== stored.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(stored));
}

// ── Boards: plain predicates ────────────────────────────────────────────────────────────────────

const owns = (board: Pick<Board, "ownerId">, viewer: Viewer) => viewer !== null && board.ownerId === viewer.id;

/** Discovery: whether a board may be listed to this viewer (public, or their own). */
export function boardListedFor(board: BoardAccessFields, viewer: Viewer): boolean {
  return board.visibility === "public" || owns(board, viewer);
}

/** Direct link: whether this viewer, holding `key` (or not), may open the board. */
export function boardOpenTo(board: BoardAccessFields, viewer: Viewer, key?: string | null): boolean {
  if (boardListedFor(board, viewer)) return true;
  return board.visibility === "unlisted" && sameKey(key, board.shareToken);
}

/**
 * The key to put in this viewer's links to the board, when they reach it through a link rather than
 * by discovery: null for public boards (no key needed) and for anyone not entitled to it.
 */
export function shareKeyFor(board: BoardAccessFields, viewer: Viewer, key?: string | null): string | null {
  if (board.visibility !== "unlisted" || !board.shareToken) return null;
  if (owns(board, viewer) || sameKey(key, board.shareToken)) return board.shareToken;
  return null;
}

// ── Workshops: the therapist shares boards with the members ─────────────────────────────────────
// Attaching one's own unlisted board to a meeting, or giving it as homework, is giving its link to the
// workshop's members (and only them: requireWorkshopAccess has already checked membership). A board of
// someone else is never shared this way, even if the therapist could once attach it while it was public.

/** Whether a member (or the therapist) may open a board the workshop gives them. */
export function boardOpenThroughWorkshop(board: BoardAccessFields, viewer: Viewer, therapistId: number): boolean {
  return boardListedFor(board, viewer) || (board.visibility === "unlisted" && board.ownerId === therapistId);
}

/** The key for workshop links to such a board (null where none is needed or none may be given). */
export function workshopShareKey(board: BoardAccessFields, therapistId: number): string | null {
  return board.visibility === "unlisted" && board.ownerId === therapistId ? (board.shareToken ?? null) : null;
}

/** SQL twin of boardOpenThroughWorkshop for a query that joins `board` and `workshop`. */
export function boardOpenThroughWorkshopCondition(viewerId: number): SQL {
  return sql`(${boards.visibility} = 'public' or ${boards.ownerId} = ${viewerId} or (${boards.visibility} = 'unlisted' and ${boards.ownerId} = "workshop"."therapist_id"))`;
}

/** SQL twin of workshopShareKey, as a selected column, for a query that joins `board` and `workshop`. */
export function workshopShareKeyColumn() {
  return sql<
    string | null
  >`(case when ${boards.visibility} = 'unlisted' and ${boards.ownerId} = "workshop"."therapist_id" then ${boards.shareToken} end)`;
}

// ── Boards: SQL conditions (drizzle) ────────────────────────────────────────────────────────────

/** Discovery of boards by anyone: public only. */
export function boardIsPublic(): SQL {
  return eq(boards.visibility, "public");
}

/** Discovery of boards by this viewer: public, and their own (any visibility). */
export function boardListedCondition(viewer: Viewer): SQL {
  return viewer ? or(eq(boards.visibility, "public"), eq(boards.ownerId, viewer.id))! : boardIsPublic();
}

// ── Cards: SQL conditions (drizzle, on the `pin` table) ─────────────────────────────────────────
// The correlated subqueries name the outer table explicitly ("pin"."id"): drizzle renders a bare column
// unqualified, and inside a subquery that joins `board` a bare "id" would bind to the inner table.

/** The card sits on at least one public board: the only cards discovery shows to strangers. */
export function pinIsPublic(): SQL {
  return sql`exists (select 1 from board_pin vbp join board vb on vb.id = vbp.board_id where vbp.pin_id = "pin"."id" and vb.visibility = 'public')`;
}

/** Discovery of cards by this viewer: public cards, and their own (made by them, or kept on their boards). */
export function pinListedCondition(viewer: Viewer): SQL {
  if (!viewer) return pinIsPublic();
  const onOwnBoard = sql`exists (select 1 from board_pin vbp join board vb on vb.id = vbp.board_id where vbp.pin_id = "pin"."id" and vb.owner_id = ${viewer.id})`;
  return or(eq(pins.creatorId, viewer.id), pinIsPublic(), onOwnBoard)!;
}

/** Direct link to a card: what discovery shows, plus the cards of the unlisted board whose key is held. */
export function pinOpenCondition(viewer: Viewer, key?: string | null): SQL {
  if (!key) return pinListedCondition(viewer);
  const onKeyedBoard = sql`exists (select 1 from board_pin vbp join board vb on vb.id = vbp.board_id where vbp.pin_id = "pin"."id" and vb.visibility = 'unlisted' and vb.share_token = ${key})`;
  return or(pinListedCondition(viewer), onKeyedBoard)!;
}

/** The boards to list on a card's page: those listed for the viewer, and the unlisted one whose key is held. */
export function boardOnCardPageCondition(viewer: Viewer, key?: string | null): SQL {
  if (!key) return boardListedCondition(viewer);
  return or(boardListedCondition(viewer), and(eq(boards.visibility, "unlisted"), eq(boards.shareToken, key)))!;
}

// ── Raw SQL fragments, for prepared statements (sqlite-vec, FTS5, recursive CTEs) ───────────────
// They take the alias or expression to test and bind nothing themselves; where a viewer is needed the
// fragment has one `?` for `viewerParam(viewer)`.

export const rawSql = {
  /** `alias` is a board row: public. */
  boardIsPublic: (alias: string) => `${alias}.visibility = 'public'`,
  /** `alias` is a board row: listed for the viewer bound to the `?` (see viewerParam). */
  boardListed: (alias: string) => `(${alias}.visibility = 'public' OR ${alias}.owner_id = ?)`,
  /** `pinId` is a card id expression: the card sits on a public board. */
  pinIsPublic: (pinId: string) =>
    `EXISTS (SELECT 1 FROM board_pin vbp JOIN board vb ON vb.id = vbp.board_id WHERE vbp.pin_id = ${pinId} AND vb.visibility = 'public')`,
  /** `alias` is a card row: public, or the viewer's own; binds the viewer twice (`viewerParam` ×2). */
  pinListed: (alias: string) =>
    `(${alias}.creator_id = ? OR EXISTS (SELECT 1 FROM board_pin vbp JOIN board vb ON vb.id = vbp.board_id
       WHERE vbp.pin_id = ${alias}.id AND (vb.visibility = 'public' OR vb.owner_id = ?)))`,
};

/** What to bind for a raw fragment's viewer `?`: an id no account has (ids start at 1) for a visitor. */
export function viewerParam(viewer: Viewer): number {
  return viewer?.id ?? -1;
}

// ── Set filters used by several services ────────────────────────────────────────────────────────

/** The ids among `ids` that discovery may show this viewer. */
export async function listedPinIds(db: Db, ids: number[], viewer: Viewer): Promise<Set<number>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Set();
  const rows = await db
    .select({ id: pins.id })
    .from(pins)
    .where(and(inArray(pins.id, unique), pinListedCondition(viewer)));
  return new Set(rows.map((r) => r.id));
}

/** The ids among `ids` that sit on a public board (what is shown to everyone, e.g. "popular"). */
export async function publicPinIds(db: Db, ids: number[]): Promise<Set<number>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Set();
  const rows = await db
    .select({ id: pins.id })
    .from(pins)
    .where(and(inArray(pins.id, unique), pinIsPublic()));
  return new Set(rows.map((r) => r.id));
}

// ── Saving ──────────────────────────────────────────────────────────────────────────────────────

/**
 * Why this person may not put this card on this board of theirs, or null if they may. Saving
 * publishes: a card goes to everyone who can see the board it lands on. So a creator may place their own
 * card anywhere; anyone else only a card that is already public. (A card someone already keeps on one
 * of their own boards may also move to another non-public board of theirs: that tells no one new.)
 */
export async function saveRefusal(
  db: Db,
  pinId: number,
  target: Pick<Board, "visibility" | "ownerId">,
  user: Pick<User, "id">,
): Promise<"notPublic" | null> {
  if (target.ownerId !== user.id) return "notPublic";
  const [pin] = await db.select({ creatorId: pins.creatorId }).from(pins).where(eq(pins.id, pinId)).limit(1);
  if (!pin) return "notPublic";
  if (pin.creatorId === user.id) return null;
  if ((await publicPinIds(db, [pinId])).size) return null;
  if (target.visibility === "public") return "notPublic";
  const kept = await db
    .select({ one: sql<number>`1` })
    .from(boardPins)
    .innerJoin(boards, eq(boards.id, boardPins.boardId))
    .where(and(eq(boardPins.pinId, pinId), eq(boards.ownerId, user.id)))
    .limit(1);
  return kept.length ? null : "notPublic";
}

// ── Profiles ────────────────────────────────────────────────────────────────────────────────────

/** A profile page exists only for someone with a public board: /u/:id must not enumerate accounts. */
export async function hasPublicProfile(db: Db, userId: number): Promise<boolean> {
  const found = await db
    .select({ one: sql<number>`1` })
    .from(boards)
    .innerJoin(users, eq(users.id, boards.ownerId))
    .where(and(eq(boards.ownerId, userId), boardIsPublic()))
    .limit(1);
  return found.length > 0;
}
