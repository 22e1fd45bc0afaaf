import { and, asc, desc, eq, inArray, lte, sql } from "drizzle-orm";
import {
  boardPins,
  boards,
  pins,
  practiceGrants,
  practiceInvites,
  practiceSessions,
  reviewLogs,
  reviews,
  users,
  type Locale,
  type PracticeMode,
  type User,
} from "../../db/tables";
import {
  learnedAt,
  nextCard,
  progressSeries,
  queueCounts,
  waitingOf,
  STATE,
  type Bucket,
  type CardState,
  type QueueReason,
  type StateValue,
} from "../../models/practice";
import { boardListedFor, boardOpenTo, shareKeyFor } from "./access/visibility.server";
import type { Db } from "./db.server";
import { writtenRow } from "./verified-write.server";
import { forbidden, notFound } from "./http.server";
import { changed } from "./data/raw.server";
import { transaction } from "./data/transaction.server";
import { applyAnswer, restoreState, type Answer } from "./therapy/answers.server";

/**
 * Practice with spaced repetition (issue 4). Who may do what is decided here, not in the routes:
 * - a learner practises and sees their own progress;
 * - a relative or therapist practises WITH a learner, and sees that learner's progress, only while the
 *   learner's grant to them stands (practice_grant); to anyone else the learner's practice is a 404;
 * - only the learner can grant, revoke, or delete their practice history.
 * Every rating is written (review + review_log, in one transaction) before the next card is chosen, so
 * closing the browser loses nothing.
 */

/** A sitting is resumed if its last rating (or start) was this recent; after that a new one starts. */
export const RESUME_WINDOW_MS = 6 * 3600_000;
/** New cards introduced per sitting. */
export const NEW_PER_SITTING = 20;

export type Person = { id: number; displayName: string };

// ── Grants ────────────────────────────────────────────────────────────────────────────────────

export async function hasGrant(db: Db, learnerId: number, granteeId: number): Promise<boolean> {
  const rows = await db
    .select({ x: sql`1` })
    .from(practiceGrants)
    .where(and(eq(practiceGrants.learnerId, learnerId), eq(practiceGrants.granteeId, granteeId)))
    .limit(1);
  return rows.length > 0;
}

/**
 * Whose practice this request is about: the viewer's own (no `learner` given, or their own id), or a
 * learner who granted the viewer access. Anyone else's is a 404: not even their existence is told.
 */
export async function practiceLearner(
  db: Db,
  viewer: Pick<User, "id" | "displayName">,
  learnerParam: string | null | undefined,
): Promise<Person & { self: boolean }> {
  if (learnerParam === null || learnerParam === undefined || learnerParam === "")
    return { id: viewer.id, displayName: viewer.displayName, self: true };
  const id = Number(learnerParam);
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  if (id === viewer.id) return { id: viewer.id, displayName: viewer.displayName, self: true };
  if (!(await hasGrant(db, id, viewer.id))) notFound();
  const [learner] = await db.select({ id: users.id, displayName: users.displayName }).from(users).where(eq(users.id, id)).limit(1);
  if (!learner) notFound();
  return { ...learner, self: false };
}

export type InviteResult = { ok: true } | { ok: false; error: "practice:errors.self" };

/**
 * The learner offers the owner of an email to practise with them. The answer is the same whether or
 * not the email has an account, and names nobody: the invited person sees the offer on their Practice
 * page and accepts it (then the learner sees their name) or declines it (docs/decisions/0016-accounts.md).
 */
export async function inviteToPractise(db: Db, learner: Pick<User, "id" | "email">, email: string): Promise<InviteResult> {
  const address = email.trim().toLowerCase();
  if (address === learner.email.toLowerCase()) return { ok: false, error: "practice:errors.self" };
  // Someone already granted is already named in the learner's list: nothing to offer again.
  const [granted] = await db
    .select({ x: sql`1` })
    .from(practiceGrants)
    .innerJoin(users, eq(users.id, practiceGrants.granteeId))
    .where(and(eq(practiceGrants.learnerId, learner.id), eq(users.email, address)))
    .limit(1);
  if (!granted) await db.insert(practiceInvites).values({ learnerId: learner.id, email: address }).onConflictDoNothing();
  return { ok: true };
}

