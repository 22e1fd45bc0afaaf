import { and, asc, eq, gte, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import {
  assignments,
  boardPins,
  boards,
  pins,
  reviewLogs,
  users,
  workshopMembers,
  workshops,
  PRACTICE_MODES,
  type PracticeMode,
  type User,
} from "../../db/tables";
import { byCueLevel, byPeriod, byWord, summarize, tally, type ReviewRow, type Summary, type Tally } from "../../models/caseload/aggregate";
import type { Bucket } from "../../models/practice/progress";
import { caseloadLearners, learnerOpenTo, type CaseloadLearner } from "./access/caseload.server";
import type { Db } from "./db.server";
import { requireTherapist } from "./workshops.server";

/**
 * The therapist's view of practice (issue 14): who practised, how much, how well, with how much help,
 * and whether the homework was done. Who may see whom is decided in access/caseload.server.ts only;
 * this module counts. The counting itself is pure (models/caseload), shared with the CSV and PDF.
 */

// ── Filters ───────────────────────────────────────────────────────────────────────────────────

export type Filters = { from: string; to: string; mode: PracticeMode | ""; by: Bucket };
/** The filters that hold after a bad value: none (everything is shown, and the error says why). */
export const NO_FILTERS: Filters = { from: "", to: "", mode: "", by: "week" };
/** `values`: what was asked, as typed, for the form; `filters`: what is applied (none after an error). */
export type FilterParse = {
  filters: Filters;
  values: Record<"from" | "to" | "mode" | "by", string>;
  errors: Record<string, string> | null;
};

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "caseload:errors.date")
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    "caseload:errors.date",
  );

/**
 * ?from=&to=&mode=&by= from the filter form. Dates are whole UTC days, both ends included; empty means
 * open-ended. On a bad value the page still shows everything (unfiltered) and says what was wrong,
 * keeping what the person typed in the form.
 */
export function parseFilters(params: URLSearchParams): FilterParse {
  const raw = {
    from: (params.get("from") ?? "").trim(),
    to: (params.get("to") ?? "").trim(),
    mode: params.get("mode") ?? "",
    by: params.get("by") === "day" ? ("day" as const) : ("week" as const),
  };
  const errors: Record<string, string> = {};
  for (const k of ["from", "to"] as const) if (raw[k] && !isoDate.safeParse(raw[k]).success) errors[k] = "caseload:errors.date";
  const mode: PracticeMode | "" = (PRACTICE_MODES as readonly string[]).includes(raw.mode) ? (raw.mode as PracticeMode) : "";
  if (raw.mode && !mode) errors.mode = "caseload:errors.mode";
  if (!errors.from && !errors.to && raw.from && raw.to && raw.from > raw.to) errors.to = "caseload:errors.range";
  if (Object.keys(errors).length) return { filters: { ...NO_FILTERS, by: raw.by }, values: raw, errors };
  return { filters: { from: raw.from, to: raw.to, mode, by: raw.by }, values: raw, errors: null };
}

/** The filters as a query string for links (downloads carry the same range as the page). */
export function filterQuery(f: Filters): string {
  const p = new URLSearchParams();
  if (f.from) p.set("from", f.from);
  if (f.to) p.set("to", f.to);
  if (f.mode) p.set("mode", f.mode);
  if (f.by !== "week") p.set("by", f.by);
  const s = p.toString();
  return s ? `?${s}` : "";
}

const DAY = 86_400_000;

function rangeConditions(f: Filters): SQL[] {
  const conds: SQL[] = [];
  if (f.from) conds.push(gte(reviewLogs.reviewedAt, new Date(`${f.from}T00:00:00Z`)));
  if (f.to) conds.push(lt(reviewLogs.reviewedAt, new Date(Date.parse(`${f.to}T00:00:00Z`) + DAY)));
  if (f.mode) conds.push(eq(reviewLogs.mode, f.mode));
  return conds;
}

// ── Review rows ───────────────────────────────────────────────────────────────────────────────

