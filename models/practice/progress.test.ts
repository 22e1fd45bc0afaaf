import { describe, expect, it } from "vitest";
import { learnedAt, periodOf, progressSeries, type LogRow } from "./progress";
import { STATE } from "./schedule";

const d = (s: string) => new Date(`${s}Z`);

describe("progress", () => {
  it("periods are UTC days or Monday-started weeks", () => {
    expect(periodOf(d("2026-03-04T23:59:00"), "day")).toBe("2026-03-04");
    expect(periodOf(d("2026-03-04T10:00:00"), "week")).toBe("2026-03-02"); // a Wednesday → its Monday
    expect(periodOf(d("2026-03-08T10:00:00"), "week")).toBe("2026-03-02"); // Sunday
    expect(periodOf(d("2026-03-09T00:00:00"), "week")).toBe("2026-03-09");
  });

  it("a card is learned at the rating after which it reached Review", () => {
    const logs: LogRow[] = [
      { pinId: 1, sessionId: 1, stateBefore: STATE.New, reviewedAt: d("2026-03-02T10:00:00") },
      { pinId: 1, sessionId: 1, stateBefore: STATE.Learning, reviewedAt: d("2026-03-02T10:05:00") },
      { pinId: 1, sessionId: 2, stateBefore: STATE.Review, reviewedAt: d("2026-03-04T10:00:00") },
      { pinId: 2, sessionId: 1, stateBefore: STATE.New, reviewedAt: d("2026-03-02T10:01:00") },
      { pinId: 3, sessionId: 2, stateBefore: STATE.New, reviewedAt: d("2026-03-04T10:01:00") },
    ];
    const current = new Map([
      [1, STATE.Review],
      [2, STATE.Learning],
      [3, STATE.Review],
    ]);
    const at = learnedAt(logs, current);
    expect(at.get(1)).toEqual(d("2026-03-02T10:05:00"));
    expect(at.has(2)).toBe(false);
    expect(at.get(3)).toEqual(d("2026-03-04T10:01:00"));

    const days = progressSeries(logs, current, d("2026-03-05T08:00:00"), "day");
    expect(days).toEqual([
      { period: "2026-03-02", learned: 1, sessions: 1, ratings: 3 },
      { period: "2026-03-03", learned: 1, sessions: 0, ratings: 0 },
      { period: "2026-03-04", learned: 2, sessions: 1, ratings: 2 },
      { period: "2026-03-05", learned: 2, sessions: 0, ratings: 0 },
    ]);
    expect(progressSeries(logs, current, d("2026-03-05T08:00:00"), "week")).toEqual([
      { period: "2026-03-02", learned: 2, sessions: 2, ratings: 5 },
    ]);
    expect(progressSeries([], current, d("2026-03-05T08:00:00"), "day")).toEqual([]);
  });

  it("keeps only the last periods but counts learned cards from all history", () => {
    const logs: LogRow[] = [{ pinId: 1, sessionId: 1, stateBefore: STATE.New, reviewedAt: d("2026-01-01T10:00:00") }];
    const s = progressSeries(logs, new Map([[1, STATE.Review]]), d("2026-03-05T08:00:00"), "day", 3);
    expect(s.map((p) => p.period)).toEqual(["2026-03-03", "2026-03-04", "2026-03-05"]);
    expect(s.every((p) => p.learned === 1)).toBe(true);
  });
});
