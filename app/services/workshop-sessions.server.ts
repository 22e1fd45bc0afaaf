import { and, asc, eq, gte, inArray, or, sql } from "drizzle-orm";
import {
  assignmentMembers,
  assignments,
  attendance,
  boardPins,
  boards,
  pins,
  sessionBoards,
  users,
  workshopMembers,
  workshopSessions,
  workshops,
  type User,
} from "../../db/schema";
import type { AssignmentInput } from "~/lib/workshop-forms";
import type { FieldErrors } from "~/lib/forms";
import { summaryColumns } from "./boards.server";
import {
  boardListedCondition,
  boardListedFor,
  boardOpenThroughWorkshop,
  boardOpenThroughWorkshopCondition,
  workshopShareKey,
  workshopShareKeyColumn,
} from "./access/visibility.server";
import type { Db } from "./db.server";
import { writtenRow } from "./verified-write.server";
import { notFound } from "./http.server";
import { isSeriesDate, localToday, meetingOn, upcomingMeetings, type Meeting } from "./workshop-schedule.server";
import { membersOf, requireTherapist, requireWorkshopAccess, type Workshop } from "./workshops.server";

const E = (key: string) => `workshops:errors.${key}`;

/** The workshop if this viewer may see it and the date is one of its meetings; else 404. */
function requireMeeting(db: Db, workshopId: number, date: string, user: Pick<User, "id"> | null) {
  const access = requireWorkshopAccess(db, workshopId, user);
  if (!isSeriesDate(access.workshop, date)) notFound();
  return access;
}

function findSession(db: Db, workshopId: number, date: string) {
  return db
    .select()
    .from(workshopSessions)
    .where(and(eq(workshopSessions.workshopId, workshopId), eq(workshopSessions.date, date)))
    .get();
}

/** The session row for a meeting, made the first time the therapist plans it. */
function ensureSession(db: Db, workshopId: number, date: string) {
  db.insert(workshopSessions).values({ workshopId, date }).onConflictDoNothing().run();
  return findSession(db, workshopId, date)!;
}

/**
 * A meeting's boards that this viewer may open (access/visibility.server.ts: the therapist's unlisted
 * boards are shared with the members, with their key in `shareKey`; the token itself is not returned).
 */
function attachedBoards(db: Db, sessionId: number | undefined, viewer: Pick<User, "id"> | null, therapistId: number) {
  if (!sessionId) return [];
  return db
    .select({ ...summaryColumns, position: sessionBoards.position, shareToken: boards.shareToken })
    .from(sessionBoards)
    .innerJoin(boards, eq(boards.id, sessionBoards.boardId))
    .innerJoin(users, eq(users.id, boards.ownerId))
    .where(eq(sessionBoards.sessionId, sessionId))
    .orderBy(asc(sessionBoards.position))
    .all()
    .filter((b) => boardOpenThroughWorkshop(b, viewer, therapistId))
    .map(({ shareToken, ...b }) => ({ ...b, shareKey: workshopShareKey({ ...b, shareToken }, therapistId) }));
}

