import { inArray, sql, type SQL } from "drizzle-orm";
import { rawSql, viewerParam } from "../../access/visibility.server";
import { interests, type Locale } from "../../../../db/tables";
import type { Db } from "../../db.server";
import { first, rows as raw } from "../../data/raw.server";
import { setClusterRecompute } from "../../engagement.server";
import { pixieForUser, relatedByPixie } from "../../graph.server";
import { pinnerSageCandidates, recomputeUserClusters } from "../../pinnersage.server";
import { sageNeighbours } from "../../pinsage.server";
import { dialectOf } from "../../data/dialect.server";
import { pinIndex, readVectors, readVectorsNow } from "../../vectors.server";
import type { Seed, Signal } from "./history.server";
import { attemptAsync, type Cand, type CandidateSource, type FeedReason } from "./types.server";
import { interestLabel } from "../../interest-labels.server";

/**
 * Stage 2 of the feed: the candidate sources. Each is one small function that returns a
 * `CandidateSource` — its name, its weight in the blend, and its cards best first, each card with the
 * source's own score and the reason it was picked. A failing source is logged and left empty (attempt),
 * so the feed never errors. The ranking stage (rank.server) merges them next.
 *
 * Sources only read. PinnerSage and PinSage are asked with `readOnly`: clusters a person has none of
 * yet, and PinSage vectors of cards added since training, are computed in memory for this request and
 * stored afterwards by background jobs (pinnersage.server recomputeMissingClusters, pinsage.server
 * embedMissingSage; startup.server.ts runs them).
 *
 * For you (home.server), with a history:    pinnersage, pixie, vector, cosaved, interest, popular;
 *                    with picked interests: interest, popular;   with neither: popular;
 *                    and always the new-creator exploration list (newCreatorCards).
 * More like this (related.server):           pixie, pinsage, vector, cosaved.
 */

const DAY = 86_400_000;

/** A list of values as bound parameters (instead of SQLite's json_each; both engines accept it). */
const list = (values: readonly (string | number)[]): SQL =>
  values.length
    ? sql.join(
        values.map((v) => sql`${v}`),
        sql`, `,
      )
    : sql`NULL`;
/** A creator is new while their account is younger than this many days… */
export const NEW_CREATOR_DAYS = 30;
/** …or fewer than this many of their cards have been engaged with by others (see rules.server NEW_CREATOR_EVERY). */
export const NEW_CREATOR_ENGAGED = 10;

// A person's PinnerSage clusters are recomputed after their engagement, off the request path (see
// engagement.server's debounce); set here, where both services meet, to keep their imports one-way.
setClusterRecompute(recomputeUserClusters);

/** Round-robin over several ranked lists, so each seed (or interest) gets its turn near the top. */
export function roundRobin(lists: Cand[][]): Cand[] {
  const out: Cand[] = [];
  const seen = new Set<number>();
  for (let i = 0; lists.some((l) => i < l.length); i++) {
    for (const l of lists) {
      const c = l[i];
      if (c && !seen.has(c.pinId)) {
        seen.add(c.pinId);
        out.push(c);
      }
    }
  }
  return out;
}

// ── For you: from the person's history ──────────────────────────────────────────────────────────

/** PinnerSage: neighbours of their clusters' sampled medoids, each naming the medoid it came from. Null when it has none. */
export async function pinnerSageSource(
  db: Db,
  userId: number,
  now: number,
  seedReason: (pinId: number) => FeedReason,
): Promise<CandidateSource | null> {
  // Medoids are sampled; a seed per person and day keeps the feed steady between reloads.
  const rows = await attemptAsync(
    "pinnersage",
    () => pinnerSageCandidates(db, userId, 60, userId * 1000 + Math.floor(now / DAY), { readOnly: true }),
    [],
  );
  if (!rows.length) return null;
  return { name: "pinnersage", weight: 3, items: rows.map((r) => ({ pinId: r.pinId, score: r.score, reason: seedReason(r.medoidPinId) })) };
}

/** Pixie: random walks on the card–board graph from their recent cards. Null when the walks found nothing. */
export async function pixieSource(
  db: Db,
  signals: Signal[],
  o: { lang: Locale; now: number; exclude: number[] },
): Promise<CandidateSource | null> {
  const rows = await attemptAsync(
    "pixie",
    () =>
      pixieForUser(
        db,
        signals.map((s) => ({ pinId: s.pinId, action: s.action, at: s.at })),
        { limit: 80, lang: o.lang, now: o.now, exclude: o.exclude },
      ),
    [],
  );
  if (!rows.length) return null;
  return { name: "pixie", weight: 3, items: rows.map((r) => ({ pinId: r.pinId, score: r.score, reason: { kind: "boardsLikeYours" } })) };
}

