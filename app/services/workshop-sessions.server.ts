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
} from "../../db/tables";
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
import { changed } from "./data/raw.server";
import { dialectOf } from "./data/dialect.server";
import { transaction } from "./data/transaction.server";
import { isSeriesDate, localToday, meetingOn, upcomingMeetings, type Meeting } from "./workshop-schedule.server";
import { membersOf, requireTherapist, requireWorkshopAccess, type Workshop } from "./workshops.server";

const E = (key: string) => `workshops:errors.${key}`;

/** The workshop if this viewer may see it and the date is one of its meetings; else 404. */
async function requireMeeting(db: Db, workshopId: number, date: string, user: Pick<User, "id"> | null) {
  const access = await requireWorkshopAccess(db, workshopId, user);
  if (!isSeriesDate(access.workshop, date)) notFound();
  return access;
}

async function findSession(db: Db, workshopId: number, date: string) {
  const [session] = await db
    .select()
    .from(workshopSessions)
    .where(and(eq(workshopSessions.workshopId, workshopId), eq(workshopSessions.date, date)))
    .limit(1);
  return session;
}

/** The session row for a meeting, made the first time the therapist plans it. */
async function ensureSession(db: Db, workshopId: number, date: string) {
  await db.insert(workshopSessions).values({ workshopId, date }).onConflictDoNothing();
  return (await findSession(db, workshopId, date))!;
}

/**
 * A meeting's boards that this viewer may open (access/visibility.server.ts: the therapist's unlisted
 * boards are shared with the members, with their key in `shareKey`; the token itself is not returned).
 */
async function attachedBoards(db: Db, sessionId: number | undefined, viewer: Pick<User, "id"> | null, therapistId: number) {
  if (!sessionId) return [];
  return (
    await db
      .select({ ...summaryColumns, position: sessionBoards.position, shareToken: boards.shareToken })
      .from(sessionBoards)
      .innerJoin(boards, eq(boards.id, sessionBoards.boardId))
      .innerJoin(users, eq(users.id, boards.ownerId))
      .where(eq(sessionBoards.sessionId, sessionId))
      .orderBy(asc(sessionBoards.position))
  )
    .filter((b) => boardOpenThroughWorkshop(b, viewer, therapistId))
    .map(({ shareToken, ...b }) => ({ ...b, shareKey: workshopShareKey({ ...b, shareToken }, therapistId) }));
}