/** Offers the learner made that nobody has accepted yet (by email only). */
export async function invitationsSent(db: Db, learnerId: number): Promise<{ email: string }[]> {
  return await db
    .select({ email: practiceInvites.email })
    .from(practiceInvites)
    .where(eq(practiceInvites.learnerId, learnerId))
    .orderBy(asc(practiceInvites.createdAt));
}

export async function cancelInvitation(db: Db, learner: Pick<User, "id">, email: string): Promise<void> {
  await db
    .delete(practiceInvites)
    .where(and(eq(practiceInvites.learnerId, learner.id), eq(practiceInvites.email, email.trim().toLowerCase())));
}

/** Learners who offered this person (by their account's email) to practise with them. */
export async function invitationsReceived(db: Db, user: Pick<User, "email">): Promise<Person[]> {
  return await db
    .select({ id: users.id, displayName: users.displayName })
    .from(practiceInvites)
    .innerJoin(users, eq(users.id, practiceInvites.learnerId))
    .where(eq(practiceInvites.email, user.email.toLowerCase()))
    .orderBy(asc(practiceInvites.createdAt));
}

/** Accepting turns the offer into a grant; declining just removes it. False if there was no such offer. */
export async function answerInvitation(db: Db, user: Pick<User, "id" | "email">, learnerId: number, accept: boolean): Promise<boolean> {
  return transaction(db, async (tx) => {
    const gone = await tx
      .delete(practiceInvites)
      .where(and(eq(practiceInvites.learnerId, learnerId), eq(practiceInvites.email, user.email.toLowerCase())))
      .returning({ learnerId: practiceInvites.learnerId });
    if (!gone.length) return false;
    if (accept && learnerId !== user.id) await tx.insert(practiceGrants).values({ learnerId, granteeId: user.id }).onConflictDoNothing();
    return true;
  });
}

/** Only the learner's own grants can be revoked by them; revoking an absent grant is harmless. */
export async function revokeAccess(db: Db, learner: Pick<User, "id">, granteeId: number): Promise<void> {
  await db.delete(practiceGrants).where(and(eq(practiceGrants.learnerId, learner.id), eq(practiceGrants.granteeId, granteeId)));
}

/** People the learner let practise with them. */
export async function grantsGiven(db: Db, learnerId: number): Promise<(Person & { email: string })[]> {
  return await db
    .select({ id: users.id, displayName: users.displayName, email: users.email })
    .from(practiceGrants)
    .innerJoin(users, eq(users.id, practiceGrants.granteeId))
    .where(eq(practiceGrants.learnerId, learnerId))
    .orderBy(asc(practiceGrants.createdAt));
}

/** Learners who let this person practise with them. */
export async function grantsReceived(db: Db, granteeId: number): Promise<Person[]> {
  return await db
    .select({ id: users.id, displayName: users.displayName })
    .from(practiceGrants)
    .innerJoin(users, eq(users.id, practiceGrants.learnerId))
    .where(eq(practiceGrants.granteeId, granteeId))
    .orderBy(asc(users.displayName));
}

// ── A board's cards and the learner's state for them ─────────────────────────────────────────

export type PracticeCard = {
  id: number;
  title: string;
  cue: string;
  /** Naming cues (issue 14): empty = derived (models/therapy/cues.ts). */
  cueSentence: string;
  firstSound: string;
  features: Record<string, string>;
  creatorId: number;
  lang: Locale;
  alt: string;
  imageKey: string;
  imageWidth: number;
  imageHeight: number;
};

/**
 * The board, if the person holding the device or the learner may open it (a relative can practise their
 * own private board with the learner, and the learner's own private board with them: the practice
 * grant); an unlisted board also with its share key (`key`, from the link).
 */