/** Nearest cards by content vector to each seed card. */
async function vectorNeighbours(db: Db, seedIds: number[], per: number): Promise<Map<number, { id: number; score: number }[]>> {
  const out = new Map<number, { id: number; score: number }[]>();
  if (!seedIds.length) return out;
  const vecs = await readVectors(db, "pin_vec", seedIds);
  if (!vecs.size) return out;
  const index = await pinIndex(db);
  // The re-rank callback is synchronous; only an index without resident vectors calls it, and on
  // PostgreSQL the index always keeps them (floats or int8).
  const fetchVectors = dialectOf(db) === "sqlite" ? (ids: number[]) => readVectorsNow(db, "pin_vec", ids) : undefined;
  for (const id of seedIds) {
    const v = vecs.get(id);
    if (!v) continue;
    const hits = index.search(v, per + 1, { candidates: Math.max(200, per * 4), fetchVectors });
    out.set(
      id,
      hits.filter((h) => h.id !== id),
    );
  }
  return out;
}

/** Content neighbours of their strongest cards, round-robin over the seeds, each naming its seed. */
export async function vectorSource(db: Db, top: Seed[], seedReason: (pinId: number) => FeedReason): Promise<CandidateSource> {
  const near = await attemptAsync(
    "vector",
    () =>
      vectorNeighbours(
        db,
        top.map((s) => s.pinId),
        30,
      ),
    new Map<number, { id: number; score: number }[]>(),
  );
  return {
    name: "vector",
    weight: 3,
    items: roundRobin(top.map((s) => (near.get(s.pinId) ?? []).map((h) => ({ pinId: h.id, score: h.score, reason: seedReason(s.pinId) })))),
  };
}

/** Cards kept on the same boards as this one (public boards, and the viewer's own), small boards counting more. */
async function coSaved(db: Db, pinId: number, userId: number | null, limit: number): Promise<{ id: number; score: number }[]> {
  // The fragment's one `?` is the viewer; it is spliced in here as a bound parameter.
  const [before, after] = rawSql.boardListed("b").split("?");
  const listed = sql`${sql.raw(before!)}${viewerParam(userId === null ? null : { id: userId })}${sql.raw(after!)}`;
  const rows = await raw<{ id: number; score: number | string }>(
    db,
    sql`SELECT o.pin_id AS "id", sum(1.0 / (SELECT count(*) FROM board_pin c WHERE c.board_id = bp.board_id)) AS "score"
        FROM board_pin bp JOIN board b ON b.id = bp.board_id
        JOIN board_pin o ON o.board_id = bp.board_id AND o.pin_id <> bp.pin_id
        WHERE bp.pin_id = ${pinId} AND ${listed}
        GROUP BY o.pin_id ORDER BY "score" DESC, o.pin_id LIMIT ${limit}`,
  );
  return rows.map((r) => ({ id: r.id, score: Number(r.score) })); // numeric is a string on PostgreSQL
}

/** Cards kept on the same boards as their strongest cards (the graph without walks), "saved with …". */
export async function coSavedSource(
  db: Db,
  top: Seed[],
  titles: Map<number, { title: string; lang: Locale }>,
  userId: number | null,
  weight: number,
): Promise<CandidateSource> {
  const together = await attemptAsync(
    "cosaved",
    async () => {
      const lists: Cand[][] = [];
      for (const s of top)
        lists.push(
          (await coSaved(db, s.pinId, userId, 30)).map((h) => ({
            pinId: h.id,
            score: h.score,
            reason: (titles.has(s.pinId)
              ? { kind: "savedWith", pinId: s.pinId, title: titles.get(s.pinId)!.title, lang: titles.get(s.pinId)!.lang }
              : { kind: "boardsLikeYours" }) as FeedReason,
          })),
        );
      return lists;
    },
    [],
  );
  return { name: "cosaved", weight, items: roundRobin(together) };
}

// ── For you: from interests, popularity and new creators ────────────────────────────────────────

/**
 * The best cards of some interests (each with its subtree in the taxonomy), one ranked list per
 * interest: the card's interest score, lifted a little by how often it was saved.
 */