/** The planning page: boards for everyone in the workshop; notes, attendance and board search for the therapist only. */
export async function sessionPlan(db: Db, workshopId: number, date: string, user: User | null, query = "") {
  const { workshop, role } = await requireMeeting(db, workshopId, date, user);
  const session = await findSession(db, workshopId, date);
  const attached = await attachedBoards(db, session?.id, user, workshop.therapistId);
  const meeting = meetingOn(workshop, date);
  if (role !== "therapist") return { workshop, role, meeting, boards: attached, therapist: null };
  const members = await membersOf(db, workshopId);
  const present = new Map(
    session
      ? (await db.select().from(attendance).where(eq(attendance.sessionId, session.id))).map((a) => [a.userId, a.present] as const)
      : [],
  );
  const attachedIds = new Set(attached.map((b) => b.id));
  const q = query.trim().slice(0, 100);
  const candidates = (
    await db
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
        // PostgreSQL's LIKE is case-sensitive (SQLite's is not, for ASCII): ILIKE there matches the same boards.
        q
          ? and(
              boardListedCondition(user),
              sql`${boards.title} ${sql.raw(dialectOf(db) === "pg" ? "ilike" : "like")} ${`%${q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`} escape '\\'`,
            )
          : eq(boards.ownerId, user!.id),
      )
      .orderBy(sql`${boards.ownerId} <> ${user!.id}`, asc(boards.title))
      .limit(q ? 20 : 100)
  ).filter((b) => !attachedIds.has(b.id));
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
export async function attachBoard(db: Db, workshopId: number, date: string, user: User, boardId: number): Promise<void> {
  await requireTherapist(db, workshopId, user);
  await requireMeeting(db, workshopId, date, user);
  const [board] = await db.select().from(boards).where(eq(boards.id, boardId)).limit(1);
  if (!board || !boardListedFor(board, user)) notFound();
  await transaction(db, async (tx) => {
    const session = await ensureSession(tx, workshopId, date);
    const [top] = await tx
      .select({ m: sql<number | null>`max(position)`.mapWith(Number) })
      .from(sessionBoards)
      .where(eq(sessionBoards.sessionId, session.id))
      .limit(1);
    const max = top?.m ?? -1;
    await tx
      .insert(sessionBoards)
      .values({ sessionId: session.id, boardId, position: max + 1 })
      .onConflictDoNothing();
  });
}

export async function detachBoard(db: Db, workshopId: number, date: string, user: User, boardId: number): Promise<void> {
  await requireTherapist(db, workshopId, user);
  const session = await findSession(db, workshopId, date);
  if (!session) return;
  await db.delete(sessionBoards).where(and(eq(sessionBoards.sessionId, session.id), eq(sessionBoards.boardId, boardId)));
}

/** Swaps a board with its neighbour above or below. */
export async function moveBoard(db: Db, workshopId: number, date: string, user: User, boardId: number, dir: "up" | "down"): Promise<void> {
  await requireTherapist(db, workshopId, user);
  const session = await findSession(db, workshopId, date);
  if (!session) notFound();
  await transaction(db, async (tx) => {
    const rows = await tx.select().from(sessionBoards).where(eq(sessionBoards.sessionId, session.id)).orderBy(asc(sessionBoards.position));
    const i = rows.findIndex((r) => r.boardId === boardId);
    const j = dir === "up" ? i - 1 : i + 1;
    if (i < 0 || j < 0 || j >= rows.length) return;
    const order = rows.map((r) => r.boardId);
    [order[i], order[j]] = [order[j]!, order[i]!];
    for (const [position, id] of order.entries())
      await tx
        .update(sessionBoards)
        .set({ position })
        .where(and(eq(sessionBoards.sessionId, session.id), eq(sessionBoards.boardId, id)));
  });
}

/** Records who came: every current member gets a row (present or not). */
export async function saveAttendance(db: Db, workshopId: number, date: string, user: User, presentIds: number[]): Promise<void> {
  await requireTherapist(db, workshopId, user);
  await requireMeeting(db, workshopId, date, user);
  const here = new Set(presentIds);
  await transaction(db, async (tx) => {
    const session = await ensureSession(tx, workshopId, date);
    for (const m of await membersOf(tx, workshopId)) {
      await tx
        .insert(attendance)
        .values({ sessionId: session.id, userId: m.userId, present: here.has(m.userId) })
        .onConflictDoUpdate({ target: [attendance.sessionId, attendance.userId], set: { present: here.has(m.userId) } });
    }
  });
}

export type NotesResult = { ok: true; version: number } | { ok: false; current: string; version: number };

/**
 * Saves notes only if nobody saved since this editor loaded them (optimistic lock on notes_version);
 * otherwise nothing is overwritten and the caller gets the text that is saved now.
 */
export async function saveNotes(
  db: Db,
  workshopId: number,
  date: string,
  user: User,
  notes: string,
  expectedVersion: number,
): Promise<NotesResult> {
  await requireTherapist(db, workshopId, user);
  await requireMeeting(db, workshopId, date, user);
  return transaction(db, async (tx): Promise<NotesResult> => {
    const session = await ensureSession(tx, workshopId, date);
    const r = await tx
      .update(workshopSessions)
      .set({ notes, notesVersion: expectedVersion + 1 })
      .where(and(eq(workshopSessions.id, session.id), eq(workshopSessions.notesVersion, expectedVersion)));
    if (changed(r) === 1) return { ok: true as const, version: expectedVersion + 1 };
    const [now] = await tx.select().from(workshopSessions).where(eq(workshopSessions.id, session.id)).limit(1);
    if (!now) throw new Error("The session row vanished inside its own transaction");
    return { ok: false as const, current: now.notes, version: now.notesVersion };
  });
}

/** `shareKey`: the key of the card's board for workshop links (an unlisted board), e.g. in its recordings' addresses. */
export type PresentCard = {
  id: number;
  title: string;
  cue: string;
  lang: string;
  alt: string;
  imageKey: string;
  boardTitle: string;
  shareKey: string | null;
};

/** The cards of a session's boards, in board order then card order, each card once. */
export async function presentation(db: Db, workshopId: number, date: string, user: User | null) {
  const { workshop, role } = await requireMeeting(db, workshopId, date, user);
  const session = await findSession(db, workshopId, date);
  const list = await attachedBoards(db, session?.id, user, workshop.therapistId);
  const seen = new Set<number>();
  const cards: PresentCard[] = [];
  for (const b of list) {
    const rows = await db
      .select({ id: pins.id, title: pins.title, cue: pins.cue, lang: pins.lang, alt: pins.alt, imageKey: pins.imageKey })
      .from(boardPins)
      .innerJoin(pins, eq(pins.id, boardPins.pinId))
      .where(eq(boardPins.boardId, b.id))
      .orderBy(asc(boardPins.position));
    for (const c of rows) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      cards.push({ ...c, boardTitle: b.title, shareKey: b.shareKey });
    }
  }
  return { workshop, role, meeting: meetingOn(workshop, date), cards };
}

