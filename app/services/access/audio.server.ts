/**
 * Who may hear a recording (issue 14). A person's own voice is personal data, so /audio/<key> is not
 * public like a picture: the one rule, used by the audio route, is that a recording plays for
 *
 * - the person who recorded it, always;
 * - everyone who may open the card, when the card's creator recorded it (the creator's voice comes
 *   with the card, as its picture does; an unlisted board's key travels in the address as ?key=);
 * - the people the recorder practises with (a practice grant they gave), while the grant stands.
 *
 * Anyone else gets a 404, as for a card they may not see. Files are named by the hash of their bytes,
 * so two clips may share a key: it plays when any clip with that key may be heard.
 */
import { and, eq, or, sql } from "drizzle-orm";
import { audioClips, pins } from "../../../db/tables";
import type { Db } from "../db.server";
import { notFound } from "../http.server";
import { pinOpenCondition, type Viewer } from "./visibility.server";

/** Whether `viewer` (holding an unlisted board's `shareKey`, or not) may hear the recording `key`. */
export async function clipAudibleTo(db: Db, key: string, viewer: Viewer, shareKey: string | null): Promise<boolean> {
  const creatorsVoice = and(eq(audioClips.ownerId, pins.creatorId), pinOpenCondition(viewer, shareKey));
  const who = viewer
    ? or(
        eq(audioClips.ownerId, viewer.id),
        creatorsVoice,
        sql`exists (select 1 from practice_grant ag where ag.learner_id = "audio_clip"."owner_id" and ag.grantee_id = ${viewer.id})`,
      )
    : creatorsVoice;
  const rows = await db
    .select({ id: audioClips.id })
    .from(audioClips)
    .innerJoin(pins, eq(pins.id, audioClips.pinId))
    .where(and(eq(audioClips.key, key), who))
    .limit(1);
  return rows.length > 0;
}

/** The same, for the route: a 404 for anyone who may not hear it. */
export async function requireAudible(db: Db, key: string, viewer: Viewer, shareKey: string | null): Promise<void> {
  if (!(await clipAudibleTo(db, key, viewer, shareKey))) notFound();
}