/** Every review of these learners in the filters, oldest first. Callers have checked access. */
export async function reviewRows(db: Db, learnerIds: number[], f: Filters): Promise<ReviewRow[]> {
  if (!learnerIds.length) return [];
  const rows = await db
    .select({
      reviewedAt: reviewLogs.reviewedAt,
      learnerId: reviewLogs.learnerId,
      learnerName: users.displayName,
      pinId: reviewLogs.pinId,
      word: pins.title,
      mode: reviewLogs.mode,
      outcome: reviewLogs.outcome,
      cueLevel: reviewLogs.cueLevel,
      rating: reviewLogs.rating,
      sessionId: reviewLogs.sessionId,
    })
    .from(reviewLogs)
    .innerJoin(pins, eq(pins.id, reviewLogs.pinId))
    .innerJoin(users, eq(users.id, reviewLogs.learnerId))
    .where(and(inArray(reviewLogs.learnerId, learnerIds), ...rangeConditions(f)))
    .orderBy(asc(reviewLogs.reviewedAt), asc(reviewLogs.id));
  return rows;
}

// ── Homework ──────────────────────────────────────────────────────────────────────────────────

export type HomeworkStatus = "done" | "started" | "notStarted";
export type HomeworkItem = {
  assignmentId: number;
  workshopId: number;
  workshopTitle: string;
  boardId: number;
  boardTitle: string;
  dueOn: string;
  cards: number;
  /** Distinct cards of the board practised since the homework was given (any mode). */
  practised: number;
  status: HomeworkStatus;
  results: Tally;
};

export function homeworkStatus(cards: number, practised: number): HomeworkStatus {
  if (cards > 0 && practised >= cards) return "done";
  return practised > 0 ? "started" : "notStarted";
}

/** The assignments given to this learner, in these workshops (all theirs when `workshopIds` is null). */
async function assignmentsFor(db: Db, learnerId: number, workshopIds: number[] | null) {
  if (workshopIds && !workshopIds.length) return [];
  const conds: SQL[] = [
    sql`exists (select 1 from workshop_member m where m.workshop_id = ${assignments.workshopId} and m.user_id = ${learnerId})`,
    // eq(…, true), not `= 1`: the column's mapper binds the boolean as each engine stores it.
    or(
      eq(assignments.allMembers, true),
      sql`exists (select 1 from assignment_member am where am.assignment_id = ${assignments.id} and am.user_id = ${learnerId})`,
    )!,
  ];
  if (workshopIds) conds.push(inArray(assignments.workshopId, workshopIds));
  return db
    .select({
      assignmentId: assignments.id,
      workshopId: workshops.id,
      workshopTitle: workshops.title,
      boardId: boards.id,
      boardTitle: boards.title,
      dueOn: assignments.dueOn,
      createdAt: assignments.createdAt,
    })
    .from(assignments)
    .innerJoin(workshops, eq(workshops.id, assignments.workshopId))
    .innerJoin(boards, eq(boards.id, assignments.boardId))
    .where(and(...conds))
    .orderBy(asc(assignments.dueOn), asc(assignments.id));
}

/** How far one learner got with one assignment: cards of the board practised since it was given. */
async function progressOn(db: Db, learnerId: number, a: { boardId: number; createdAt: Date }) {
  const [count] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(boardPins)
    .where(eq(boardPins.boardId, a.boardId))
    .limit(1);
  const logs = await db
    .select({ pinId: reviewLogs.pinId, outcome: reviewLogs.outcome, rating: reviewLogs.rating })
    .from(reviewLogs)
    .innerJoin(boardPins, and(eq(boardPins.pinId, reviewLogs.pinId), eq(boardPins.boardId, a.boardId)))
    .where(and(eq(reviewLogs.learnerId, learnerId), gte(reviewLogs.reviewedAt, a.createdAt)));
  const cards = count?.n ?? 0;
  const practised = new Set(logs.map((l) => l.pinId)).size;
  return { cards, practised, status: homeworkStatus(cards, practised), results: tally(logs) };
}

