import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import { createEvents, type DateArray, type EventAttributes } from "ics";
import { boardPins, boards, practiceSessions, reviews, PRACTICE_MODES, type Locale, type PracticeMode, type User } from "../../db/tables";
import { i18nFor, type Lng } from "~/i18n";
import { withKey } from "~/lib/share-link";
import { boardListedFor } from "./access/visibility.server";
import type { Db } from "./db.server";
import { memberAgenda } from "./workshop-sessions.server";

/**
 * Reminders a person can act on (issue 14): how many cards are due today per board and mode (home
 * page), and the homework due dates as an .ics calendar, as the workshop calendar is offered
 * (workshop-calendar.server.ts), so a phone's calendar reminds them.
 */

export type DueBoard = { boardId: number; title: string; lang: Locale; mode: PracticeMode; due: number };

/**
 * "Due today" for the home page: per board the learner practises and per mode, how many cards are due
 * now. Only boards with a sitting of theirs, and only boards listed to them (an unlisted board reached
 * through a link is not named here, as on the Practice page).
 */
export async function dueToday(db: Db, learnerId: number, now: Date): Promise<DueBoard[]> {
  const rows = await db
    .select({
      boardId: boards.id,
      title: boards.title,
      lang: boards.lang,
      visibility: boards.visibility,
      ownerId: boards.ownerId,
      mode: reviews.mode,
      due: sql<number>`count(*)`.mapWith(Number),
    })
    .from(reviews)
    .innerJoin(boardPins, eq(boardPins.pinId, reviews.pinId))
    .innerJoin(boards, eq(boards.id, boardPins.boardId))
    .where(
      and(
        eq(reviews.learnerId, learnerId),
        lte(reviews.due, now),
        inArray(
          boards.id,
          db.select({ id: practiceSessions.boardId }).from(practiceSessions).where(eq(practiceSessions.learnerId, learnerId)),
        ),
      ),
    )
    .groupBy(boards.id, boards.title, boards.lang, boards.visibility, boards.ownerId, reviews.mode)
    .orderBy(asc(boards.title), asc(reviews.mode));
  return rows
    .filter((r) => boardListedFor(r, { id: learnerId }))
    .map(({ visibility: _v, ownerId: _o, ...r }) => r)
    .sort((a, b) => a.title.localeCompare(b.title) || PRACTICE_MODES.indexOf(a.mode) - PRACTICE_MODES.indexOf(b.mode));
}

const dateArray = (iso: string): DateArray => iso.split("-").map(Number) as DateArray;
const nextDay = (iso: string) => new Date(Date.parse(`${iso}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * The person's homework as all-day events on their due dates (what memberAgenda lists: not more than a
 * week past due), each linking to the board's practice page; in the person's language.
 */
export async function homeworkIcs(db: Db, user: Pick<User, "id">, origin: string, lng: Lng, now = new Date()): Promise<string> {
  const t = i18nFor(lng).getFixedT(lng);
  const { homework } = await memberAgenda(db, user.id, now);
  const events: EventAttributes[] = homework.map((h) => ({
    uid: `homework-${h.id}-${user.id}@tablero`,
    productId: "tablero/homework",
    calName: t("caseload:due.calendarName"),
    start: dateArray(h.dueOn),
    end: dateArray(nextDay(h.dueOn)),
    title: t("caseload:due.event", { board: h.boardTitle }),
    description: t("caseload:due.eventDescription", { workshop: h.workshopTitle }),
    url: `${origin}${withKey(`/boards/${h.boardId}/practice`, h.shareKey)}`,
    created: now.getTime(),
  }));
  if (!events.length) {
    // ics writes nothing for no events: an empty calendar is still a valid file to subscribe to.
    return [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:tablero/homework",
      `X-WR-CALNAME:${t("caseload:due.calendarName")}`,
      "END:VCALENDAR",
      "",
    ].join("\r\n");
  }
  const { error, value } = createEvents(events);
  if (error || !value) throw error ?? new Error("calendar export failed");
  return value;
}