async function interestLists(db: Db, slugs: string[], langs: Locale[], per: number, labelLang: Locale): Promise<Cand[][]> {
  if (!slugs.length) return [];
  const rows = await raw<{ top: string; id: number; score: number }>(
    db,
    sql`WITH RECURSIVE sub(id, slug, top) AS (
         SELECT id, slug, slug FROM interest WHERE slug IN (${list(slugs)})
         UNION ALL SELECT i.id, i.slug, sub.top FROM interest i JOIN sub ON i.parent_slug = sub.slug
       ),
       scored AS (
         SELECT sub.top AS top, pi.pin_id AS id, max(pi.score) AS s
         FROM pin_interest pi JOIN sub ON sub.id = pi.interest_id JOIN pin p ON p.id = pi.pin_id
         WHERE p.lang IN (${list(langs)}) AND pi.score >= 0.25
         GROUP BY sub.top, pi.pin_id
       ),
       ranked AS (
         SELECT top, id, s * (1 + 0.3 * ln(1 + (SELECT count(*) FROM board_pin bp WHERE bp.pin_id = scored.id))) AS score,
                row_number() OVER (PARTITION BY top ORDER BY s * (1 + 0.3 * ln(1 + (SELECT count(*) FROM board_pin bp WHERE bp.pin_id = scored.id))) DESC, id) AS r
         FROM scored
       )
       SELECT top AS "top", id AS "id", score AS "score" FROM ranked WHERE r <= ${per} ORDER BY top, r`,
  );
  const labels = new Map(
    (
      await db
        .select({ slug: interests.slug, en: interests.labelEn, es: interests.labelEs })
        .from(interests)
        .where(inArray(interests.slug, slugs))
    ).map((r) => [r.slug, interestLabel(r.slug, labelLang, r)]),
  );
  const lists = new Map<string, Cand[]>();
  for (const r of rows) {
    const l = lists.get(r.top) ?? [];
    l.push({ pinId: r.id, score: r.score, reason: { kind: "interest", slug: r.top, label: labels.get(r.top) ?? r.top } });
    lists.set(r.top, l);
  }
  return slugs.map((s) => lists.get(s) ?? []).filter((l) => l.length);
}

/** The best cards of these interests, round-robin over the interests, each naming its interest. */
export async function interestSource(
  db: Db,
  slugs: string[],
  langs: Locale[],
  per: number,
  labelLang: Locale,
  weight: number,
): Promise<CandidateSource> {
  return {
    name: "interest",
    weight,
    items: roundRobin(await attemptAsync("interest", () => interestLists(db, slugs, langs, per, labelLang), [])),
  };
}

/**
 * Cards most often saved (board placements) and engaged with in the last 30 days. Engagement counts
 * people, not events: each source (an account, or a visitor's address) adds at most 0.5 to a card
 * however often and on however many days it engaged (engagement_count holds one row per card, action,
 * source and day), so one client cannot buy a card's place (issue 12, finding 7).
 */
async function popular(db: Db, langs: Locale[], limit: number, now = Date.now()): Promise<Cand[]> {
  const rows = await raw<{ id: number; score: number | string }>(
    db,
    sql`SELECT p.id AS "id", (SELECT count(*) FROM board_pin bp WHERE bp.pin_id = p.id) + coalesce(e.n, 0) * 0.5 AS "score"
        FROM pin p LEFT JOIN (
          SELECT pin_id, count(DISTINCT source) AS n FROM engagement_count WHERE day >= ${Math.floor((now - 30 * DAY) / DAY)} AND action IN ('click','closeup','save','readaloud','practice') GROUP BY pin_id
        ) e ON e.pin_id = p.id
        WHERE p.lang IN (${list(langs)})
        ORDER BY "score" DESC, p.id LIMIT ${limit}`,
  );
  return rows.map((r) => ({ pinId: r.id, score: Number(r.score), reason: { kind: "popular" } }));
}

/** Popular cards in these languages (weight 1). */
export async function popularSource(db: Db, langs: Locale[], limit: number, now: number): Promise<CandidateSource> {
  return { name: "popular", weight: 1, items: await attemptAsync("popular", () => popular(db, langs, limit, now), []) };
}

const newCreatorCache = new WeakMap<Db, { at: number; lastUser: number; ids: Set<number> }>();

/**
 * Creators who count as new (NEW_CREATOR_DAYS, NEW_CREATOR_ENGAGED); cached for a minute, as it reads
 * the whole log, but a newly made account is seen at once.
 */
