import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import { boardIsPublic, rawSql } from "../../access/visibility.server";
import { boards, interests, userInterests, users, type Locale } from "../../../../db/tables";
import { summaryColumns, type BoardSummary } from "../../boards.server";
import type { Db } from "../../db.server";
import { rows as raw } from "../../data/raw.server";
import { transaction } from "../../data/transaction.server";
import { interestLabel } from "../../interest-labels.server";

/** A list of values as bound parameters (instead of SQLite's json_each; both engines accept it). */
const list = (values: readonly (string | number)[]): SQL =>
  values.length
    ? sql.join(
        values.map((v) => sql`${v}`),
        sql`, `,
      )
    : sql`NULL`;

/**
 * Beside the feed, not in its pipeline: the interest picker on the home page (the options, keeping
 * what a person picked) and what the page shows of their picks (topic labels, "Boards for you").
 * What they picked feeds the home feed's history stage (history.server pickedInterests).
 */

export type PickerOption = { slug: string; label: string; parent: string | null; cards: number; coverKey: string | null };

const pickerCache = new WeakMap<Db, Map<Locale, { at: number; options: PickerOption[] }>>();

/**
 * The taxonomy's first two levels that have public cards, each with how many and the picture of its
 * best card (one in the reader's language when there is one); roots first, in taxonomy order. Cards in
 * every language count: a German reader is offered "Speech therapy" though its boards are English and
 * Spanish (the walk-through found the topic missing), and the feed then leans to their language.
 * Cached for five minutes.
 */
export async function pickerOptions(db: Db, locale: Locale, now = Date.now()): Promise<PickerOption[]> {
  const perDb = pickerCache.get(db) ?? new Map();
  pickerCache.set(db, perDb);
  const hit = perDb.get(locale);
  if (hit && now - hit.at < 5 * 60_000) return hit.options;
  // Number(n): count(*) is a bigint (a string) on PostgreSQL.
  const rows = await raw<{
    id: number;
    slug: string;
    parent: string | null;
    depth: number;
    en: string;
    es: string;
    n: number;
    cover: string;
  }>(
    db,
    sql`WITH RECURSIVE sub(id, slug, top) AS (
         SELECT id, slug, slug FROM interest WHERE depth <= 2
         UNION ALL SELECT i.id, i.slug, sub.top FROM interest i JOIN sub ON i.parent_slug = sub.slug
       ),
       cards AS (
         SELECT sub.top AS top, pi.pin_id AS pin, max(pi.score) AS s, max(CASE WHEN p.lang = ${locale} THEN 1 ELSE 0 END) AS mine
         FROM pin_interest pi JOIN sub ON sub.id = pi.interest_id
         JOIN pin p ON p.id = pi.pin_id
         WHERE pi.score >= 0.25
           AND ${sql.raw(rawSql.pinIsPublic("p.id"))}
         GROUP BY sub.top, pi.pin_id
       ),
       best AS (SELECT top, pin, row_number() OVER (PARTITION BY top ORDER BY mine DESC, s DESC, pin) AS r, count(*) OVER (PARTITION BY top) AS n FROM cards)
       SELECT i.id AS "id", i.slug AS "slug", i.parent_slug AS "parent", i.depth AS "depth", i.label_en AS "en", i.label_es AS "es", best.n AS "n", p.image_key AS "cover"
       FROM best JOIN interest i ON i.slug = best.top JOIN pin p ON p.id = best.pin
       WHERE best.r = 1 ORDER BY i.id`,
  );
  // Roots must come first even where a root was stored after its children: keep taxonomy order per level.
  const options = [...rows.filter((r) => r.depth === 1), ...rows.filter((r) => r.depth === 2)].map((r) => ({
    slug: r.slug,
    label: interestLabel(r.slug, locale, r),
    parent: r.parent,
    cards: Number(r.n),
    coverKey: r.cover,
  }));
  perDb.set(locale, { at: now, options });
  return options;
}

/** The slugs among these that name an interest, in order, without repeats (at most 40). */
export async function knownSlugs(db: Db, slugs: string[]): Promise<string[]> {
  const wanted = [...new Set(slugs.filter((s) => /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(s)))].slice(0, 40);
  if (!wanted.length) return [];
  const found = new Set(
    (await db.select({ slug: interests.slug }).from(interests).where(inArray(interests.slug, wanted))).map((r) => r.slug),
  );
  return wanted.filter((s) => found.has(s));
}

/** Replaces the interests a person picked (the picker's action, a POST); unknown slugs are ignored. Returns the slugs kept. */
export async function setPickedInterests(db: Db, userId: number, slugs: string[]): Promise<string[]> {
  const known = await knownSlugs(db, slugs);
  await transaction(db, async (tx) => {
    await tx.delete(userInterests).where(eq(userInterests.userId, userId));
    if (known.length) {
      const ids = await tx.select({ id: interests.id }).from(interests).where(inArray(interests.slug, known));
      await tx.insert(userInterests).values(ids.map((r) => ({ userId, interestId: r.id })));
    }
  });
  return known;
}

/** Labels of some interests in a language, in the order given (unknown slugs left out). */
export async function topicLabels(db: Db, slugs: string[], locale: Locale): Promise<{ slug: string; label: string }[]> {
  if (!slugs.length) return [];
  const rows = await db
    .select({ slug: interests.slug, en: interests.labelEn, es: interests.labelEs })
    .from(interests)
    .where(inArray(interests.slug, slugs));
  const by = new Map(rows.map((r) => [r.slug, interestLabel(r.slug, locale, r)]));
  return slugs.filter((s) => by.has(s)).map((slug) => ({ slug, label: by.get(slug)! }));
}

/** Best public boards about some interests (for the home page's "Boards for you"). */
export async function boardsForInterests(db: Db, slugs: string[], langs: Locale[], limit = 6): Promise<number[]> {
  if (!slugs.length) return [];
  const rows = await raw<{ id: number }>(
    db,
    sql`WITH RECURSIVE sub(id, slug) AS (
         SELECT id, slug FROM interest WHERE slug IN (${list(slugs)})
         UNION ALL SELECT i.id, i.slug FROM interest i JOIN sub ON i.parent_slug = sub.slug
       )
       SELECT b.id AS "id", max(bi.score) AS s FROM board_interest bi JOIN sub ON sub.id = bi.interest_id JOIN board b ON b.id = bi.board_id
       WHERE ${sql.raw(rawSql.boardIsPublic("b"))} AND bi.score >= 0.1 AND b.lang IN (${list(langs)})
       GROUP BY b.id ORDER BY s DESC, b.id LIMIT ${limit}`,
  );
  return rows.map((r) => r.id);
}

/** Board tiles for ids, in that order (public boards only). */
export async function boardTiles(db: Db, ids: number[]): Promise<BoardSummary[]> {
  if (!ids.length) return [];
  const rows = await db
    .select(summaryColumns)
    .from(boards)
    .innerJoin(users, eq(users.id, boards.ownerId))
    .where(and(inArray(boards.id, ids), boardIsPublic()));
  const by = new Map(rows.map((r) => [r.id, r]));
  return ids.filter((id) => by.has(id)).map((id) => by.get(id)!);
}
