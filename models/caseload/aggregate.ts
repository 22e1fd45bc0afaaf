import { periodOf, type Bucket } from "../practice/progress";

/**
 * The naming cueing hierarchy, least to most help, and the clinical results: the same values as
 * db/enums.ts's CUE_LEVELS and OUTCOMES (models/ never imports db/; aggregate.test.ts checks they agree).
 */
export const CUE_LEVELS = ["none", "semantic", "sentence", "firstSound", "firstLetters", "wholeWord"] as const;
export type Outcome = "correct" | "cued" | "not_yet";
export type PracticeMode = "naming" | "comprehension" | "features" | "writing";

/**
 * What a therapist reads from the review history (issue 14): per word, per cue level and per period,
 * how often the word was named without help, with a cue, or not yet. Pure functions over plain rows,
 * so the page, the CSV and the PDF all count the same way.
 */
export type ReviewRow = {
  reviewedAt: Date;
  learnerId: number;
  learnerName: string;
  pinId: number;
  word: string;
  mode: PracticeMode;
  /** null on reviews rated before clinical scoring existed (issue 4: Again/Hard/Good/Easy only). */
  outcome: Outcome | null;
  /** Index into CUE_LEVELS; null when not recorded. */
  cueLevel: number | null;
  rating: number;
  sessionId: number | null;
};

export type Tally = { total: number; correct: number; cued: number; notYet: number };

/**
 * The clinical result of a review. Old reviews carry only an FSRS rating: Again was "not yet", any
 * other rating meant the word was produced, and no cue was recorded, so it counts as correct.
 */
export function outcomeOf(r: Pick<ReviewRow, "outcome" | "rating">): Outcome {
  if (r.outcome) return r.outcome;
  return r.rating === 1 ? "not_yet" : "correct";
}

/** The cue level of a review as a valid index, or null (not recorded, or out of range). */
export function cueLevelOf(r: Pick<ReviewRow, "cueLevel">): number | null {
  const l = r.cueLevel;
  return l !== null && Number.isInteger(l) && l >= 0 && l < CUE_LEVELS.length ? l : null;
}

const empty = (): Tally => ({ total: 0, correct: 0, cued: 0, notYet: 0 });

function add(t: Tally, r: Pick<ReviewRow, "outcome" | "rating">): void {
  t.total++;
  const o = outcomeOf(r);
  if (o === "correct") t.correct++;
  else if (o === "cued") t.cued++;
  else t.notYet++;
}

/** Share of tries named at all (with or without a cue), 0..1; null with no tries. */
export const namedShare = (t: Tally): number | null => (t.total ? (t.correct + t.cued) / t.total : null);
/** Share of tries named without any cue, 0..1; null with no tries. */
export const unaidedShare = (t: Tally): number | null => (t.total ? t.correct / t.total : null);
/** A share as a whole percentage, "—" for none (for tables, the CSV and the PDF alike). */
/** A share as the language writes a percentage ("67%", French "67 %", Arabic digits and sign); "—" when unknown. */
export const percent = (share: number | null, locale = "en"): string =>
  share === null ? "—" : new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 }).format(share);

export function tally(rows: readonly Pick<ReviewRow, "outcome" | "rating">[]): Tally {
  const t = empty();
  for (const r of rows) add(t, r);
  return t;
}

export type WordRow = Tally & {
  pinId: number;
  word: string;
  /** The most recent try: its result and cue level, so "how much help, last time" reads at a glance. */
  last: { at: Date; outcome: Outcome; cueLevel: number | null };
  /** Average cue level over the tries named with a cue or without (not "not yet"); null if none recorded. */
  meanCue: number | null;
};

