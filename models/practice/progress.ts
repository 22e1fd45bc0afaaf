import { STATE, type StateValue } from "./schedule";

/**
 * Progress over time from the rating history. A card counts as learned from the first rating after
 * which it was in the Review state (FSRS: it graduated from learning). The state after a rating is the
 * state before the card's next rating, or its current state for its last rating, so no replay is needed.
 * Periods are UTC days or ISO weeks (starting Monday), oldest first, with empty periods filled in.
 */
export type LogRow = { pinId: number; sessionId: number | null; stateBefore: number; reviewedAt: Date };
export type Bucket = "day" | "week";
export type ProgressPoint = { period: string; learned: number; sessions: number; ratings: number };

const DAY = 86_400_000;

export function periodOf(d: Date, bucket: Bucket): string {
  const day = Math.floor(d.getTime() / DAY) * DAY;
  if (bucket === "day") return new Date(day).toISOString().slice(0, 10);
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0
  return new Date(day - weekday * DAY).toISOString().slice(0, 10);
}

function nextPeriod(p: string, bucket: Bucket): string {
  return new Date(Date.parse(`${p}T00:00:00Z`) + (bucket === "day" ? DAY : 7 * DAY)).toISOString().slice(0, 10);
}

/** When each card was first learned (the rating after which it reached Review), by pin. */
export function learnedAt(logs: readonly LogRow[], currentState: ReadonlyMap<number, StateValue | number>): Map<number, Date> {
  const byPin = new Map<number, LogRow[]>();
  for (const l of logs) byPin.set(l.pinId, [...(byPin.get(l.pinId) ?? []), l]);
  const out = new Map<number, Date>();
  for (const [pinId, rows] of byPin) {
    rows.sort((a, b) => a.reviewedAt.getTime() - b.reviewedAt.getTime());
    for (let i = 0; i < rows.length; i++) {
      const after = i + 1 < rows.length ? rows[i + 1]!.stateBefore : currentState.get(pinId);
      if (after === STATE.Review) {
        out.set(pinId, rows[i]!.reviewedAt);
        break;
      }
    }
  }
  return out;
}

/** One point per period from the first rating (or `maxPeriods` back) to `now`. */
export function progressSeries(
  logs: readonly LogRow[],
  currentState: ReadonlyMap<number, StateValue | number>,
  now: Date,
  bucket: Bucket,
  maxPeriods = bucket === "day" ? 60 : 52,
): ProgressPoint[] {
  if (!logs.length) return [];
  const learned = [...learnedAt(logs, currentState).values()].map((d) => periodOf(d, bucket)).sort();
  const ratings = new Map<string, number>();
  const sessions = new Map<string, Set<number>>();
  let first = periodOf(now, bucket);
  for (const l of logs) {
    const p = periodOf(l.reviewedAt, bucket);
    if (p < first) first = p;
    ratings.set(p, (ratings.get(p) ?? 0) + 1);
    if (l.sessionId !== null) sessions.set(p, (sessions.get(p) ?? new Set()).add(l.sessionId));
  }
  const last = periodOf(now, bucket);
  const periods: string[] = [];
  for (let p = first; p <= last; p = nextPeriod(p, bucket)) periods.push(p);
  const shown = periods.slice(-maxPeriods);
  let i = 0;
  return shown.map((period) => {
    while (i < learned.length && learned[i]! <= period) i++;
    return { period, learned: i, sessions: sessions.get(period)?.size ?? 0, ratings: ratings.get(period) ?? 0 };
  });
}
