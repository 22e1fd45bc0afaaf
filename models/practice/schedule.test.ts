import { describe, expect, it } from "vitest";
import { fromCard, newCardState, schedule, STATE, toCard, type CardState } from "./schedule";

const MIN = 60_000;
const DAY = 86_400_000;
const t0 = new Date("2026-03-02T09:00:00Z");

describe("schedule", () => {
  it("a new card rated Good is due in the future and is learning", () => {
    const { state, log } = schedule(null, 3, t0);
    expect(state.due.getTime()).toBeGreaterThan(t0.getTime());
    expect(state.state).toBe(STATE.Learning);
    expect(state.reps).toBe(1);
    expect(state.lastReview?.getTime()).toBe(t0.getTime());
    expect(log).toEqual({ rating: 3, stateBefore: STATE.New, reviewedAt: t0 });
  });

  it("Again keeps a card due soon (within minutes), Easy sends it days away", () => {
    const again = schedule(null, 1, t0).state;
    expect(again.due.getTime() - t0.getTime()).toBeLessThanOrEqual(10 * MIN);
    const easy = schedule(null, 4, t0).state;
    expect(easy.state).toBe(STATE.Review);
    expect(easy.due.getTime() - t0.getTime()).toBeGreaterThanOrEqual(DAY);
  });

  it("repeated Good, each on its due date, gives growing intervals", () => {
    let s: CardState | null = null;
    let now = t0;
    const intervals: number[] = [];
    for (let i = 0; i < 7; i++) {
      s = schedule(s, 3, now).state;
      intervals.push(s.due.getTime() - now.getTime());
      now = s.due;
    }
    // After the learning steps, every review interval is longer than the one before.
    const reviews = intervals.slice(2);
    for (let i = 1; i < reviews.length; i++) expect(reviews[i]).toBeGreaterThan(reviews[i - 1]!);
    expect(s!.state).toBe(STATE.Review);
    expect(reviews.at(-1)!).toBeGreaterThan(20 * DAY);
  });

  it("a lapse (Again on a card in Review) counts and relearns", () => {
    let s = schedule(null, 4, t0).state;
    s = schedule(s, 1, s.due).state;
    expect(s.lapses).toBe(1);
    expect(s.state).toBe(STATE.Relearning);
  });

  it("is deterministic (no fuzz)", () => {
    const a = schedule(schedule(null, 3, t0).state, 3, new Date(t0.getTime() + 10 * MIN));
    const b = schedule(schedule(null, 3, t0).state, 3, new Date(t0.getTime() + 10 * MIN));
    expect(a).toEqual(b);
  });

  it("round-trips a stored row through the ts-fsrs Card and back", () => {
    const s = schedule(schedule(null, 4, t0).state, 2, new Date(t0.getTime() + 3 * DAY)).state;
    expect(fromCard(toCard(s))).toEqual(s);
    const fresh = newCardState(t0);
    expect(fresh.lastReview).toBeNull();
    expect(fromCard(toCard(fresh))).toEqual(fresh);
    // A DB row read back (plain numbers, dates) schedules exactly like the in-memory state.
    const row = JSON.parse(JSON.stringify(s), (k, v) => ((k === "due" || k === "lastReview") && v ? new Date(v) : v)) as CardState;
    const later = new Date(s.due.getTime() + DAY);
    expect(schedule(row, 3, later)).toEqual(schedule(s, 3, later));
  });

  it("refuses a rating outside 1–4", () => {
    expect(() => schedule(null, 0 as 1, t0)).toThrow(RangeError);
    expect(() => schedule(null, 5 as 1, t0)).toThrow(RangeError);
  });
});