/** One row per word (card), in alphabetical order of the word, then by card. */
export function byWord(rows: readonly ReviewRow[], locale = "en"): WordRow[] {
  const map = new Map<number, WordRow & { cueSum: number; cueN: number }>();
  for (const r of rows) {
    let w = map.get(r.pinId);
    if (!w) {
      w = {
        ...empty(),
        pinId: r.pinId,
        word: r.word,
        last: { at: r.reviewedAt, outcome: outcomeOf(r), cueLevel: cueLevelOf(r) },
        meanCue: null,
        cueSum: 0,
        cueN: 0,
      };
      map.set(r.pinId, w);
    }
    add(w, r);
    if (r.reviewedAt.getTime() >= w.last.at.getTime()) w.last = { at: r.reviewedAt, outcome: outcomeOf(r), cueLevel: cueLevelOf(r) };
    const level = cueLevelOf(r);
    if (level !== null && outcomeOf(r) !== "not_yet") {
      w.cueSum += level;
      w.cueN++;
    }
  }
  const collator = new Intl.Collator(locale, { sensitivity: "base" });
  return [...map.values()]
    .map(({ cueSum, cueN, ...w }) => ({ ...w, meanCue: cueN ? cueSum / cueN : null }))
    .sort((a, b) => collator.compare(a.word, b.word) || a.pinId - b.pinId);
}

export type CueRow = Tally & { level: number; name: (typeof CUE_LEVELS)[number] };

/**
 * How many tries reached each cue level (none, semantic, … whole word), split by result; tries with
 * no cue level recorded are counted in `unrecorded`, not guessed into a level.
 */
export function byCueLevel(rows: readonly ReviewRow[]): { levels: CueRow[]; unrecorded: Tally } {
  const levels: CueRow[] = CUE_LEVELS.map((name, level) => ({ ...empty(), level, name }));
  const unrecorded = empty();
  for (const r of rows) {
    const l = cueLevelOf(r);
    add(l === null ? unrecorded : levels[l]!, r);
  }
  return { levels, unrecorded };
}

/** `cues[level]`: tries in the period that reached that cue level (tries with none recorded are not in it). */
export type PeriodRow = Tally & { period: string; sittings: number; cues: number[] };

/**
 * Results per UTC day or ISO week (Monday), oldest first, with the empty periods between filled in so
 * a chart's gaps are real gaps; `sittings` counts the distinct practice sittings in the period.
 */
export function byPeriod(rows: readonly ReviewRow[], bucket: Bucket): PeriodRow[] {
  if (!rows.length) return [];
  const map = new Map<string, PeriodRow & { s: Set<number> }>();
  let first = "";
  let last = "";
  for (const r of rows) {
    const p = periodOf(r.reviewedAt, bucket);
    let row = map.get(p);
    if (!row) map.set(p, (row = { ...empty(), period: p, sittings: 0, cues: CUE_LEVELS.map(() => 0), s: new Set() }));
    add(row, r);
    const level = cueLevelOf(r);
    if (level !== null) row.cues[level]!++;
    if (r.sessionId !== null) row.s.add(r.sessionId);
    if (!first || p < first) first = p;
    if (!last || p > last) last = p;
  }
  const step = bucket === "day" ? 1 : 7;
  const out: PeriodRow[] = [];
  for (let p = first; p <= last; p = new Date(Date.parse(`${p}T00:00:00Z`) + step * 86_400_000).toISOString().slice(0, 10)) {
    const row = map.get(p);
    out.push(
      row
        ? { period: p, total: row.total, correct: row.correct, cued: row.cued, notYet: row.notYet, sittings: row.s.size, cues: row.cues }
        : { ...empty(), period: p, sittings: 0, cues: CUE_LEVELS.map(() => 0) },
    );
  }
  return out;
}

export type Summary = Tally & { sittings: number; firstAt: Date | null; lastAt: Date | null; words: number };

/** Totals for a learner over the chosen range. */
export function summarize(rows: readonly ReviewRow[]): Summary {
  const t = tally(rows);
  const sittings = new Set(rows.map((r) => r.sessionId).filter((s) => s !== null)).size;
  let firstAt: Date | null = null;
  let lastAt: Date | null = null;
  for (const r of rows) {
    if (!firstAt || r.reviewedAt < firstAt) firstAt = r.reviewedAt;
    if (!lastAt || r.reviewedAt > lastAt) lastAt = r.reviewedAt;
  }
  return { ...t, sittings, firstAt, lastAt, words: new Set(rows.map((r) => r.pinId)).size };
}
