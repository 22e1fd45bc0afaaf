import { fromAbsolute } from "@internationalized/date";
import { createEvent } from "ics";
import type { User } from "../../db/tables";
import type { Db } from "./db.server";
import { notFound } from "./http.server";
import { firstDate, meetingOn } from "./workshop-schedule.server";
import { requireWorkshopAccess, type Workshop } from "./workshops.server";

/**
 * The series as one weekly recurring event (.ics). The ics package writes times in UTC or floating
 * local time only, and a weekly rule on a UTC start would drift by an hour at every daylight-saving
 * change. So the event is written by the package and its DTSTART is then anchored to the workshop's
 * zone (DTSTART;TZID=Europe/Madrid:…) with a VTIMEZONE that describes that zone's offsets and changes;
 * UNTIL (when there is a last date) is in UTC, as RFC 5545 requires with a TZID start.
 */
export async function workshopCalendar(db: Db, workshopId: number, user: User | null, origin: string, now = new Date()): Promise<string> {
  const { workshop: w } = await requireWorkshopAccess(db, workshopId, user);
  return seriesIcs(w, origin, now);
}

const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, "0");
/** "20260105T100000": wall-clock time, no zone letter. */
const localStamp = (y: number, mo: number, d: number, h: number, mi: number) => `${y}${pad(mo)}${pad(d)}T${pad(h)}${pad(mi)}00`;
/** "20260330T220000Z" */
const utcStamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
/** "+0100" */
const offsetText = (minutes: number) =>
  `${minutes < 0 ? "-" : "+"}${pad(Math.floor(Math.abs(minutes) / 60))}${pad(Math.abs(minutes) % 60)}`;
const DAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];

const offsetAt = (zone: string, ms: number) => fromAbsolute(ms, zone).offset / 60_000;

/** The zone's offset changes during one year, found by scanning days and bisecting to the minute. */
function transitions(zone: string, year: number) {
  const out: { at: number; from: number; to: number }[] = [];
  const DAY = 86_400_000;
  let t = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  let prev = offsetAt(zone, t);
  for (; t < end; t += DAY) {
    const next = offsetAt(zone, t + DAY);
    if (next === prev) continue;
    let lo = t;
    let hi = t + DAY;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (offsetAt(zone, mid) === prev) lo = mid;
      else hi = mid;
    }
    out.push({ at: hi, from: prev, to: next });
    prev = next;
  }
  return out;
}

/**
 * A VTIMEZONE for the zone, with yearly rules for its daylight-saving changes (e.g. "last Sunday of
 * March") taken from the year before the first meeting, so the rules are in force from its first day;
 * a zone without changes gets one STANDARD part.
 */
export function vtimezone(zone: string, year: number): string {
  const lines = ["BEGIN:VTIMEZONE", `TZID:${zone}`];
  const changes = transitions(zone, year);
  if (!changes.length) {
    const off = offsetText(offsetAt(zone, Date.UTC(year, 0, 1)));
    lines.push("BEGIN:STANDARD", "DTSTART:19700101T000000", `TZOFFSETFROM:${off}`, `TZOFFSETTO:${off}`, "END:STANDARD");
  }
  for (const c of changes) {
    // The change as a wall-clock time in the offset that was in force before it.
    const local = new Date(c.at + c.from * 60_000);
    const y = local.getUTCFullYear();
    const mo = local.getUTCMonth() + 1;
    const d = local.getUTCDate();
    const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
    const nth = d + 7 > daysInMonth ? -1 : Math.ceil(d / 7);
    const kind = c.to > c.from ? "DAYLIGHT" : "STANDARD";
    lines.push(
      `BEGIN:${kind}`,
      `DTSTART:${localStamp(y, mo, d, local.getUTCHours(), local.getUTCMinutes())}`,
      `RRULE:FREQ=YEARLY;BYMONTH=${mo};BYDAY=${nth}${DAYS[local.getUTCDay()]}`,
      `TZOFFSETFROM:${offsetText(c.from)}`,
      `TZOFFSETTO:${offsetText(c.to)}`,
      `END:${kind}`,
    );
  }
  lines.push("END:VTIMEZONE");
  return lines.join("\r\n") + "\r\n";
}

export function seriesIcs(w: Workshop, origin: string, now = new Date()): string {
  const first = firstDate(w);
  if (w.endsOn && first.toString() > w.endsOn) notFound();
  const [h, mi] = w.startTime.split(":").map(Number) as [number, number];
  const rule = ["FREQ=WEEKLY"];
  // The last meeting's end, in UTC: inclusive of that meeting however the zone shifts.
  if (w.endsOn) rule.push(`UNTIL=${utcStamp(meetingOn(w, w.endsOn).end)}`);
  const url = `${origin}/workshops/${w.id}`;
  // Written as if UTC, then re-anchored to the zone below (the package knows no TZID).
  const wallClock = Date.UTC(first.year, first.month - 1, first.day, h, mi);
  const { error, value } = createEvent({
    uid: `workshop-${w.id}@tablero`,
    productId: "tablero/workshops",
    start: wallClock,
    startInputType: "utc",
    startOutputType: "utc",
    duration: { minutes: w.durationMinutes },
    recurrenceRule: rule.join(";"),
    title: w.title,
    description: [w.description, w.videoUrl].filter(Boolean).join("\n\n") || undefined,
    location: w.place || w.videoUrl || undefined,
    url: w.videoUrl || url,
    created: now.getTime(),
  });
  if (error || !value) throw error ?? new Error("calendar export failed");
  const start = localStamp(first.year, first.month, first.day, h, mi);
  if (!value.includes(`DTSTART:${start}Z`)) throw new Error("unexpected DTSTART from ics");
  return value
    .replace(`DTSTART:${start}Z`, `DTSTART;TZID=${w.timeZone}:${start}`)
    .replace("BEGIN:VEVENT", `${vtimezone(w.timeZone, first.year - 1).trimEnd()}\r\nBEGIN:VEVENT`);
}
