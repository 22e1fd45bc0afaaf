import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as enums from "../../db/enums";
import {
  CUE_LEVELS,
  byCueLevel,
  byPeriod,
  byWord,
  namedShare,
  outcomeOf,
  percent,
  summarize,
  unaidedShare,
  type Outcome,
  type PracticeMode,
  type ReviewRow,
} from "./aggregate";

const d = (s: string) => new Date(`${s}Z`);
let n = 0;
const row = (p: Partial<ReviewRow>): ReviewRow => ({
  reviewedAt: d("2026-03-02T10:00:00"),
  learnerId: 1,
  learnerName: "Dad",
  pinId: 1,
  word: "cup",
  mode: "naming",
  outcome: "correct",
  cueLevel: 0,
  rating: 3,
  sessionId: 1,
  ...p,
  // a distinct time per row unless given, so "last" is well defined
  ...(p.reviewedAt ? {} : { reviewedAt: new Date(d("2026-03-02T10:00:00").getTime() + ++n * 1000) }),
});

const { OUTCOMES, PRACTICE_MODES } = enums;

describe("caseload aggregation", () => {
  it("uses the schema's cue levels, results and modes, in the same order", () => {
    expect(CUE_LEVELS).toEqual(enums.CUE_LEVELS);
    const outcomes: readonly Outcome[] = enums.OUTCOMES; // compile-time: the same values
    const modes: readonly PracticeMode[] = enums.PRACTICE_MODES;
    expect([outcomes.length, modes.length]).toEqual([3, 4]);
  });

  it("old reviews without an outcome: Again is not yet, anything else correct", () => {
    expect(outcomeOf({ outcome: null, rating: 1 })).toBe("not_yet");
    expect(outcomeOf({ outcome: null, rating: 2 })).toBe("correct");
    expect(outcomeOf({ outcome: "cued", rating: 3 })).toBe("cued");
  });

  it("per word: tries split by result, the last try, the average cue level of the named tries", () => {
    const rows = [
      row({ pinId: 2, word: "pot", outcome: "not_yet", cueLevel: 5, reviewedAt: d("2026-03-02T10:00:00") }),
      row({ pinId: 2, word: "pot", outcome: "cued", cueLevel: 3, reviewedAt: d("2026-03-03T10:00:00") }),
      row({ pinId: 2, word: "pot", outcome: "cued", cueLevel: 1, reviewedAt: d("2026-03-04T10:00:00") }),
      row({ pinId: 1, word: "Árbol", outcome: "correct", cueLevel: 0, reviewedAt: d("2026-03-02T11:00:00") }),
    ];
    const words = byWord(rows, "es");
    expect(words.map((w) => w.word)).toEqual(["Árbol", "pot"]); // collated, accent-insensitive
    const pot = words[1]!;
    expect([pot.total, pot.correct, pot.cued, pot.notYet]).toEqual([3, 0, 2, 1]);
    expect(pot.last).toEqual({ at: d("2026-03-04T10:00:00"), outcome: "cued", cueLevel: 1 });
    expect(pot.meanCue).toBe(2); // (3 + 1) / 2: the "not yet" try is not averaged
    expect(percent(namedShare(pot))).toBe("67%");
    expect(percent(unaidedShare(pot))).toBe("0%");
    expect(percent(null)).toBe("—");
    // As each language writes it: French and German put a no-break space before the sign.
    expect(percent(namedShare(pot), "fr")).toBe("67\u00a0%");
    expect(percent(namedShare(pot), "de")).toBe("67\u00a0%");
  });

  it("per cue level: every level listed, unrecorded levels kept apart, never guessed", () => {
    const { levels, unrecorded } = byCueLevel([
      row({ outcome: "cued", cueLevel: 3 }),
      row({ outcome: "cued", cueLevel: 3 }),
      row({ outcome: "not_yet", cueLevel: 5 }),
      row({ outcome: null, rating: 3, cueLevel: null }),
      row({ outcome: "cued", cueLevel: 99 }),
    ]);
    expect(levels.map((l) => l.name)).toEqual([...CUE_LEVELS]);
    expect(levels[3]).toMatchObject({ name: "firstSound", total: 2, cued: 2 });
    expect(levels[5]).toMatchObject({ total: 1, notYet: 1 });
    expect(unrecorded).toEqual({ total: 2, correct: 1, cued: 1, notYet: 0 });
  });

  it("per period: Monday weeks with the gaps filled, sittings counted once", () => {
    const periods = byPeriod(
      [
        row({ reviewedAt: d("2026-03-02T10:00:00"), sessionId: 1 }),
        row({ reviewedAt: d("2026-03-04T10:00:00"), sessionId: 1, outcome: "cued", cueLevel: 2 }),
        row({ reviewedAt: d("2026-03-18T10:00:00"), sessionId: 2, outcome: "not_yet" }),
      ],
      "week",
    );
    expect(periods).toEqual([
      { period: "2026-03-02", total: 2, correct: 1, cued: 1, notYet: 0, sittings: 1, cues: [1, 0, 1, 0, 0, 0] },
      { period: "2026-03-09", total: 0, correct: 0, cued: 0, notYet: 0, sittings: 0, cues: [0, 0, 0, 0, 0, 0] },
      { period: "2026-03-16", total: 1, correct: 0, cued: 0, notYet: 1, sittings: 1, cues: [1, 0, 0, 0, 0, 0] },
    ]);
    expect(byPeriod([], "day")).toEqual([]);
  });

  // The same numbers counted the plainest way, for any history: every view agrees with it and with each other.
  const anyRow = fc.record({
    reviewedAt: fc.date({ min: d("2026-01-01T00:00:00"), max: d("2026-06-30T00:00:00"), noInvalidDate: true }),
    learnerId: fc.constant(1),
    learnerName: fc.constant("Dad"),
    pinId: fc.integer({ min: 1, max: 6 }),
    word: fc.constant(""),
    mode: fc.constantFrom(...PRACTICE_MODES),
    outcome: fc.option(fc.constantFrom(...OUTCOMES), { nil: null }),
    cueLevel: fc.option(fc.integer({ min: 0, max: CUE_LEVELS.length - 1 }), { nil: null }),
    rating: fc.integer({ min: 1, max: 4 }),
    sessionId: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
  });
  it("agrees with a plain count, whatever the history", () => {
    fc.assert(
      fc.property(fc.array(anyRow, { maxLength: 60 }), fc.constantFrom("day" as const, "week" as const), (raw, bucket) => {
        const rows = raw.map((r) => ({ ...r, word: `w${r.pinId}` }));
        const plain = (rs: typeof rows, o: string) =>
          rs.filter((r) => (r.outcome ?? (r.rating === 1 ? "not_yet" : "correct")) === o).length;
        const s = summarize(rows);
        expect([s.total, s.correct, s.cued, s.notYet]).toEqual([
          rows.length,
          plain(rows, "correct"),
          plain(rows, "cued"),
          plain(rows, "not_yet"),
        ]);
        expect(s.sittings).toBe(new Set(rows.filter((r) => r.sessionId !== null).map((r) => r.sessionId)).size);
        for (const w of byWord(rows)) {
          const mine = rows.filter((r) => r.pinId === w.pinId);
          expect([w.total, w.correct, w.cued, w.notYet]).toEqual([
            mine.length,
            plain(mine, "correct"),
            plain(mine, "cued"),
            plain(mine, "not_yet"),
          ]);
        }
        const cues = byCueLevel(rows);
        for (const l of cues.levels) expect(l.total).toBe(rows.filter((r) => r.cueLevel === l.level).length);
        expect(cues.unrecorded.total).toBe(rows.filter((r) => r.cueLevel === null).length);
        const periods = byPeriod(rows, bucket);
        expect(periods.reduce((a, p) => a + p.total, 0)).toBe(rows.length);
        expect(periods.reduce((a, p) => a + p.correct, 0)).toBe(s.correct);
        expect(new Set(periods.map((p) => p.period)).size).toBe(periods.length);
        for (const l of cues.levels) expect(periods.reduce((a, p) => a + p.cues[l.level]!, 0)).toBe(l.total);
      }),
      { numRuns: 150 },
    );
  });
});
