import { and, desc, eq, inArray } from "drizzle-orm";
import { interests, pinInterests } from "../../../db/tables";
import type { Db } from "../db.server";
import { interestLabels } from "../interest-labels.server";
import type { Locale } from "../../../db/enums";

/**
 * The category a card belongs to, in the card's language, for the default semantic cue ("It is in the
 * group “Fruit”"): its best-scored interest from the taxonomy (pin_interest, written by indexing).
 * Interests at the top of the tree ("Food and drink") say too little, so a deeper one is preferred.
 */
export async function categoriesOf(db: Db, pinIds: number[]): Promise<Map<number, Record<Locale, string> & { slug: string }>> {
  if (!pinIds.length) return new Map();
  const rows = await db
    .select({
      pinId: pinInterests.pinId,
      slug: interests.slug,
      en: interests.labelEn,
      es: interests.labelEs,
      depth: interests.depth,
      score: pinInterests.score,
    })
    .from(pinInterests)
    .innerJoin(interests, eq(interests.id, pinInterests.interestId))
    .where(and(inArray(pinInterests.pinId, pinIds)))
    .orderBy(desc(pinInterests.score));
  const out = new Map<number, { en: string; es: string; slug: string; depth: number }>();
  for (const r of rows) {
    const have = out.get(r.pinId);
    if (!have || (have.depth < 2 && r.depth >= 2)) out.set(r.pinId, { en: r.en, es: r.es, slug: r.slug, depth: r.depth });
  }
  return new Map([...out].map(([k, { en, es, slug }]) => [k, { ...interestLabels(slug, { en, es }), slug }]));
}