/** The planning page: boards for everyone in the workshop; notes, attendance and board search for the therapist only. */
export function sessionPlan(db: Db, workshopId: number, date: string, user: User | null, query = "") {
  const { workshop, role } = requireMeeting(db, workshopId, date, user);
  const session = findSession(db, workshopId, date);
  const attached = attachedBoards(db, session?.id, user, workshop.therapistId);
  const meeting = meetingOn(workshop, date);
  if (role !== "therapist") return { workshop, role, meeting, boards: attached, therapist: null };
  const members = membersOf(db, workshopId);
  const present = new Map(
    session
      ? db
          .select()
          .from(attendance)
          .where(eq(attendance.sessionId, session.id))
          .all()
          .map((a) => [a.userId, a.present] as const)
      : [],
  );
  const attachedIds = new Set(attached.map((b) => b.id));
  const q = query.trim().slice(0, 100);
  const candidates = db
    .select({
      id: boards.id,
      title: boards.title,
      lang: boards.lang,
      visibility: boards.visibility,
      ownerId: boards.ownerId,
      ownerName: users.displayName,
    })
    .from(boards)
    .innerJoin(users, eq(users.id, boards.ownerId))
    .where(
      q
        ? and(boardListedCondition(user), sql`${boards.title} like ${`%${q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`} escape '\\'`)
        : eq(boards.ownerId, user!.id),
    )
    .orderBy(sql`${boards.ownerId} <> ${user!.id}`, asc(boards.title))
    .limit(q ? 20 : 100)
    .all()
    .filter((b) => !attachedIds.has(b.id));
  return {
    workshop,
    role,
    meeting,
    boards: attached,
    therapist: {
      notes: session?.notes ?? "",
      notesVersion: session?.notesVersion ?? 0,
      attendance: members.map((m) => ({ ...m, present: present.get(m.userId) ?? false })),
      recorded: present.size > 0,
      query: q,
      candidates,
    },
  };
}

/** Adds a board (the therapist's own or a public one) to a session; attaching twice does nothing. */
export function attachBoard(db: Db, workshopId: number, date: string, user: User, boardId: number): void {
  requireTherapist(db, workshopId, user);
  requireMeeting(db, workshopId, date, user);
  const board = db.select().from(boards).where(eq(boards.id, boardId)).get();
  if (!board || !boardListedFor(board, user)) notFound();
  db.transaction((tx) => {
    const session = ensureSession(tx as unknown as Db, workshopId, date);
    const max =
      tx
        .select({ m: sql<number | null>`max(position)` })
        .from(sessionBoards)
        .where(eq(sessionBoards.sessionId, session.id))
        .get()?.m ?? -1;
    tx.insert(sessionBoards)
      .values({ sessionId: session.id, boardId, position: max + 1 })
      .onConflictDoNothing()
      .run();
  });
}

export function detachBoard(db: Db, workshopId: number, date: string, user: User, boardId: number): void {
  requireTherapist(db, workshopId, user);
  const session = findSession(db, workshopId, date);
  if (!session) return;
  db.delete(sessionBoards)
    .where(and(eq(sessionBoards.sessionId, session.id), eq(sessionBoards.boardId, boardId)))
    .run();
}

/** Swaps a board with its neighbour above or below. */
export function moveBoard(db: Db, workshopId: number, date: string, user: User, boardId: number, dir: "up" | "down"): void {
  requireTherapist(db, workshopId, user);
  const session = findSession(db, workshopId, date);
  if (!session) notFound();
  db.transaction((tx) => {
    const rows = tx.select().from(sessionBoards).where(eq(sessionBoards.sessionId, session.id)).orderBy(asc(sessionBoards.position)).all();
    const i = rows.findIndex((r) => r.boardId === boardId);
    const j = dir === "up" ? i - 1 : i + 1;
    if (i < 0 || j < 0 || j >= rows.length) return;
    const order = rows.map((r) => r.boardId);
    [order[i], order[j]] = [order[j]!, order[i]!];
    order.forEach((id, position) =>
      tx
        .update(sessionBoards)
        .set({ position })
        .where(and(eq(sessionBoards.sessionId, session.id), eq(sessionBoards.boardId, id)))
        .run(),
    );
  });
}

/** Records who came: every current member gets a row (present or not). */
export function saveAttendance(db: Db, workshopId: number, date: string, user: User, presentIds: number[]): void {
  requireTherapist(db, workshopId, user);
  requireMeeting(db, workshopId, date, user);
  const here = new Set(presentIds);
  db.transaction((tx) => {
    const session = ensureSession(tx as unknown as Db, workshopId, date);
    for (const m of membersOf(tx as unknown as Db, workshopId)) {
      tx.insert(attendance)
        .values({ sessionId: session.id, userId: m.userId, present: here.has(m.userId) })
        .onConflictDoUpdate({ target: [attendance.sessionId, attendance.userId], set: { present: here.has(m.userId) } })
        .run();
    }
  });
}

export type NotesResult = { ok: true; version: number } | { ok: false; current: string; version: number };

/**
 * Saves notes only if nobody saved since this editor loaded them (optimistic lock on notes_version);
 * otherwise nothing is overwritten and the caller gets the text that is saved now.
 */
export function saveNotes(db: Db, workshopId: number, date: string, user: User, notes: string, expectedVersion: number): NotesResult {
  requireTherapist(db, workshopId, user);
  requireMeeting(db, workshopId, date, user);
  return db.transaction((tx) => {
    const session = ensureSession(tx as unknown as Db, workshopId, date);
    const r = tx
      .update(workshopSessions)
      .set({ notes, notesVersion: expectedVersion + 1 })
      .where(and(eq(workshopSessions.id, session.id), eq(workshopSessions.notesVersion, expectedVersion)))
      .run();
    if (r.changes === 1) return { ok: true as const, version: expectedVersion + 1 };
    const now = tx.select().from(workshopSessions).where(eq(workshopSessions.id, session.id)).get()!;
    return { ok: false as const, current: now.notes, version: now.notesVersion };
  });
}

export type PresentCard = { id: number; title: string; cue: string; lang: string; alt: string; imageKey: string; boardTitle: string };

/** The cards of a session's boards, in board order then card order, each card once. */
export function presentation(db: Db, workshopId: number, date: string, user: User | null) {
  const { workshop, role } = requireMeeting(db, workshopId, date, user);
  const session = findSession(db, workshopId, date);
  const list = attachedBoards(db, session?.id, user, workshop.therapistId);
  const seen = new Set<number>();
  const cards: PresentCard[] = [];
  for (const b of list) {
    const rows = db
      .select({ id: pins.id, title: pins.title, cue: pins.cue, lang: pins.lang, alt: pins.alt, imageKey: pins.imageKey })
      .from(boardPins)
      .innerJoin(pins, eq(pins.id, boardPins.pinId))
      .where(eq(boardPins.boardId, b.id))
      .orderBy(asc(boardPins.position))
      .all();
    for (const c of rows) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      cards.push({ ...c, boardTitle: b.title });
    }
  }
  return { workshop, role, meeting: meetingOn(workshop, date), cards };
}