export async function newCreators(db: Db, now = Date.now()): Promise<Set<number>> {
  // pg: "user" must be quoted there (a reserved word); SQLite accepts the quotes too.
  const lastUser = Number((await first<{ id: number }>(db, sql`SELECT coalesce(max(id), 0) AS "id" FROM "user"`))?.id ?? 0);
  const hit = newCreatorCache.get(db);
  if (hit && now - hit.at < 60_000 && hit.lastUser === lastUser) return hit.ids;
  const rows = await raw<{ id: number }>(
    db,
    sql`WITH engaged AS (
         SELECT p.creator_id AS cid, count(DISTINCT e.pin_id) AS n FROM engagement e JOIN pin p ON p.id = e.pin_id
         WHERE e.action <> 'impression' AND (e.user_id IS NULL OR e.user_id <> p.creator_id) GROUP BY p.creator_id
       )
       SELECT u.id AS "id" FROM "user" u LEFT JOIN engaged ON engaged.cid = u.id
       WHERE (u.created_at >= ${now - NEW_CREATOR_DAYS * DAY} OR coalesce(engaged.n, 0) < ${NEW_CREATOR_ENGAGED}) AND EXISTS (SELECT 1 FROM pin WHERE creator_id = u.id)`,
  );
  const ids = new Set(rows.map((r) => r.id));
  newCreatorCache.set(db, { at: now, lastUser, ids });
  return ids;
}

/**
 * The exploration list: new creators' newest cards, one creator at a time. Not blended by weight:
 * the rules give it its own slot (rules.server NEW_CREATOR_EVERY).
 */
export async function newCreatorCards(
  db: Db,
  langs: Locale[],
  exceptCreator: number | null,
  limit: number,
  now = Date.now(),
): Promise<Cand[]> {
  const creators = [...(await newCreators(db, now))].filter((c) => c !== exceptCreator);
  if (!creators.length) return [];
  const rows = await raw<{ id: number; cid: number; name: string }>(
    db,
    sql`SELECT p.id AS "id", p.creator_id AS "cid", u.display_name AS "name" FROM pin p JOIN "user" u ON u.id = p.creator_id
        WHERE p.creator_id IN (${list(creators)}) AND p.lang IN (${list(langs)})
        ORDER BY p.created_at DESC, p.id DESC LIMIT ${limit * 4}`,
  );
  const byCreator = new Map<number, Cand[]>();
  for (const r of rows) {
    const l = byCreator.get(r.cid) ?? [];
    l.push({ pinId: r.id, score: 1, reason: { kind: "newCreator", name: r.name } });
    byCreator.set(r.cid, l);
  }
  return roundRobin([...byCreator.values()]).slice(0, limit);
}

// ── More like this: from one card ───────────────────────────────────────────────────────────────

/** Related cards carry no reason of their own (the section's heading says it). */
const SIMILAR: FeedReason = { kind: "boardsLikeYours" };

/** Pixie's walks from this card, biased to its language. Null when the walks found nothing. */
export async function relatedPixieSource(db: Db, pinId: number, lang: Locale, exclude: number[]): Promise<CandidateSource | null> {
  const rows = await attemptAsync("pixie", () => relatedByPixie(db, pinId, { limit: 60, lang, exclude }), []);
  if (!rows.length) return null;
  return { name: "pixie", weight: 3, items: rows.map((r) => ({ pinId: r.pinId, score: r.score, reason: SIMILAR })) };
}

/** PinSage's nearest cards to this one (content vectors before any training). Null when none. */
export async function pinSageSource(db: Db, pinId: number): Promise<CandidateSource | null> {
  const rows = await attemptAsync("pinsage", () => sageNeighbours(db, pinId, 60, { readOnly: true }), []);
  if (!rows.length) return null;
  return { name: "pinsage", weight: 2, items: rows.map((r) => ({ pinId: r.pinId, score: r.score, reason: SIMILAR })) };
}

/** The nearest cards by content vector. */
export async function relatedVectorSource(db: Db, pinId: number): Promise<CandidateSource> {
  const near = await attemptAsync("vector", async () => (await vectorNeighbours(db, [pinId], 60)).get(pinId) ?? [], []);
  return { name: "vector", weight: 2, items: near.map((h) => ({ pinId: h.id, score: h.score, reason: SIMILAR })) };
}

/** Cards kept on the same boards as this one. */
export async function relatedCoSavedSource(db: Db, pinId: number, userId: number | null, weight: number): Promise<CandidateSource> {
  const together = await attemptAsync("cosaved", () => coSaved(db, pinId, userId, 60), []);
  return { name: "cosaved", weight, items: together.map((h) => ({ pinId: h.id, score: h.score, reason: SIMILAR })) };
}
