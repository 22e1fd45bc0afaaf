import {
  type CalendarDate,
  CalendarDateTime,
  fromAbsolute,
  getDayOfWeek,
  parseDate,
  toCalendarDate,
  toZoned,
} from "@internationalized/date";

/**
 * A workshop's weekly series: every `weekday` from the first such day on or after `startsOn`, up to
 * `endsOn` (inclusive) if set, at `startTime` wall-clock time in `timeZone`. Wall-clock time stays the
 * same across daylight-saving changes; the UTC instant moves with the zone's offset.
 */
export type Series = {
  weekday: number;
  startTime: string;
  durationMinutes: number;
  timeZone: string;
  startsOn: string;
  endsOn: string | null;
};

export type Meeting = { date: string; start: Date; end: Date };

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: CalendarDate): number {
  return getDayOfWeek(date, "en", "mon") + 1;
}

/** The first meeting date on or after startsOn. */
export function firstDate(s: Pick<Series, "weekday" | "startsOn">): CalendarDate {
  const start = parseDate(s.startsOn);
  return start.add({ days: (s.weekday - isoWeekday(start) + 7) % 7 });
}

function within(s: Series, d: CalendarDate) {
  return !s.endsOn || d.compare(parseDate(s.endsOn)) <= 0;
}

/** Start and end instants of the meeting on a local date. */
export function meetingOn(s: Series, date: string): Meeting {
  const d = parseDate(date);
  const [h, m] = s.startTime.split(":").map(Number) as [number, number];
  const start = toZoned(new CalendarDateTime(d.year, d.month, d.day, h, m), s.timeZone, "compatible");
  return { date: d.toString(), start: start.toDate(), end: start.add({ minutes: s.durationMinutes }).toDate() };
}

/** Is this date one of the series' meeting dates? */
export function isSeriesDate(s: Series, date: string): boolean {
  let d: CalendarDate;
  try {
    d = parseDate(date);
  } catch {
    return false;
  }
  if (d.toString() !== date) return false;
  return isoWeekday(d) === s.weekday && d.compare(firstDate(s)) >= 0 && within(s, d);
}

/** Today's date in the series' zone. */
export function localToday(timeZone: string, now = new Date()): CalendarDate {
  return toCalendarDate(fromAbsolute(now.getTime(), timeZone));
}

/** Meetings that have not ended yet at `now`, at most `limit`. */
export function upcomingMeetings(s: Series, limit: number, now = new Date()): Meeting[] {
  const out: Meeting[] = [];
  let d = firstDate(s);
  const today = localToday(s.timeZone, now);
  if (d.compare(today) < 0) d = d.add({ weeks: Math.floor(today.compare(d) / 7) });
  for (let i = 0; out.length < limit && i < limit + 2 && within(s, d); i++, d = d.add({ weeks: 1 })) {
    const m = meetingOn(s, d.toString());
    if (m.end.getTime() > now.getTime()) out.push(m);
  }
  return out;
}

/** Recent meetings that already ended (newest first), at most `limit`. */
export function pastMeetings(s: Series, limit: number, now = new Date()): Meeting[] {
  const out: Meeting[] = [];
  const first = firstDate(s);
  let d = localToday(s.timeZone, now);
  d = d.subtract({ days: (isoWeekday(d) - s.weekday + 7) % 7 });
  if (s.endsOn && d.compare(parseDate(s.endsOn)) > 0) {
    const end = parseDate(s.endsOn);
    d = end.subtract({ days: (isoWeekday(end) - s.weekday + 7) % 7 });
  }
  for (; out.length < limit && d.compare(first) >= 0; d = d.subtract({ weeks: 1 })) {
    const m = meetingOn(s, d.toString());
    if (m.end.getTime() <= now.getTime()) out.push(m);
  }
  return out;
}

/** All dates of the series between two dates (inclusive); for tests and short ranges. */
export function datesBetween(s: Series, from: string, to: string): string[] {
  const out: string[] = [];
  let d = firstDate(s);
  const a = parseDate(from);
  const b = parseDate(to);
  for (; d.compare(b) <= 0 && within(s, d); d = d.add({ weeks: 1 })) if (d.compare(a) >= 0) out.push(d.toString());
  return out;
}

/** Does the series have at least one meeting at all? (A last date before the first weekday: none.) */
export function hasMeetings(s: Pick<Series, "weekday" | "startsOn" | "endsOn">): boolean {
  return !s.endsOn || firstDate(s).compare(parseDate(s.endsOn)) <= 0;
}

/** The UTC offset of a zone at an instant, in minutes (Madrid in winter: 60). */
export function offsetMinutes(timeZone: string, at: Date): number {
  const z = fromAbsolute(at.getTime(), timeZone);
  return z.offset / 60_000;
}
