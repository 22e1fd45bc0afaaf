import { and, eq, inArray } from "drizzle-orm";
import { attendance, pins, workshopSessions, type Locale, type User } from "../../../db/tables";
import { cuesFor, isCueLevel, meaningCue, type Cue } from "../../../models/therapy/cues";
import { categoriesOf } from "./cues.server";
import type { Outcome } from "../../../models/therapy/scoring";
import type { Db } from "../db.server";
import { notFound } from "../http.server";

const badRequest = (): never => {
  throw new Response("Bad request", { status: 400 });
};
import { transaction } from "../data/transaction.server";
import { presentation } from "../workshop-sessions.server";
import { membersOf } from "../workshops.server";
import { applyAnswer } from "./answers.server";

export type Attendee = { userId: number; displayName: string };

/**
 * Who the therapist can mark in present mode: the workshop's participants (not relatives) who were
 * marked present at this meeting, or every participant while attendance is not recorded yet.
 */
export async function presentAttendees(db: Db, workshopId: number, date: string): Promise<Attendee[]> {
  const participants = (await membersOf(db, workshopId)).filter((m) => m.role === "participant");
  const [session] = await db
    .select({ id: workshopSessions.id })
    .from(workshopSessions)
    .where(and(eq(workshopSessions.workshopId, workshopId), eq(workshopSessions.date, date)))
    .limit(1);
  const rows = session ? await db.select().from(attendance).where(eq(attendance.sessionId, session.id)) : [];
  const here = new Set(rows.filter((r) => r.present).map((r) => r.userId));
  const list = rows.length ? participants.filter((m) => here.has(m.userId)) : participants;
  return list.map((m) => ({ userId: m.userId, displayName: m.displayName }));
}

/**
 * The therapist marks, for one card shown in a meeting, what each attendee (or the whole group) did:
 * named it, named it with a cue (the level reached), or not yet. Each mark is a naming review of that
 * attendee, rated by the therapist, outside any practice sitting; all marks are saved together or none.
 */
export async function markNaming(
  db: Db,
  input: {
    workshopId: number;
    date: string;
    user: User | null;
    pinId: number;
    learnerIds: number[];
    outcome: Outcome;
    cueLevel: number;
    now: Date;
  },
): Promise<{ marked: number }> {
  const p = await presentation(db, input.workshopId, input.date, input.user);
  if (p.role !== "therapist" || !input.user) notFound();
  if (!p.cards.some((c) => c.id === input.pinId)) notFound();
  if (!isCueLevel(input.cueLevel) || (input.outcome === "cued" && input.cueLevel === 0)) badRequest();
  const allowed = new Set((await presentAttendees(db, input.workshopId, input.date)).map((a) => a.userId));
  const who = [...new Set(input.learnerIds)].filter((id) => allowed.has(id));
  if (!who.length) badRequest();
  const therapist = input.user;
  await transaction(db, async (tx) => {
    for (const learnerId of who)
      await applyAnswer(tx, {
        learnerId,
        pinId: input.pinId,
        mode: "naming",
        ratedBy: therapist.id,
        sessionId: null,
        answer: { outcome: input.outcome, cueLevel: input.cueLevel },
        now: input.now,
      });
  });
  return { marked: who.length };
}

/** The naming cues of the cards shown in a meeting (present mode's step-by-step clues). */
export async function presentCues(
  db: Db,
  cardIds: number[],
): Promise<Record<number, { cues: Cue[]; category: Record<Locale, string> | null }>> {
  if (!cardIds.length) return {};
  const rows = await db
    .select({ id: pins.id, title: pins.title, lang: pins.lang, cue: pins.cue, cueSentence: pins.cueSentence, firstSound: pins.firstSound })
    .from(pins)
    .where(inArray(pins.id, cardIds));
  const cats = await categoriesOf(db, cardIds);
  const out: Record<number, { cues: Cue[]; category: Record<Locale, string> | null }> = {};
  for (const r of rows) {
    const c = cats.get(r.id);
    out[r.id] = {
      cues: cuesFor({ ...r, cue: meaningCue(r), category: c ? c[r.lang] : null }),
      category: c ? { en: c.en, es: c.es, fr: c.fr, de: c.de, ar: c.ar } : null,
    };
  }
  return out;
}
