import { and, asc, eq, inArray, ne } from "drizzle-orm";
import { interests, pinInterests, pins, type Locale } from "../../../db/tables";
import { chooseDistractors, type Candidate } from "../../../models/therapy/distractors";
import { pinIsPublic } from "../access/visibility.server";
import type { Db } from "../db.server";

export type Choice = { id: number; imageKey: string; imageWidth: number; imageHeight: number };

/** Candidates per tier drawn from the library: enough for a varied seeded pick, few enough to stay cheap. */
const PER_TIER = 30;

/**
 * The four pictures of a comprehension item: the card and three distractors (models/therapy/distractors.ts)
 * from the same interest and its neighbours (same parent) among public cards in the same language, then
 * from the practised board. Only pictures leave the server: no words, so the page does not give the
 * answer away in its data.
 */
export async function comprehensionChoices(
  db: Db,
  target: { id: number; title: string; lang: Locale },
  board: { id: number; title: string; imageKey: string; imageWidth: number; imageHeight: number }[],
  seed: number,
): Promise<Choice[]> {
  const own = await db
    .select({ id: interests.id, slug: interests.slug, parent: interests.parentSlug })
    .from(pinInterests)
    .innerJoin(interests, eq(interests.id, pinInterests.interestId))
    .where(eq(pinInterests.pinId, target.id));
  const same = own.map((i) => i.id);
  const parents = [...new Set(own.map((i) => i.parent).filter((p): p is string => !!p))];
  const neighbours = parents.length
    ? (await db.select({ id: interests.id }).from(interests).where(inArray(interests.parentSlug, parents)))
        .map((r) => r.id)
        .filter((id) => !same.includes(id))
    : [];
  const library = async (ids: number[]) =>
    ids.length
      ? await db
          .selectDistinct({
            id: pins.id,
            title: pins.title,
            imageKey: pins.imageKey,
            imageWidth: pins.imageWidth,
            imageHeight: pins.imageHeight,
          })
          .from(pinInterests)
          .innerJoin(pins, eq(pins.id, pinInterests.pinId))
          .where(and(inArray(pinInterests.interestId, ids), ne(pins.id, target.id), eq(pins.lang, target.lang), pinIsPublic()))
          .orderBy(asc(pins.id))
          .limit(PER_TIER)
      : [];
  const tier0 = await library(same);
  const tier1 = await library(neighbours);
  const pictures = new Map<number, Choice>();
  const candidates: Candidate[] = [];
  const add = (rows: { id: number; title: string; imageKey: string; imageWidth: number; imageHeight: number }[], tier: 0 | 1 | 2) => {
    for (const r of rows) {
      if (pictures.has(r.id)) continue;
      pictures.set(r.id, { id: r.id, imageKey: r.imageKey, imageWidth: r.imageWidth, imageHeight: r.imageHeight });
      candidates.push({ id: r.id, title: r.title, tier });
    }
  };
  add(tier0, 0);
  add(tier1, 1);
  add(
    board.filter((c) => c.id !== target.id),
    2,
  );
  const self = board.find((c) => c.id === target.id);
  if (self) pictures.set(self.id, { id: self.id, imageKey: self.imageKey, imageWidth: self.imageWidth, imageHeight: self.imageHeight });
  const { order } = chooseDistractors(target, candidates, seed);
  return order.map((id) => pictures.get(id)!).filter(Boolean);
}