async function practiceBoard(db: Db, boardId: number, viewer: Pick<User, "id">, learnerId: number, key?: string | null) {
  const [board] = await db.select().from(boards).where(eq(boards.id, boardId)).limit(1);
  if (!board || !(boardOpenTo(board, viewer, key) || boardOpenTo(board, { id: learnerId }, key))) notFound();
  const cards: PracticeCard[] = await db
    .select({
      id: pins.id,
      title: pins.title,
      cue: pins.cue,
      cueSentence: pins.cueSentence,
      firstSound: pins.firstSound,
      features: pins.features,
      creatorId: pins.creatorId,
      lang: pins.lang,
      alt: pins.alt,
      imageKey: pins.imageKey,
      imageWidth: pins.imageWidth,
      imageHeight: pins.imageHeight,
    })
    .from(boardPins)
    .innerJoin(pins, eq(pins.id, boardPins.pinId))
    .where(eq(boardPins.boardId, boardId))
    .orderBy(asc(boardPins.position));
  return { board, cards };
}

/** The learner's FSRS states in one mode: each mode schedules separately (issue 14). */
async function statesFor(db: Db, learnerId: number, pinIds: number[], mode: PracticeMode): Promise<Map<number, CardState>> {
  if (!pinIds.length) return new Map();
  const rows = await db
    .select()
    .from(reviews)
    .where(and(eq(reviews.learnerId, learnerId), eq(reviews.mode, mode), inArray(reviews.pinId, pinIds)));
  return new Map(rows.map((r) => [r.pinId, rowToState(r)]));
}

export function rowToState(r: typeof reviews.$inferSelect): CardState {
  return {
    due: r.due,
    stability: r.stability,
    difficulty: r.difficulty,
    elapsedDays: r.elapsedDays,
    scheduledDays: r.scheduledDays,
    learningSteps: r.learningSteps,
    reps: r.reps,
    lapses: r.lapses,
    state: r.state as StateValue,
    lastReview: r.lastReview,
  };
}

/** The learner's sitting on this board that can be resumed at `now`, if any. */
async function resumableSession(db: Db, learnerId: number, boardId: number, now: Date) {
  const [s] = await db
    .select()
    .from(practiceSessions)
    .where(and(eq(practiceSessions.learnerId, learnerId), eq(practiceSessions.boardId, boardId)))
    .orderBy(desc(practiceSessions.startedAt), desc(practiceSessions.id))
    .limit(1);
  if (!s) return null;
  const last = (s.lastRatedAt ?? s.startedAt).getTime();
  return now.getTime() - last < RESUME_WINDOW_MS ? s : null;
}

/** What happened in the sitting, in one mode: answers given, new cards introduced, the card answered last. */
async function sittingStats(db: Db, sessionId: number | null, mode: PracticeMode) {
  if (sessionId === null) return { rated: 0, newSeen: 0, lastPinId: null as number | null };
  // CASE rather than sum(a = b): PostgreSQL has no sum over booleans. Number(): its count/sum come back as text.
  const [agg] = await db
    .select({
      rated: sql<number>`count(*)`.mapWith(Number),
      newSeen: sql<number>`coalesce(sum(case when ${reviewLogs.stateBefore} = ${STATE.New} then 1 else 0 end), 0)`.mapWith(Number),
    })
    .from(reviewLogs)
    .where(and(eq(reviewLogs.sessionId, sessionId), eq(reviewLogs.mode, mode)))
    .limit(1);
  const [last] = await db
    .select({ pinId: reviewLogs.pinId })
    .from(reviewLogs)
    .where(and(eq(reviewLogs.sessionId, sessionId), eq(reviewLogs.mode, mode)))
    .orderBy(desc(reviewLogs.reviewedAt), desc(reviewLogs.id))
    .limit(1);
  return { rated: agg?.rated ?? 0, newSeen: agg?.newSeen ?? 0, lastPinId: last?.pinId ?? null };
}