// ── Homework ──────────────────────────────────────────────────────────────────────────────────

export type AssignResult = { ok: true; id: number } | { ok: false; errors: FieldErrors };

/** Gives one of the therapist's boards as homework, due on or after today in the workshop's zone. */
export function createAssignment(db: Db, workshopId: number, user: User, input: AssignmentInput, now = new Date()): AssignResult {
  const workshop = requireTherapist(db, workshopId, user);
  if (input.dueOn < localToday(workshop.timeZone, now).toString()) return { ok: false, errors: { dueOn: E("duePast") } };
  const board = db.select().from(boards).where(eq(boards.id, input.boardId)).get();
  if (!board || board.ownerId !== user.id) return { ok: false, errors: { boardId: E("choice") } };
  if (board.visibility === "private") return { ok: false, errors: { boardId: E("boardPrivate") } };
  const memberIds = new Set(membersOf(db, workshopId).map((m) => m.userId));
  const chosen = [...new Set(input.memberIds)].filter((id) => memberIds.has(id));
  if (input.audience === "some" && !chosen.length) return { ok: false, errors: { memberIds: E("pickMembers") } };
  const id = db.transaction((tx) => {
    const a = writtenRow(
      tx
        .insert(assignments)
        .values({ workshopId, boardId: board.id, dueOn: input.dueOn, allMembers: input.audience === "all" })
        .returning(),
    );
    if (input.audience === "some") for (const userId of chosen) tx.insert(assignmentMembers).values({ assignmentId: a.id, userId }).run();
    return a.id;
  });
  return { ok: true, id };
}

export function deleteAssignment(db: Db, workshopId: number, user: User, assignmentId: number): void {
  requireTherapist(db, workshopId, user);
  db.delete(assignments)
    .where(and(eq(assignments.id, assignmentId), eq(assignments.workshopId, workshopId)))
    .run();
}

export type Homework = {
  id: number;
  workshopId: number;
  workshopTitle: string;
  boardId: number;
  boardTitle: string;
  boardLang: string;
  shareKey: string | null;
  dueOn: string;
  allMembers: boolean;
  memberNames: string[];
};

