import { and, eq } from "drizzle-orm";
import { reviewLogs, reviews, type PracticeMode, type StoredCardState } from "../../../db/tables";
import { schedule, type CardState, type Rating, type StateValue } from "../../../models/practice";
import { ratingFor, storedCueLevel, type Outcome } from "../../../models/therapy/scoring";
import type { Db } from "../db.server";
import { writtenRow } from "../verified-write.server";

/**
 * One answer: a clinical outcome (issue 14: correct, cued with the cue level reached, not yet — its FSRS
 * rating comes from models/therapy/scoring.ts) or, for older clients, a bare FSRS rating.
 */
export type Answer = { outcome: Outcome; cueLevel: number } | { rating: Rating; outcome?: undefined };

/** A card state as review_log.previous keeps it (JSON: dates as epoch ms), and back. */
export function storeState(s: CardState): StoredCardState {
  return { ...s, due: s.due.getTime(), lastReview: s.lastReview ? s.lastReview.getTime() : null };
}
export function restoreState(s: StoredCardState): CardState {
  return { ...s, state: s.state as StateValue, due: new Date(s.due), lastReview: s.lastReview === null ? null : new Date(s.lastReview) };
}

function rowState(r: typeof reviews.$inferSelect): CardState {
  const { learnerId: _l, pinId: _p, mode: _m, ...rest } = r;
  return { ...rest, state: rest.state as StateValue };
}

/**
 * Applies one answer to one learner's card in one mode, inside the caller's transaction: the new FSRS
 * state and a log line with mode, outcome, cue level and the whole state before (for undo). Used by the
 * practice page (in a sitting) and by a workshop's present mode (no sitting: sessionId null).
 */
export async function applyAnswer(
  tx: Db,
  a: { learnerId: number; pinId: number; mode: PracticeMode; ratedBy: number; sessionId: number | null; answer: Answer; now: Date },
): Promise<{ state: CardState; logId: number }> {
  const [row] = await tx
    .select()
    .from(reviews)
    .where(and(eq(reviews.learnerId, a.learnerId), eq(reviews.pinId, a.pinId), eq(reviews.mode, a.mode)))
    .limit(1);
  const before = row ? rowState(row) : null;
  const rating = a.answer.outcome === undefined ? a.answer.rating : ratingFor(a.answer.outcome, a.answer.cueLevel, before?.state ?? null);
  const { state, log } = schedule(before, rating, a.now);
  await tx
    .insert(reviews)
    .values({ learnerId: a.learnerId, pinId: a.pinId, mode: a.mode, ...state })
    .onConflictDoUpdate({ target: [reviews.learnerId, reviews.pinId, reviews.mode], set: state });
  const logRow = await writtenRow(
    tx
      .insert(reviewLogs)
      .values({
        learnerId: a.learnerId,
        pinId: a.pinId,
        sessionId: a.sessionId,
        ratedBy: a.ratedBy,
        rating: log.rating,
        mode: a.mode,
        outcome: a.answer.outcome ?? null,
        cueLevel: a.answer.outcome === undefined ? null : storedCueLevel(a.answer.outcome, a.answer.cueLevel),
        stateBefore: log.stateBefore,
        previous: { card: before ? storeState(before) : null },
        reviewedAt: log.reviewedAt,
      })
      .returning({ id: reviewLogs.id }),
  );
  return { state, logId: logRow.id };
}