export type PracticeView = {
  /** shareKey: the key this page's links to the board need (an unlisted board reached by its link), else null. */
  board: { id: number; title: string; lang: Locale; cardCount: number; shareKey: string | null };
  card: (PracticeCard & { reason: QueueReason; state: StateValue | null }) | null;
  counts: { due: number; new: number; unseen: number };
  sitting: { id: number | null; rated: number };
  mode: PracticeMode;
  /** The board's other cards (for comprehension's choices); only ids, words and pictures. */
  cards: PracticeCard[];
};

/** What to show now: the next card chosen server-side, with the sitting's counts. Writes nothing. */
export async function practiceView(
  db: Db,
  opts: {
    boardId: number;
    viewer: Pick<User, "id">;
    learnerId: number;
    now: Date;
    ahead?: boolean;
    key?: string | null;
    mode?: PracticeMode;
  },
): Promise<PracticeView> {
  const mode = opts.mode ?? "naming";
  const { board, cards } = await practiceBoard(db, opts.boardId, opts.viewer, opts.learnerId, opts.key);
  const ids = cards.map((c) => c.id);
  const { states, session, stats, counts } = await queueOn(db, opts.learnerId, board.id, ids, opts.now, mode);
  const q = { newLimit: NEW_PER_SITTING, newSeen: stats.newSeen, lastPinId: stats.lastPinId, ahead: opts.ahead };
  const next = nextCard(ids, states, opts.now, q);
  const card = next ? cards.find((c) => c.id === next.pinId)! : null;
  return {
    board: {
      id: board.id,
      title: board.title,
      lang: board.lang,
      cardCount: cards.length,
      shareKey: shareKeyFor(board, opts.viewer, opts.key),
    },
    card: card && next ? { ...card, reason: next.reason, state: states.get(card.id)?.state ?? null } : null,
    counts,
    sitting: { id: session?.id ?? null, rated: stats.rated },
    mode,
    cards,
  };
}

/**
 * A board's queue for a learner in one mode: the states, the sitting that can be resumed, and the
 * counts — due reviews plus the new cards this sitting may still bring. The practice page ("Waiting: n")
 * and /practice read the same counts from here, so they never disagree (walk-through finding).
 */
async function queueOn(db: Db, learnerId: number, boardId: number, ids: number[], now: Date, mode: PracticeMode) {
  const states = await statesFor(db, learnerId, ids, mode);
  const session = await resumableSession(db, learnerId, boardId, now);
  const stats = await sittingStats(db, session?.id ?? null, mode);
  const counts = queueCounts(ids, states, now, { newLimit: NEW_PER_SITTING, newSeen: stats.newSeen });
  return { states, session, stats, counts };
}

export type RateInput = {
  boardId: number;
  pinId: number;
  viewer: Pick<User, "id">;
  learnerId: number;
  now: Date;
  key?: string | null;
  mode?: PracticeMode;
  /** Semantic feature analysis answers: saved on the card only when the learner made it (see features.server.ts). */
  features?: Record<string, string>;
} & Answer;

/**
 * Stores one answer: the card's new FSRS state (in the answer's mode) and a log line with the outcome,
 * cue level and the whole state before (for undo), in the current sitting (resumed if recent, else a
 * new one), all in one transaction, before anything else is shown.
 */
export async function ratePin(db: Db, input: RateInput): Promise<{ sessionId: number; state: CardState; logId: number }> {
  const mode = input.mode ?? "naming";
  const { board, cards } = await practiceBoard(db, input.boardId, input.viewer, input.learnerId, input.key);
  const card = cards.find((c) => c.id === input.pinId);
  if (!card) notFound();
  return transaction(db, async (tx) => {
    const session =
      (await resumableSession(tx, input.learnerId, board.id, input.now)) ??
      (await writtenRow(
        tx
          .insert(practiceSessions)
          .values({ learnerId: input.learnerId, boardId: board.id, startedBy: input.viewer.id, startedAt: input.now })
          .returning(),
      ));
    const { state, logId } = await applyAnswer(tx, {
      learnerId: input.learnerId,
      pinId: input.pinId,
      mode,
      ratedBy: input.viewer.id,
      sessionId: session.id,
      answer: input,
      now: input.now,
    });
    // The learner's own card keeps their feature answers; anyone else's card is not changed (features.server.ts).
    if (input.features && card.creatorId === input.learnerId)
      await tx.update(pins).set({ features: input.features, updatedAt: input.now }).where(eq(pins.id, card.id));
    await tx.update(practiceSessions).set({ lastRatedAt: input.now }).where(eq(practiceSessions.id, session.id));
    return { sessionId: session.id, state, logId };
  });
}

