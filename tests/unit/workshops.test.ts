import { beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../db/client";
import { sql } from "drizzle-orm";
import type { User } from "../../db/tables";
import { rows } from "../../app/services/data/raw.server";
import { parseWorkshopForm, workshopSchema, type WorkshopInput } from "../../app/lib/workshop-forms";
import { createBoard, updateBoard } from "../../app/services/boards.server";
import {
  attachBoard,
  createAssignment,
  memberAgenda,
  presentation,
  saveAttendance,
  saveNotes,
  sessionPlan,
  workshopHomework,
} from "../../app/services/workshop-sessions.server";
import { workshopCalendar } from "../../app/services/workshop-calendar.server";
import { datesBetween, isSeriesDate, meetingOn, upcomingMeetings } from "../../app/services/workshop-schedule.server";
import {
  createInvite,
  createWorkshop,
  inviteView,
  joinWithInvite,
  leaveWorkshop,
  removeMember,
  requireWorkshopAccess,
  updateWorkshop,
  workshopPage,
  workshopsFor,
} from "../../app/services/workshops.server";
import { users } from "../../db/tables";
import { testDb } from "./helpers";

// Accounts made straight in the table: password hashing (scrypt) is not what these tests are about
// and costs seconds per account on a busy machine.
let seq = 0;
async function makeUser(db: Db, name: string): Promise<User> {
  const [user] = await db
    .insert(users)
    .values({ email: `w${++seq}@example.com`, passwordHash: "x", displayName: name, locale: "en" })
    .returning();
  return user!;
}

const base: WorkshopInput = {
  title: "Naming group",
  description: "Words for every day",
  lang: "es",
  weekday: 1, // Monday
  startTime: "10:00",
  durationMinutes: 60,
  timeZone: "Europe/Madrid",
  startsOn: "2026-01-05",
  endsOn: "",
  place: "Sala 2",
  videoUrl: "",
  capacity: 3,
};

/** What a thrown Response says: its status. */
async function statusOf(fn: () => unknown): Promise<number | "no throw"> {
  try {
    await fn();
    return "no throw";
  } catch (e) {
    if (e instanceof Response) return e.status;
    throw e;
  }
}

function form(values: Record<string, string | string[]>) {
  const f = new FormData();
  for (const [k, v] of Object.entries(values)) for (const x of ([] as string[]).concat(v)) f.append(k, x);
  return f;
}

let db: Db;
let therapist: User;
let member: User;
let stranger: User;
let workshopId: number;
const JAN = new Date("2026-01-02T12:00:00Z");

async function newWorkshop(input: Partial<WorkshopInput> = {}) {
  const r = await createWorkshop(db, therapist, { ...base, ...input });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.workshop.id;
}

async function join(user: User, id = workshopId, role: "participant" | "relative" = "participant") {
  const { token } = await createInvite(db, id, therapist, role, JAN);
  const r = await joinWithInvite(db, token, user, JAN);
  if (!r.ok) throw new Error(r.problem);
}

beforeEach(async () => {
  db = await testDb();
  therapist = await makeUser(db, "Tomás");
  member = await makeUser(db, "Carmen");
  stranger = await makeUser(db, "Stranger");
  workshopId = await newWorkshop();
  await join(member);
});

describe("form validation", () => {
  const good = {
    title: "A",
    lang: "en",
    weekday: "3",
    startTime: "18:30",
    durationMinutes: "45",
    timeZone: "America/New_York",
    startsOn: "2026-02-02",
    capacity: "5",
  };
  it("accepts a good workshop and turns numbers into numbers", async () => {
    const r = parseWorkshopForm(workshopSchema, form(good));
    expect(r.ok && r.data.weekday).toBe(3);
  });
  it("gives translated keys for bad time, zone, dates, capacity and URL", async () => {
    const r = parseWorkshopForm(
      workshopSchema,
      form({ ...good, startTime: "25:00", timeZone: "Mars/Olympus", endsOn: "2026-01-01", capacity: "0", videoUrl: "javascript:alert(1)" }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toMatchObject({
      startTime: "workshops:errors.time",
      timeZone: "workshops:errors.timeZone",
      capacity: "workshops:errors.capacity",
      videoUrl: "workshops:errors.url",
    });
    expect(r.values.startTime).toBe("25:00"); // what was typed comes back
    const end = parseWorkshopForm(workshopSchema, form({ ...good, endsOn: "2026-01-01" }));
    expect(!end.ok && end.errors.endsOn).toBe("workshops:errors.endBeforeStart");
    const feb30 = parseWorkshopForm(workshopSchema, form({ ...good, startsOn: "2026-02-30" }));
    expect(!feb30.ok && feb30.errors.startsOn).toBe("workshops:errors.date");
  });
  it("refuses a series with no meeting day, and capacity below the members on edit", async () => {
    const none = await createWorkshop(db, therapist, { ...base, startsOn: "2026-01-06", endsOn: "2026-01-10" }); // Tue–Sat, meets Mondays
    expect(!none.ok && none.errors.endsOn).toBe("workshops:errors.noMeetings");
    const other = { ...base, title: "Other" };
    await join(stranger);
    const r = await updateWorkshop(db, workshopId, therapist, { ...other, capacity: 1 });
    expect(!r.ok && r.errors.capacity).toBe("workshops:errors.capacityBelowMembers");
    expect((await updateWorkshop(db, workshopId, therapist, { ...other, capacity: 2 })).ok).toBe(true);
  });
});

describe("privacy and permissions", () => {
  it("a stranger gets 404 everywhere: the workshop does not exist for them", async () => {
    expect(await statusOf(() => workshopPage(db, workshopId, stranger))).toBe(404);
    expect(await statusOf(() => workshopPage(db, workshopId, null))).toBe(404);
    expect(await statusOf(() => sessionPlan(db, workshopId, "2026-01-05", stranger))).toBe(404);
    expect(await statusOf(() => workshopCalendar(db, workshopId, stranger, "http://x"))).toBe(404);
    expect(await statusOf(() => saveNotes(db, workshopId, "2026-01-05", stranger, "x", 0))).toBe(404);
    expect(await statusOf(() => workshopHomework(db, workshopId, stranger))).toBe(404);
    expect(await statusOf(() => workshopPage(db, 99999, therapist))).toBe(404);
    expect(await workshopsFor(db, stranger.id)).toEqual([]);
  });

  it("a member sees the workshop and members but no notes or attendance, and cannot change anything", async () => {
    await saveNotes(db, workshopId, "2026-01-05", therapist, "Carmen tired today", 0);
    await saveAttendance(db, workshopId, "2026-01-05", therapist, [member.id]);
    const page = await workshopPage(db, workshopId, member, JAN);
    expect(page.role).toBe("participant");
    expect(page.members.map((m) => m.displayName)).toEqual(["Carmen"]);
    expect(page.invites).toEqual([]);
    const plan = await sessionPlan(db, workshopId, "2026-01-05", member);
    expect(plan.therapist).toBeNull();
    expect(JSON.stringify(plan)).not.toContain("Carmen tired today");
    expect(await statusOf(() => saveNotes(db, workshopId, "2026-01-05", member, "mine", 1))).toBe(403);
    expect(await statusOf(() => saveAttendance(db, workshopId, "2026-01-05", member, [member.id]))).toBe(403);
    expect(await statusOf(() => createInvite(db, workshopId, member, "participant"))).toBe(403);
    expect(await statusOf(() => removeMember(db, workshopId, member, member.id))).toBe(403);
    const board = await createBoard(db, member.id, { title: "Mine", description: "", lang: "en", visibility: "public" });
    expect(await statusOf(() => attachBoard(db, workshopId, "2026-01-05", member, board.id))).toBe(403);
    // The therapist still sees the notes and attendance.
    const own = await sessionPlan(db, workshopId, "2026-01-05", therapist);
    expect(own.therapist?.notes).toBe("Carmen tired today");
    expect(own.therapist?.attendance.map((a) => [a.displayName, a.present])).toEqual([["Carmen", true]]);
  });

  it("a date that is not one of the series' meetings is a 404", async () => {
    expect(await statusOf(() => sessionPlan(db, workshopId, "2026-01-06", therapist))).toBe(404); // a Tuesday
    expect(await statusOf(() => sessionPlan(db, workshopId, "2025-12-29", therapist))).toBe(404); // before the first date
    expect(await statusOf(() => sessionPlan(db, workshopId, "2026-1-5", therapist))).toBe(404);
  });

  it("finds boards to attach by title whatever the case, and takes % and _ as letters", async () => {
    const board = (owner: User, title: string, visibility: "public" | "private") =>
      createBoard(db, owner.id, { title, description: "", lang: "en", visibility });
    await board(stranger, "Fruit Bowl", "public");
    await board(stranger, "Fruit secrets", "private");
    await board(therapist, "100% juice", "private");
    await board(therapist, "1000 juices", "private");
    await board(therapist, "snake_case", "private");
    await board(therapist, "snakes", "private");
    const found = async (q: string) =>
      (await sessionPlan(db, workshopId, "2026-01-05", therapist, q)).therapist!.candidates.map((b) => b.title).sort();
    expect(await found("fRUIT")).toEqual(["Fruit Bowl"]); // (someone else's private board is never offered)
    expect(await found("0%")).toEqual(["100% juice"]);
    expect(await found("e_c")).toEqual(["snake_case"]);
  });

  it("the therapist attaches only their own or public boards", async () => {
    const priv = await createBoard(db, stranger.id, { title: "Secret", description: "", lang: "en", visibility: "private" });
    const pub = await createBoard(db, stranger.id, { title: "Public fruit", description: "", lang: "en", visibility: "public" });
    expect(await statusOf(() => attachBoard(db, workshopId, "2026-01-05", therapist, priv.id))).toBe(404);
    await attachBoard(db, workshopId, "2026-01-05", therapist, pub.id);
    expect((await sessionPlan(db, workshopId, "2026-01-05", member)).boards.map((b) => b.title)).toEqual(["Public fruit"]);
    // Its owner makes it private later: nobody in the workshop sees it any more, the therapist included.
    await updateBoard(db, pub.id, stranger, { title: "Public fruit", description: "", lang: "en", visibility: "private" });
    expect((await sessionPlan(db, workshopId, "2026-01-05", therapist)).boards).toEqual([]);
    expect((await presentation(db, workshopId, "2026-01-05", therapist)).cards).toEqual([]);
  });

  it("a member can leave; the therapist can remove a member", async () => {
    const { token } = await createInvite(db, workshopId, therapist, "participant", JAN);
    expect((await joinWithInvite(db, token, stranger, JAN)).ok).toBe(true);
    await leaveWorkshop(db, workshopId, stranger);
    expect(await inviteView(db, token, stranger, JAN)).toEqual({ ok: false, problem: "used" }); // the used link does not let them back in
    await leaveWorkshop(db, workshopId, member);
    expect(await statusOf(() => workshopPage(db, workshopId, member))).toBe(404);
    await join(member);
    await removeMember(db, workshopId, therapist, member.id);
    expect(await statusOf(() => requireWorkshopAccess(db, workshopId, member))).toBe(404);
    expect(await statusOf(() => leaveWorkshop(db, workshopId, therapist))).toBe(403);
  });
});

describe("invitations", () => {
  it("shows the title for a valid link, and expires after 7 days", async () => {
    const { token } = await createInvite(db, workshopId, therapist, "relative", JAN);
    const ok = await inviteView(db, token, stranger, JAN);
    expect(ok.ok && ok.title).toBe("Naming group");
    const later = new Date(JAN.getTime() + 7 * 24 * 3600 * 1000 + 1000);
    expect(await inviteView(db, token, stranger, later)).toEqual({ ok: false, problem: "expired" });
    expect(await joinWithInvite(db, token, stranger, later)).toEqual({ ok: false, problem: "expired" });
    expect(await inviteView(db, "nonsense", stranger, JAN)).toEqual({ ok: false, problem: "invalid" });
  });

  it("is single-use and stores only the hash of the token", async () => {
    const { token } = await createInvite(db, workshopId, therapist, "relative", JAN);
    expect(await joinWithInvite(db, token, stranger, JAN)).toEqual({ ok: true, workshopId });
    expect((await workshopPage(db, workshopId, stranger, JAN)).role).toBe("relative");
    const fourth = await makeUser(db, "Fourth");
    expect(await joinWithInvite(db, token, fourth, JAN)).toEqual({ ok: false, problem: "used" });
    const raw = await rows<{ token_hash: string }>(db, sql`select token_hash from workshop_invite`);
    expect(raw.some((r) => r.token_hash === token)).toBe(false);
  });

  it("refuses to join a full workshop", async () => {
    const small = await newWorkshop({ capacity: 1 });
    await join(member, small);
    const { token } = await createInvite(db, small, therapist, "participant", JAN);
    expect(await inviteView(db, token, stranger, JAN)).toEqual({ ok: false, problem: "full" });
    expect(await joinWithInvite(db, token, stranger, JAN)).toEqual({ ok: false, problem: "full" });
    expect((await workshopPage(db, small, therapist)).members).toHaveLength(1);
  });

  it("tells a member they are already in, without using up the link", async () => {
    const { token } = await createInvite(db, workshopId, therapist, "participant", JAN);
    expect(await joinWithInvite(db, token, member, JAN)).toEqual({ ok: false, problem: "member", workshopId });
    expect((await inviteView(db, token, stranger, JAN)).ok).toBe(true);
  });
});

describe("session notes", () => {
  it("a save with a stale version overwrites nothing and returns the saved text", async () => {
    const date = "2026-01-12";
    const v0 = (await sessionPlan(db, workshopId, date, therapist)).therapist!.notesVersion;
    expect(await saveNotes(db, workshopId, date, therapist, "First editor's notes", v0)).toEqual({ ok: true, version: v0 + 1 });
    // A second tab loaded the page at v0 too and saves later.
    expect(await saveNotes(db, workshopId, date, therapist, "Second editor's notes", v0)).toEqual({
      ok: false,
      current: "First editor's notes",
      version: v0 + 1,
    });
    expect((await sessionPlan(db, workshopId, date, therapist)).therapist!.notes).toBe("First editor's notes");
    // Saving again with the current version is a deliberate overwrite.
    expect((await saveNotes(db, workshopId, date, therapist, "Both", v0 + 1)).ok).toBe(true);
    expect((await sessionPlan(db, workshopId, date, therapist)).therapist!.notes).toBe("Both");
  });
});

describe("homework", () => {
  it("refuses a due date before today in the workshop's time zone", async () => {
    const board = await createBoard(db, therapist.id, { title: "Food", description: "", lang: "es", visibility: "public" });
    // 23:30 UTC on 10 March is already 11 March in Madrid.
    const now = new Date("2026-03-10T23:30:00Z");
    const past = await createAssignment(
      db,
      workshopId,
      therapist,
      { boardId: board.id, dueOn: "2026-03-10", audience: "all", memberIds: [] },
      now,
    );
    expect(past).toEqual({ ok: false, errors: { dueOn: "workshops:errors.duePast" } });
    expect(
      (await createAssignment(db, workshopId, therapist, { boardId: board.id, dueOn: "2026-03-11", audience: "all", memberIds: [] }, now))
        .ok,
    ).toBe(true);
    expect(
      await statusOf(() =>
        createAssignment(db, workshopId, member, { boardId: board.id, dueOn: "2026-03-20", audience: "all", memberIds: [] }, now),
      ),
    ).toBe(403);
  });

  it("goes to all members or only the chosen ones, and shows on their agenda", async () => {
    await join(stranger); // now a member too
    const board = await createBoard(db, therapist.id, { title: "Food", description: "", lang: "es", visibility: "public" });
    const other = await createBoard(db, therapist.id, { title: "Only Carmen", description: "", lang: "es", visibility: "unlisted" });
    const now = new Date("2026-03-02T09:00:00Z");
    await createAssignment(db, workshopId, therapist, { boardId: board.id, dueOn: "2026-03-09", audience: "all", memberIds: [] }, now);
    const some = await createAssignment(
      db,
      workshopId,
      therapist,
      { boardId: other.id, dueOn: "2026-03-09", audience: "some", memberIds: [member.id] },
      now,
    );
    expect(some.ok).toBe(true);
    expect((await memberAgenda(db, member.id, now)).homework.map((h) => h.boardTitle).sort()).toEqual(["Food", "Only Carmen"]);
    expect((await memberAgenda(db, stranger.id, now)).homework.map((h) => h.boardTitle)).toEqual(["Food"]);
    const sessions = (await memberAgenda(db, member.id, now)).sessions;
    expect(sessions[0]).toMatchObject({ date: "2026-03-02", workshopTitle: "Naming group", role: "member" });
    const none = await createAssignment(
      db,
      workshopId,
      therapist,
      { boardId: board.id, dueOn: "2026-03-09", audience: "some", memberIds: [] },
      now,
    );
    expect(!none.ok && none.errors.memberIds).toBe("workshops:errors.pickMembers");
  });
});

describe("series dates", () => {
  const madrid = { weekday: 1, startTime: "10:00", durationMinutes: 60, timeZone: "Europe/Madrid", startsOn: "2026-03-16", endsOn: null };
  it("keeps the local time across the spring DST change; the UTC hour moves", async () => {
    expect(datesBetween(madrid, "2026-03-01", "2026-04-10")).toEqual(["2026-03-16", "2026-03-23", "2026-03-30", "2026-04-06"]);
    // Europe/Madrid moves to summer time on 29 March 2026.
    expect(meetingOn(madrid, "2026-03-23").start.toISOString()).toBe("2026-03-23T09:00:00.000Z");
    expect(meetingOn(madrid, "2026-03-30").start.toISOString()).toBe("2026-03-30T08:00:00.000Z");
    const ny = { ...madrid, timeZone: "America/New_York", weekday: 7, startsOn: "2026-10-25", startTime: "18:30" };
    // New York goes back to standard time on 1 November 2026.
    expect(meetingOn(ny, "2026-10-25").start.toISOString()).toBe("2026-10-25T22:30:00.000Z");
    expect(meetingOn(ny, "2026-11-01").start.toISOString()).toBe("2026-11-01T23:30:00.000Z");
  });
  it("starts on the first weekday on or after the first date and stops at the last date", async () => {
    const s = { ...madrid, startsOn: "2026-03-18", endsOn: "2026-04-06" }; // a Wednesday
    expect(datesBetween(s, "2026-01-01", "2026-12-31")).toEqual(["2026-03-23", "2026-03-30", "2026-04-06"]);
    expect(isSeriesDate(s, "2026-03-16")).toBe(false);
    expect(isSeriesDate(s, "2026-04-13")).toBe(false);
    expect(isSeriesDate(s, "2026-03-30")).toBe(true);
    expect(upcomingMeetings(s, 10, new Date("2026-03-30T08:30:00Z")).map((m) => m.date)).toEqual(["2026-03-30", "2026-04-06"]); // still running
    expect(upcomingMeetings(s, 10, new Date("2026-03-30T09:00:00Z")).map((m) => m.date)).toEqual(["2026-04-06"]); // ended
  });
});

describe("calendar export", () => {
  /** The UTC instant of a local "YYYYMMDDTHHMMSS" at an offset like "+0100". */
  function utcOf(local: string, offset: string) {
    const m = local
      .match(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})/)!
      .slice(1)
      .map(Number) as [number, number, number, number, number];
    const minutes = (offset.startsWith("-") ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(3, 5)));
    return new Date(Date.UTC(m[0], m[1] - 1, m[2], m[3], m[4]) - minutes * 60_000).toISOString();
  }
  /** The offset a VTIMEZONE part (DAYLIGHT or STANDARD) switches to. */
  const partOffset = (ics: string, kind: string) =>
    ics.match(new RegExp(`BEGIN:${kind}[\\s\\S]*?TZOFFSETTO:([+-]\\d{4})[\\s\\S]*?END:${kind}`))![1]!;

  it("writes a weekly event anchored to the zone, whose start in UTC carries the zone's offset", async () => {
    const winter = await newWorkshop({ startsOn: "2026-01-05", endsOn: "2026-03-30", title: "Winter, group" });
    const ics = await workshopCalendar(db, winter, therapist, "https://tablero.example");
    expect(ics).toContain("BEGIN:VEVENT");
    const start = ics.match(/DTSTART;TZID=Europe\/Madrid:(\d{8}T\d{6})/)![1]!;
    expect(start).toBe("20260105T100000");
    // Madrid's rules: summer time from the last Sunday of March, winter time from the last Sunday of October.
    expect(ics).toMatch(
      /BEGIN:DAYLIGHT\r\nDTSTART:20250330T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nTZOFFSETFROM:\+0100\r\nTZOFFSETTO:\+0200/,
    );
    expect(ics).toMatch(/BEGIN:STANDARD\r\nDTSTART:20251026T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU/);
    // 10:00 in January is winter time: 09:00 UTC, the same instant the app shows.
    expect(utcOf(start, partOffset(ics, "STANDARD"))).toBe("2026-01-05T09:00:00.000Z");
    expect(utcOf(start, partOffset(ics, "STANDARD"))).toBe(meetingOn({ ...base, endsOn: null }, "2026-01-05").start.toISOString());
    // After the change in March the wall-clock time stays 10:00, now 08:00 UTC; the series ends after that last meeting.
    expect(utcOf("20260330T100000", partOffset(ics, "DAYLIGHT"))).toBe(
      meetingOn({ ...base, endsOn: null }, "2026-03-30").start.toISOString(),
    );
    expect(ics).toContain("RRULE:FREQ=WEEKLY;UNTIL=20260330T090000Z");
    expect(ics).toContain("SUMMARY:Winter\\, group");
    expect(ics).toContain("LOCATION:Sala 2");

    const ny = await newWorkshop({ startsOn: "2026-07-06", timeZone: "America/New_York", startTime: "18:30" });
    const s = await workshopCalendar(db, ny, therapist, "https://tablero.example");
    const nyStart = s.match(/DTSTART;TZID=America\/New_York:(\d{8}T\d{6})/)![1]!;
    expect(utcOf(nyStart, partOffset(s, "DAYLIGHT"))).toBe("2026-07-06T22:30:00.000Z");
    expect(s).toMatch(/BYMONTH=3;BYDAY=2SU/); // second Sunday of March
    expect(s).toMatch(/RRULE:FREQ=WEEKLY\r\n/); // no last date: no UNTIL
    expect(await workshopCalendar(db, workshopId, member, "https://x")).toContain("BEGIN:VCALENDAR"); // members may export
  });
});