// ── Homework ──────────────────────────────────────────────────────────────────────────────────

export type AssignResult = { ok: true; id: number } | { ok: false; errors: FieldErrors };

/** Gives one of the therapist's boards as homework, due on or after today in the workshop's zone. */
export async function createAssignment(
  db: Db,
  workshopId: number,
  user: User,
  input: AssignmentInput,
  now = new Date(),
): Promise<AssignResult> {
  const workshop = await requireTherapist(db, workshopId, user);
  if (input.dueOn < localToday(workshop.timeZone, now).toString()) return { ok: false, errors: { dueOn: E("duePast") } };
  const [board] = await db.select().from(boards).where(eq(boards.id, input.boardId)).limit(1);
  if (!board || board.ownerId !== user.id) return { ok: false, errors: { boardId: E("choice") } };
  if (board.visibility === "private") return { ok: false, errors: { boardId: E("boardPrivate") } };
  const memberIds = new Set((await membersOf(db, workshopId)).map((m) => m.userId));
  const chosen = [...new Set(input.memberIds)].filter((id) => memberIds.has(id));
  if (input.audience === "some" && !chosen.length) return { ok: false, errors: { memberIds: E("pickMembers") } };
  const id = await transaction(db, async (tx) => {
    const a = await writtenRow(
      tx
        .insert(assignments)
        .values({ workshopId, boardId: board.id, dueOn: input.dueOn, allMembers: input.audience === "all" })
        .returning(),
    );
    if (input.audience === "some") for (const userId of chosen) await tx.insert(assignmentMembers).values({ assignmentId: a.id, userId });
    return a.id;
  });
  return { ok: true, id };
}

export async function deleteAssignment(db: Db, workshopId: number, user: User, assignmentId: number): Promise<void> {
  await requireTherapist(db, workshopId, user);
  await db.delete(assignments).where(and(eq(assignments.id, assignmentId), eq(assignments.workshopId, workshopId)));
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
export async function workshopHomework(db: Db, workshopId: number, user: User | null): Promise<Homework[]> {
  const { role } = await requireWorkshopAccess(db, workshopId, user);
  const rows = await homeworkQuery(db, role === "therapist" ? null : user!.id, workshopId);
  if (role !== "therapist") return rows;
  for (const r of rows) {
    if (r.allMembers) continue;
    r.memberNames = (
      await db
        .select({ name: users.displayName })
        .from(assignmentMembers)
        .innerJoin(users, eq(users.id, assignmentMembers.userId))
        .where(eq(assignmentMembers.assignmentId, r.id))
    ).map((x) => x.name);
  }
  return rows;
}

async function homeworkQuery(db: Db, forUser: number | null, workshopId?: number, fromDate?: string): Promise<Homework[]> {
  const conds = [];
  if (workshopId) conds.push(eq(assignments.workshopId, workshopId));
  if (fromDate) conds.push(gte(assignments.dueOn, fromDate));
  if (forUser !== null) {
    conds.push(sql`exists (select 1 from workshop_member m where m.workshop_id = ${assignments.workshopId} and m.user_id = ${forUser})`);
    conds.push(
      // eq(…, true), not `= 1`: the column's mapper binds the boolean as each engine stores it.
      sql`(${eq(assignments.allMembers, true)} or exists (select 1 from assignment_member am where am.assignment_id = ${assignments.id} and am.user_id = ${forUser}))`,
    );
    // A board made private since it was assigned is no longer shown to members (its link would 404).
    conds.push(boardOpenThroughWorkshopCondition(forUser));
  }
  return (
    await db
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
  ).map((r) => ({ ...r, memberNames: [] as string[] }));
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
export async function memberAgenda(db: Db, userId: number, now = new Date(), limit = 6): Promise<Agenda> {
  const rows = await db
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
    );
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
  return { sessions, homework: await homeworkQuery(db, userId, undefined, weekAgo) };
}

export { upcomingMeetings };