export type UndoResult = { ok: true; pinId: number } | { ok: false; reason: "nothing" | "tooOld" };

/**
 * Undoes the last answer of this sitting in this mode: the card's FSRS state goes back to exactly what
 * it was (or the card becomes new again in that mode) and the log line is removed, in one transaction.
 * Only the last answer, and only one written with its previous state (older lines cannot be undone).
 */
export async function undoLastAnswer(
  db: Db,
  input: { boardId: number; viewer: Pick<User, "id">; learnerId: number; now: Date; key?: string | null; mode?: PracticeMode },
): Promise<UndoResult> {
  const mode = input.mode ?? "naming";
  const { board } = await practiceBoard(db, input.boardId, input.viewer, input.learnerId, input.key);
  return transaction(db, async (tx) => {
    const session = await resumableSession(tx, input.learnerId, board.id, input.now);
    if (!session) return { ok: false, reason: "nothing" } as const;
    const [last] = await tx
      .select()
      .from(reviewLogs)
      .where(and(eq(reviewLogs.sessionId, session.id), eq(reviewLogs.mode, mode)))
      .orderBy(desc(reviewLogs.reviewedAt), desc(reviewLogs.id))
      .limit(1);
    if (!last) return { ok: false, reason: "nothing" } as const;
    if (!last.previous) return { ok: false, reason: "tooOld" } as const;
    // Another answer on the same card in this mode since (another sitting, another board): not ours to undo.
    const [later] = await tx
      .select({ id: reviewLogs.id })
      .from(reviewLogs)
      .where(
        and(
          eq(reviewLogs.learnerId, input.learnerId),
          eq(reviewLogs.pinId, last.pinId),
          eq(reviewLogs.mode, mode),
          sql`${reviewLogs.id} > ${last.id}`,
        ),
      )
      .limit(1);
    if (later) return { ok: false, reason: "nothing" } as const;
    const key = and(eq(reviews.learnerId, input.learnerId), eq(reviews.pinId, last.pinId), eq(reviews.mode, mode));
    if (last.previous.card === null) await tx.delete(reviews).where(key);
    else await tx.update(reviews).set(restoreState(last.previous.card)).where(key);
    await tx.delete(reviewLogs).where(eq(reviewLogs.id, last.id));
    return { ok: true, pinId: last.pinId } as const;
  });
}

// ── Overview and progress ─────────────────────────────────────────────────────────────────────

export type BoardInProgress = {
  id: number;
  title: string;
  lang: Locale;
  cardCount: number;
  practised: number;
  /** The same count as the practice page's "Waiting" (waitingOf), in naming mode. */
  waiting: number;
  lastPractised: Date | null;
};