/** A learner's homework and how it went; a therapist sees only their own workshops' homework. */
export async function homeworkOf(db: Db, learnerId: number, workshopIds: number[] | null): Promise<HomeworkItem[]> {
  const out: HomeworkItem[] = [];
  for (const { createdAt, ...a } of await assignmentsFor(db, learnerId, workshopIds))
    out.push({ ...a, ...(await progressOn(db, learnerId, { boardId: a.boardId, createdAt })) });
  return out;
}

export type MemberCompletion = {
  userId: number;
  displayName: string;
  items: { assignmentId: number; cards: number; practised: number; status: HomeworkStatus }[];
};

/**
 * The workshop page's homework table (therapist only): for every participant, every assignment given
 * to them and how far they got. An assignment not given to someone has no item for them.
 */
export async function workshopCompletion(db: Db, workshopId: number, user: Pick<User, "id">): Promise<MemberCompletion[]> {
  await requireTherapist(db, workshopId, user);
  const members = await db
    .select({ userId: users.id, displayName: users.displayName })
    .from(workshopMembers)
    .innerJoin(users, eq(users.id, workshopMembers.userId))
    .where(and(eq(workshopMembers.workshopId, workshopId), eq(workshopMembers.role, "participant")))
    .orderBy(asc(users.displayName), asc(users.id));
  const out: MemberCompletion[] = [];
  for (const m of members) {
    const items = (await homeworkOf(db, m.userId, [workshopId])).map((h) => ({
      assignmentId: h.assignmentId,
      cards: h.cards,
      practised: h.practised,
      status: h.status,
    }));
    out.push({ ...m, items });
  }
  return out;
}

// ── The caseload and one learner's report ────────────────────────────────────────────────────

export type CaseloadRow = CaseloadLearner & { summary: Summary; homework: { done: number; total: number } };

/** The caseload page: every learner this viewer may follow, with their numbers in the filters. */
export async function caseloadOverview(db: Db, viewer: Pick<User, "id">, f: Filters): Promise<CaseloadRow[]> {
  const learners = await caseloadLearners(db, viewer);
  const rows = await reviewRows(
    db,
    learners.map((l) => l.id),
    f,
  );
  const out: CaseloadRow[] = [];
  for (const l of learners) {
    const homework = await homeworkOf(
      db,
      l.id,
      l.workshops.map((w) => w.id),
    );
    out.push({
      ...l,
      summary: summarize(rows.filter((r) => r.learnerId === l.id)),
      homework: { done: homework.filter((h) => h.status === "done").length, total: homework.length },
    });
  }
  return out;
}

export type LearnerReport = Awaited<ReturnType<typeof learnerReport>>;

/** One learner's record in the filters, for the report page and the PDF; 404 unless access/caseload allows. */
export async function learnerReport(db: Db, viewer: Pick<User, "id" | "displayName">, learnerId: number, f: Filters, locale = "en") {
  const learner = await learnerOpenTo(db, viewer, learnerId);
  const rows = await reviewRows(db, [learner.id], f);
  // The learner sees all their homework; anyone else only that of the workshops they run.
  const own = learner.self
    ? null
    : (await db.select({ id: workshops.id }).from(workshops).where(eq(workshops.therapistId, viewer.id))).map((w) => w.id);
  return {
    learner,
    summary: summarize(rows),
    words: byWord(rows, locale),
    cues: byCueLevel(rows),
    periods: byPeriod(rows, f.by),
    homework: await homeworkOf(db, learner.id, own),
  };
}

/** The review rows a CSV download may carry: one learner (if allowed) or the viewer's whole caseload. */
export async function exportRows(
  db: Db,
  viewer: Pick<User, "id" | "displayName">,
  learnerId: number | null,
  f: Filters,
): Promise<ReviewRow[]> {
  if (learnerId !== null) return reviewRows(db, [(await learnerOpenTo(db, viewer, learnerId)).id], f);
  return reviewRows(
    db,
    (await caseloadLearners(db, viewer)).map((l) => l.id),
    f,
  );
}
