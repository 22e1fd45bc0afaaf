import { createEmptyCard, fsrs, generatorParameters, type Card, type Grade } from "ts-fsrs";

/**
 * Spaced repetition for one learner and one card: a thin, pure wrapper over ts-fsrs (FSRS-6 with its
 * published default weights). Fuzz is off, so the same history always gives the same schedule (tests,
 * and a history that can be replayed); short-term learning steps are on (1 min, 10 min), so a card
 * rated Again comes back in the same sitting.
 */

/** ts-fsrs State: 0 New, 1 Learning, 2 Review, 3 Relearning. */
export const STATE = { New: 0, Learning: 1, Review: 2, Relearning: 3 } as const;
export type StateValue = (typeof STATE)[keyof typeof STATE];

/** Again 1, Hard 2, Good 3, Easy 4 (as ts-fsrs and the database number them). */
export type Rating = 1 | 2 | 3 | 4;
export const RATING_VALUES: readonly Rating[] = [1, 2, 3, 4];

/** The scheduling state of one card for one learner, as the `review` table stores it (minus the keys). */
export type CardState = {
  due: Date;
  stability: number;
  difficulty: number;
  elapsedDays: number;
  scheduledDays: number;
  learningSteps: number;
  reps: number;
  lapses: number;
  state: StateValue;
  lastReview: Date | null;
};

/** What one rating adds to the history (`review_log` minus its keys). */
export type LogEntry = { rating: Rating; stateBefore: StateValue; reviewedAt: Date };

export const PARAMETERS = generatorParameters({
  request_retention: 0.9,
  maximum_interval: 365,
  enable_fuzz: false,
  enable_short_term: true,
  learning_steps: ["1m", "10m"],
  relearning_steps: ["10m"],
});

const scheduler = fsrs(PARAMETERS);

export function toCard(s: CardState): Card {
  return {
    due: new Date(s.due),
    stability: s.stability,
    difficulty: s.difficulty,
    elapsed_days: s.elapsedDays,
    scheduled_days: s.scheduledDays,
    learning_steps: s.learningSteps,
    reps: s.reps,
    lapses: s.lapses,
    state: s.state,
    last_review: s.lastReview ? new Date(s.lastReview) : undefined,
  };
}

export function fromCard(c: Card): CardState {
  return {
    due: new Date(c.due),
    stability: c.stability,
    difficulty: c.difficulty,
    elapsedDays: c.elapsed_days,
    scheduledDays: c.scheduled_days,
    learningSteps: c.learning_steps,
    reps: c.reps,
    lapses: c.lapses,
    state: c.state as StateValue,
    lastReview: c.last_review ? new Date(c.last_review) : null,
  };
}

export function isRating(v: unknown): v is Rating {
  return typeof v === "number" && (RATING_VALUES as readonly number[]).includes(v);
}

/** A card never practised yet, as of `now`. */
export function newCardState(now: Date): CardState {
  return fromCard(createEmptyCard(now));
}

/** Applies one rating at `now` to a card's state (null = never practised): the new state and its log entry. */
export function schedule(current: CardState | null, rating: Rating, now: Date): { state: CardState; log: LogEntry } {
  if (!isRating(rating)) throw new RangeError(`rating must be 1–4, got ${String(rating)}`);
  const before = current ?? newCardState(now);
  const { card } = scheduler.next(toCard(before), now, rating as Grade);
  return { state: fromCard(card), log: { rating, stateBefore: before.state, reviewedAt: new Date(now) } };
}
