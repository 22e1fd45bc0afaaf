import { createHash, randomBytes } from "node:crypto";
import { and, asc, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { boards, users, workshopInvites, workshopMembers, workshops, type MemberRole, type User } from "../../db/tables";
import type { WorkshopInput } from "~/lib/workshop-forms";
import type { FieldErrors } from "~/lib/forms";
import type { Db } from "./db.server";
import { writtenRow } from "./verified-write.server";
import { forbidden, notFound } from "./http.server";
import { changed } from "./data/raw.server";
import { transaction } from "./data/transaction.server";
import { hasMeetings, pastMeetings, upcomingMeetings, type Meeting } from "./workshop-schedule.server";

/**
 * Workshops: weekly groups run by a speech therapist. Everything about a workshop (its page, members,
 * sessions, notes, attendance) is visible only to its therapist and members; to anyone else it does
 * not exist (404). Changes are the therapist's alone (403 for members).
 */
export type Workshop = typeof workshops.$inferSelect;
export type ViewerRole = "therapist" | MemberRole;
export type Access = { workshop: Workshop; role: ViewerRole };

export const INVITE_DAYS = 7;
const E = (key: string) => `workshops:errors.${key}`;
const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** The workshop and how this person relates to it; a stranger (or nobody) gets a 404. */
export async function requireWorkshopAccess(db: Db, workshopId: number, user: Pick<User, "id"> | null): Promise<Access> {
  const [workshop] = await db.select().from(workshops).where(eq(workshops.id, workshopId)).limit(1);
  if (!workshop || !user) notFound();
  if (workshop.therapistId === user.id) return { workshop, role: "therapist" };
  const [member] = await db
    .select({ role: workshopMembers.role })
    .from(workshopMembers)
    .where(and(eq(workshopMembers.workshopId, workshopId), eq(workshopMembers.userId, user.id)))
    .limit(1);
  if (!member) notFound();
  return { workshop, role: member.role };
}

/** Only the therapist may change a workshop: strangers 404, members 403. */
export async function requireTherapist(db: Db, workshopId: number, user: Pick<User, "id"> | null): Promise<Workshop> {
  const access = await requireWorkshopAccess(db, workshopId, user);
  if (access.role !== "therapist") forbidden();
  return access.workshop;
}

export async function memberCount(db: Db, workshopId: number): Promise<number> {
  // Number(): PostgreSQL's count(*) is a bigint, which its driver hands back as text.
  const [row] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(workshopMembers)
    .where(eq(workshopMembers.workshopId, workshopId))
    .limit(1);
  return row?.n ?? 0;
}

function values(input: WorkshopInput) {
  return { ...input, endsOn: input.endsOn || null };
}

export type SaveResult = { ok: true; workshop: Workshop } | { ok: false; errors: FieldErrors };

function seriesErrors(input: WorkshopInput): FieldErrors | null {
  if (!hasMeetings({ weekday: input.weekday, startsOn: input.startsOn, endsOn: input.endsOn || null })) return { endsOn: E("noMeetings") };
  return null;
}

export async function createWorkshop(db: Db, user: Pick<User, "id">, input: WorkshopInput): Promise<SaveResult> {
  const errors = seriesErrors(input);
  if (errors) return { ok: false, errors };
  return {
    ok: true,
    workshop: await writtenRow(
      db
        .insert(workshops)
        .values({ ...values(input), therapistId: user.id })
        .returning(),
    ),
  };
}

export async function updateWorkshop(db: Db, workshopId: number, user: Pick<User, "id">, input: WorkshopInput): Promise<SaveResult> {
  await requireTherapist(db, workshopId, user);
  const errors = seriesErrors(input);
  if (errors) return { ok: false, errors };
  const count = await memberCount(db, workshopId);
  if (input.capacity < count) return { ok: false, errors: { capacity: E("capacityBelowMembers") } };
  return { ok: true, workshop: await writtenRow(db.update(workshops).set(values(input)).where(eq(workshops.id, workshopId)).returning()) };
}

export async function deleteWorkshop(db: Db, workshopId: number, user: Pick<User, "id">): Promise<void> {
  await requireTherapist(db, workshopId, user);
  await db.delete(workshops).where(eq(workshops.id, workshopId));
}

export type WorkshopListItem = Workshop & { role: ViewerRole; memberCount: number; therapistName: string; next: Meeting | null };

/** Workshops I run and workshops I am in, each with its next meeting. */
export async function workshopsFor(db: Db, userId: number, now = new Date()): Promise<WorkshopListItem[]> {
  const count = sql<number>`(select count(*) from workshop_member m where m.workshop_id = "workshop"."id")`.mapWith(Number);
  const rows = await db
    .select({ workshop: workshops, therapistName: users.displayName, memberCount: count, role: workshopMembers.role })
    .from(workshops)
    .innerJoin(users, eq(users.id, workshops.therapistId))
    .leftJoin(workshopMembers, and(eq(workshopMembers.workshopId, workshops.id), eq(workshopMembers.userId, userId)))
    .where(sql`${workshops.therapistId} = ${userId} or ${workshopMembers.userId} is not null`)
    .orderBy(asc(workshops.title), asc(workshops.id));
  return rows.map((r) => ({
    ...r.workshop,
    role: r.workshop.therapistId === userId ? "therapist" : (r.role ?? "participant"),
    memberCount: r.memberCount,
    therapistName: r.therapistName,
    next: upcomingMeetings(r.workshop, 1, now)[0] ?? null,
  }));
}

export type Member = { userId: number; displayName: string; role: MemberRole; joinedAt: Date };

export async function membersOf(db: Db, workshopId: number): Promise<Member[]> {
  return await db
    .select({
      userId: workshopMembers.userId,
      displayName: users.displayName,
      role: workshopMembers.role,
      joinedAt: workshopMembers.joinedAt,
    })
    .from(workshopMembers)
    .innerJoin(users, eq(users.id, workshopMembers.userId))
    .where(eq(workshopMembers.workshopId, workshopId))
    .orderBy(asc(users.displayName), asc(users.id));
}

/** Everything the workshop page shows this viewer. */
export async function workshopPage(db: Db, workshopId: number, user: User | null, now = new Date()) {
  const { workshop, role } = await requireWorkshopAccess(db, workshopId, user);
  const [therapist] = await db.select({ displayName: users.displayName }).from(users).where(eq(users.id, workshop.therapistId)).limit(1);
  const isTherapist = role === "therapist";
  const invites = isTherapist
    ? await db
        .select({ id: workshopInvites.id, role: workshopInvites.role, expiresAt: workshopInvites.expiresAt })
        .from(workshopInvites)
        .where(and(eq(workshopInvites.workshopId, workshopId), isNull(workshopInvites.usedAt), gt(workshopInvites.expiresAt, now)))
        .orderBy(desc(workshopInvites.createdAt))
    : [];
  const myBoards = isTherapist
    ? await db
        .select({ id: boards.id, title: boards.title, lang: boards.lang, visibility: boards.visibility })
        .from(boards)
        .where(eq(boards.ownerId, workshop.therapistId))
        .orderBy(asc(boards.title))
    : [];
  return {
    workshop,
    role,
    therapistName: therapist?.displayName ?? "",
    members: await membersOf(db, workshopId),
    upcoming: upcomingMeetings(workshop, 6, now),
    past: isTherapist ? pastMeetings(workshop, 4, now) : [],
    invites,
    myBoards,
  };
}

// ── Invitations ───────────────────────────────────────────────────────────────────────────────

/** A new single-use link for a role; only its hash is stored, so the link is shown once. */
export async function createInvite(db: Db, workshopId: number, user: Pick<User, "id">, role: MemberRole, now = new Date()) {
  await requireTherapist(db, workshopId, user);
  const token = randomBytes(24).toString("base64url");
  const expiresAt = new Date(now.getTime() + INVITE_DAYS * 24 * 3600 * 1000);
  await db.insert(workshopInvites).values({ workshopId, tokenHash: hashToken(token), role, expiresAt });
  return { token, expiresAt, role };
}

export async function revokeInvite(db: Db, workshopId: number, user: Pick<User, "id">, inviteId: number): Promise<void> {
  await requireTherapist(db, workshopId, user);
  await db.delete(workshopInvites).where(and(eq(workshopInvites.id, inviteId), eq(workshopInvites.workshopId, workshopId)));
}

export type InviteProblem = "invalid" | "expired" | "used" | "full" | "member" | "own";
export type InviteView =
  | { ok: true; workshopId: number; title: string; lang: Workshop["lang"]; role: MemberRole; therapistName: string; expiresAt: Date }
  | { ok: false; problem: InviteProblem; workshopId?: number };

/**
 * What an invitation link shows. An unknown, expired or used link tells nothing about the workshop;
 * a valid one shows its title so the person knows what they join.
 */
export async function inviteView(db: Db, token: string, user: Pick<User, "id"> | null, now = new Date()): Promise<InviteView> {
  if (!token || token.length > 100) return { ok: false, problem: "invalid" };
  const [row] = await db
    .select({ invite: workshopInvites, workshop: workshops, therapistName: users.displayName })
    .from(workshopInvites)
    .innerJoin(workshops, eq(workshops.id, workshopInvites.workshopId))
    .innerJoin(users, eq(users.id, workshops.therapistId))
    .where(eq(workshopInvites.tokenHash, hashToken(token)))
    .limit(1);
  if (!row) return { ok: false, problem: "invalid" };
  const { invite, workshop } = row;
  const isMember =
    !!user &&
    (
      await db
        .select({ u: workshopMembers.userId })
        .from(workshopMembers)
        .where(and(eq(workshopMembers.workshopId, workshop.id), eq(workshopMembers.userId, user.id)))
        .limit(1)
    ).length > 0;
  // Someone who is in already is told so (and sent to the workshop), whatever the state of the link.
  if (isMember) return { ok: false, problem: "member", workshopId: workshop.id };
  if (invite.usedAt) return { ok: false, problem: "used" };
  if (invite.expiresAt.getTime() <= now.getTime()) return { ok: false, problem: "expired" };
  if (user && workshop.therapistId === user.id) return { ok: false, problem: "own", workshopId: workshop.id };
  if ((await memberCount(db, workshop.id)) >= workshop.capacity) return { ok: false, problem: "full" };
  return {
    ok: true,
    workshopId: workshop.id,
    title: workshop.title,
    lang: workshop.lang,
    role: invite.role,
    therapistName: row.therapistName,
    expiresAt: invite.expiresAt,
  };
}

/** Joins with a link: checked and used up in one transaction, so two people cannot both use it. */
export async function joinWithInvite(
  db: Db,
  token: string,
  user: Pick<User, "id">,
  now = new Date(),
): Promise<{ ok: true; workshopId: number } | { ok: false; problem: InviteProblem; workshopId?: number }> {
  return transaction(db, async (tx) => {
    const view = await inviteView(tx, token, user, now);
    if (!view.ok) return view;
    const used = await tx
      .update(workshopInvites)
      .set({ usedAt: now, usedBy: user.id })
      .where(and(eq(workshopInvites.tokenHash, hashToken(token)), isNull(workshopInvites.usedAt)));
    if (changed(used) !== 1) return { ok: false as const, problem: "used" as const };
    await tx.insert(workshopMembers).values({ workshopId: view.workshopId, userId: user.id, role: view.role });
    return { ok: true as const, workshopId: view.workshopId };
  });
}

export async function removeMember(db: Db, workshopId: number, user: Pick<User, "id">, memberId: number): Promise<void> {
  await requireTherapist(db, workshopId, user);
  await db.delete(workshopMembers).where(and(eq(workshopMembers.workshopId, workshopId), eq(workshopMembers.userId, memberId)));
}

/** A member leaves; the therapist cannot leave their own workshop (they delete it instead). */
export async function leaveWorkshop(db: Db, workshopId: number, user: Pick<User, "id">): Promise<void> {
  const { role } = await requireWorkshopAccess(db, workshopId, user);
  if (role === "therapist") forbidden();
  await db.delete(workshopMembers).where(and(eq(workshopMembers.workshopId, workshopId), eq(workshopMembers.userId, user.id)));
}