/** Boards the learner has practised, most recent first, with how many of their cards are due now. */
export async function boardsInProgress(db: Db, learnerId: number, viewer: Pick<User, "id">, now: Date): Promise<BoardInProgress[]> {
  // max() over the timestamp columns skips their Date mapper: epoch ms on both engines (PostgreSQL stores them as
  // bigint, returned as a number by the int8 parser of db/pg/client.ts), hence the new Date() below.
  const rows = (
    await db
      .select({
        id: boards.id,
        title: boards.title,
        lang: boards.lang,
        visibility: boards.visibility,
        ownerId: boards.ownerId,
        lastPractised: sql<number | null>`max(coalesce(${practiceSessions.lastRatedAt}, ${practiceSessions.startedAt}))`.mapWith(Number),
      })
      .from(practiceSessions)
      .innerJoin(boards, eq(boards.id, practiceSessions.boardId))
      .where(eq(practiceSessions.learnerId, learnerId))
      .groupBy(boards.id)
      .orderBy(desc(sql`max(coalesce(${practiceSessions.lastRatedAt}, ${practiceSessions.startedAt}))`))
  )
    // Listed boards only: an unlisted board practised through its link is not named here (the key is not kept).
    .filter((b) => boardListedFor(b, viewer) || boardListedFor(b, { id: learnerId }));
  const out: BoardInProgress[] = [];
  for (const b of rows) {
    const [counts] = await db
      .select({
        cardCount: sql<number>`count(*)`.mapWith(Number),
        practised: sql<number>`count(${reviews.pinId})`.mapWith(Number),
      })
      .from(boardPins)
      // One mode's states (naming, the default): with several modes a card has several review rows.
      .leftJoin(reviews, and(eq(reviews.pinId, boardPins.pinId), eq(reviews.learnerId, learnerId), eq(reviews.mode, "naming")))
      .where(eq(boardPins.boardId, b.id))
      .limit(1);
    const ids = (await db.select({ id: boardPins.pinId }).from(boardPins).where(eq(boardPins.boardId, b.id))).map((r) => r.id);
    const queue = await queueOn(db, learnerId, b.id, ids, now, "naming");
    out.push({
      id: b.id,
      title: b.title,
      lang: b.lang,
      cardCount: counts?.cardCount ?? 0,
      practised: counts?.practised ?? 0,
      waiting: waitingOf(queue.counts),
      lastPractised: b.lastPractised === null ? null : new Date(b.lastPractised),
    });
  }
  return out;
}

export type Progress = {
  series: ReturnType<typeof progressSeries>;
  totals: { learned: number; practised: number; ratings: number; sessions: number; dueNow: number };
};

/** The learner's progress over time (cards learned, sittings, ratings), by day or week. */
export async function practiceProgress(db: Db, learnerId: number, now: Date, bucket: Bucket): Promise<Progress> {
  const logs = await db
    .select({
      pinId: reviewLogs.pinId,
      sessionId: reviewLogs.sessionId,
      stateBefore: reviewLogs.stateBefore,
      reviewedAt: reviewLogs.reviewedAt,
    })
    .from(reviewLogs)
    .where(eq(reviewLogs.learnerId, learnerId))
    .orderBy(asc(reviewLogs.reviewedAt));
  const current = await db
    .select({ pinId: reviews.pinId, state: reviews.state, due: reviews.due })
    .from(reviews)
    .where(eq(reviews.learnerId, learnerId));
  const states = new Map(current.map((r) => [r.pinId, r.state]));
  const series = progressSeries(logs, states, now, bucket);
  const [sessions] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(practiceSessions)
    .where(and(eq(practiceSessions.learnerId, learnerId), sql`${practiceSessions.lastRatedAt} is not null`))
    .limit(1);
  const [dueNow] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(reviews)
    .where(and(eq(reviews.learnerId, learnerId), lte(reviews.due, now)))
    .limit(1);
  return {
    series,
    totals: {
      // The chart's last point: cards that reached Review (graduated), even if one has lapsed since.
      learned: learnedAt(logs, states).size,
      practised: current.length,
      ratings: logs.length,
      sessions: sessions?.n ?? 0,
      dueNow: dueNow?.n ?? 0,
    },
  };
}

/** Deletes every rating, card state and sitting of the learner. Only the learner may. */
export async function deletePracticeHistory(db: Db, actor: Pick<User, "id">, learnerId: number): Promise<{ deleted: number }> {
  if (actor.id !== learnerId) forbidden();
  return transaction(db, async (tx) => {
    const logs = changed(await tx.delete(reviewLogs).where(eq(reviewLogs.learnerId, learnerId)));
    await tx.delete(reviews).where(eq(reviews.learnerId, learnerId));
    await tx.delete(practiceSessions).where(eq(practiceSessions.learnerId, learnerId));
    return { deleted: logs };
  });
}
