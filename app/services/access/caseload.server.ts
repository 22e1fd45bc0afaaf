/**
 * Who may see a learner's practice record (issue 14: the caseload, its CSV and PDF). The one rule,
 * used by every page and download that shows one:
 *
 * - the learner themselves, always;
 * - someone the learner granted practice access to (practice_grant), while that grant stands;
 * - the therapist of a workshop the learner is in as a participant, while they are a member.
 *
 * Revoking the grant or leaving the workshop ends it at once: nothing is cached or copied. Anyone else
 * gets a 404, so not even the learner's existence is told (as with practice itself).
 */
import { and, asc, eq } from "drizzle-orm";
import { practiceGrants, users, workshopMembers, workshops, type User } from "../../../db/tables";
import type { Db } from "../db.server";
import { notFound } from "../http.server";

export type CaseloadLearner = {
  id: number;
  displayName: string;
  /** The learner granted this viewer practice access. */
  granted: boolean;
  /** The viewer's workshops the learner takes part in. */
  workshops: { id: number; title: string }[];
};

/** Every learner this viewer may follow, by name, with how each came to be on the list. */
export async function caseloadLearners(db: Db, viewer: Pick<User, "id">): Promise<CaseloadLearner[]> {
  const byId = new Map<number, CaseloadLearner>();
  const granted = await db
    .select({ id: users.id, displayName: users.displayName })
    .from(practiceGrants)
    .innerJoin(users, eq(users.id, practiceGrants.learnerId))
    .where(eq(practiceGrants.granteeId, viewer.id));
  for (const g of granted) byId.set(g.id, { ...g, granted: true, workshops: [] });
  const members = await db
    .select({ id: users.id, displayName: users.displayName, workshopId: workshops.id, title: workshops.title })
    .from(workshopMembers)
    .innerJoin(workshops, eq(workshops.id, workshopMembers.workshopId))
    .innerJoin(users, eq(users.id, workshopMembers.userId))
    // Participants only: a relative in the group comes to support, and is nobody's patient.
    .where(and(eq(workshops.therapistId, viewer.id), eq(workshopMembers.role, "participant")))
    .orderBy(asc(workshops.title));
  for (const m of members) {
    if (m.id === viewer.id) continue;
    const l = byId.get(m.id) ?? { id: m.id, displayName: m.displayName, granted: false, workshops: [] };
    l.workshops.push({ id: m.workshopId, title: m.title });
    byId.set(m.id, l);
  }
  const collator = new Intl.Collator(undefined, { sensitivity: "base" });
  return [...byId.values()].sort((a, b) => collator.compare(a.displayName, b.displayName) || a.id - b.id);
}

/**
 * The learner whose record is asked for, if this viewer may see it (see above); otherwise a 404.
 * `self` tells the learner's own view (they may revoke; a therapist may not).
 */
export async function learnerOpenTo(
  db: Db,
  viewer: Pick<User, "id" | "displayName">,
  learnerId: number,
): Promise<{ id: number; displayName: string; self: boolean }> {
  if (!Number.isSafeInteger(learnerId) || learnerId <= 0) notFound();
  if (learnerId === viewer.id) return { id: viewer.id, displayName: viewer.displayName, self: true };
  const l = (await caseloadLearners(db, viewer)).find((x) => x.id === learnerId);
  if (!l) notFound();
  return { id: l.id, displayName: l.displayName, self: false };
}

/** Who can see this learner's record, for the learner's own page (where they can end it). */
export async function whoCanSee(
  db: Db,
  learnerId: number,
): Promise<{ grants: { id: number; displayName: string }[]; workshops: { id: number; title: string; therapistName: string }[] }> {
  const grants = await db
    .select({ id: users.id, displayName: users.displayName })
    .from(practiceGrants)
    .innerJoin(users, eq(users.id, practiceGrants.granteeId))
    .where(eq(practiceGrants.learnerId, learnerId))
    .orderBy(asc(practiceGrants.createdAt));
  const ws = await db
    .select({ id: workshops.id, title: workshops.title, therapistName: users.displayName })
    .from(workshopMembers)
    .innerJoin(workshops, eq(workshops.id, workshopMembers.workshopId))
    .innerJoin(users, eq(users.id, workshops.therapistId))
    .where(and(eq(workshopMembers.userId, learnerId), eq(workshopMembers.role, "participant")))
    .orderBy(asc(workshops.title));
  return { grants, workshops: ws };
}