/** A workshop's homework: all of it for the therapist, only one's own for a member. */
export function workshopHomework(db: Db, workshopId: number, user: User | null): Homework[] {
  const { role } = requireWorkshopAccess(db, workshopId, user);
  const rows = homeworkQuery(db, role === "therapist" ? null : user!.id, workshopId);
  if (role !== "therapist") return rows;
  for (const r of rows) {
    if (r.allMembers) continue;
    r.memberNames = db
      .select({ name: users.displayName })
      .from(assignmentMembers)
      .innerJoin(users, eq(users.id, assignmentMembers.userId))
      .where(eq(assignmentMembers.assignmentId, r.id))
      .all()
      .map((x) => x.name);
  }
  return rows;
}

function homeworkQuery(db: Db, forUser: number | null, workshopId?: number, fromDate?: string): Homework[] {
  const conds = [];
  if (workshopId) conds.push(eq(assignments.workshopId, workshopId));
  if (fromDate) conds.push(gte(assignments.dueOn, fromDate));
  if (forUser !== null) {
    conds.push(sql`exists (select 1 from workshop_member m where m.workshop_id = ${assignments.workshopId} and m.user_id = ${forUser})`);
    conds.push(
      sql`(${assignments.allMembers} = 1 or exists (select 1 from assignment_member am where am.assignment_id = ${assignments.id} and am.user_id = ${forUser}))`,
    );
    // A board made private since it was assigned is no longer shown to members (its link would 404).
    conds.push(boardOpenThroughWorkshopCondition(forUser));
  }
  return db
    .select({
      id: assignments.id,
      workshopId: assignments.workshopId,
      workshopTitle: workshops.title,
      boardId: boards.id,
      boardTitle: boards.title,
      boardLang: boards.lang,
      /** For the links: the key of the therapist's unlisted board, which homework shares with the members. */
      shareKey: workshopShareKeyColumn(),
      dueOn: assignments.dueOn,
      allMembers: assignments.allMembers,
    })
    .from(assignments)
    .innerJoin(workshops, eq(workshops.id, assignments.workshopId))
    .innerJoin(boards, eq(boards.id, assignments.boardId))
    .where(and(...conds))
    .orderBy(asc(assignments.dueOn), asc(assignments.id))
    .all()
    .map((r) => ({ ...r, memberNames: [] as string[] }));
}

export type AgendaSession = Meeting & {
  workshopId: number;
  workshopTitle: string;
  workshopLang: string;
  timeZone: string;
  role: "therapist" | "member";
  place: string;
  videoUrl: string;
};
export type Agenda = { sessions: AgendaSession[]; homework: Homework[] };

/**
 * A person's agenda for the home page and /workshops: the next meetings of every workshop they run or
 * are in, and their homework that is not yet past due (a week of grace for late work).
 */
export function memberAgenda(db: Db, userId: number, now = new Date(), limit = 6): Agenda {
  const rows = db
    .select({ workshop: workshops })
    .from(workshops)
    .where(
      or(
        eq(workshops.therapistId, userId),
        inArray(
          workshops.id,
          db.select({ id: workshopMembers.workshopId }).from(workshopMembers).where(eq(workshopMembers.userId, userId)),
        ),
      ),
    )
    .all();
  const sessions: AgendaSession[] = rows
    .flatMap(({ workshop: w }: { workshop: Workshop }) =>
      upcomingMeetings(w, 3, now).map((m) => ({
        ...m,
        workshopId: w.id,
        workshopTitle: w.title,
        workshopLang: w.lang,
        timeZone: w.timeZone,
        role: w.therapistId === userId ? ("therapist" as const) : ("member" as const),
        place: w.place,
        videoUrl: w.videoUrl,
      })),
    )
    .sort((a, b) => a.start.getTime() - b.start.getTime())
    .slice(0, limit);
  const weekAgo = new Date(now.getTime() - 7 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  return { sessions, homework: homeworkQuery(db, userId, undefined, weekAgo) };
}

export { upcomingMeetings };
