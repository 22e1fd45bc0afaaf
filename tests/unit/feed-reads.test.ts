import { and, eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import type { Db } from "../../db/client";
import { pins, type User } from "../../db/tables";
import { createBoard } from "../../app/services/boards.server";
import { createCard, saveCardToBoard } from "../../app/services/cards.server";
import { recordEngagement } from "../../app/services/engagement.server";
import { homeFeed, relatedList } from "../../app/services/feed.server";
import { loadGraph } from "../../app/services/graph.server";
import { storeImage } from "../../app/services/images.server";
import { indexPins } from "../../app/services/indexing.server";
import { recomputeMissingClusters, userClustersOf } from "../../app/services/pinnersage.server";
import { embedMissingSage, readSageVectors, trainPinSage } from "../../app/services/pinsage.server";
import { getPipeline } from "../../app/services/pipeline.server";
import { sql } from "drizzle-orm";
import { first } from "../../app/services/data/raw.server";
import { makeUser, pngBytes, seededTestDb, testEngine } from "./helpers";

// A page's GET (the home feed, a card's "More like this") writes nothing while it is served: clusters a
// person has none of yet and PinSage vectors of new cards are computed for the request and stored after it.
let db: Db;
/**
 * Rows changed so far: SQLite counts them per connection (total_changes). PostgreSQL has no such
 * counter (its statistics are other backends' and flushed late), so there it is a fingerprint of the
 * tables a read could write to: the ones the background jobs fill, engagement, the change feed, and
 * pin_sage_version, which moves with any statement on pin_sage_vec. (Not the served-list log: its
 * queue is written on a timer after the page, by design, and may land while this test still reads.)
 */
const changes = async () =>
  testEngine === "pg"
    ? Number(
        (await first<{ c: number }>(
          db,
          sql`SELECT (SELECT count(*) FROM user_cluster) + (SELECT count(*) FROM user_ranking_cluster) + (SELECT count(*) FROM pin_sage_vec)
                   + (SELECT version FROM pin_sage_version) + (SELECT count(*) FROM engagement) + (SELECT coalesce(max(seq), 0) FROM change_log) AS c`,
        ))!.c,
      )
    : (await first<{ c: number }>(db, sql`SELECT total_changes() AS c`))!.c;
const who = (u: User | null) => ({ userId: u?.id ?? null, sessionKey: u ? `u:${u.id}` : "v:reads-visitor-0000000" });
const pinId = async (title: string) =>
  (
    await db
      .select({ id: pins.id })
      .from(pins)
      .where(and(eq(pins.title, title), eq(pins.lang, "en")))
      .limit(1)
  )[0]!.id;

beforeAll(async () => {
  db = await seededTestDb();
  await trainPinSage(db, { epochs: 1, queriesPerEpoch: 256 });
}, 240_000);

it("serves the home feed and More like this without writing, and stores what they computed afterwards", async () => {
  const maker = await makeUser(db, "Maker");
  const board = await createBoard(db, maker.id, { title: "Farm", description: "", lang: "en", visibility: "public" });
  const lamb = (
    await createCard(
      db,
      maker,
      board.id,
      { title: "lamb", alt: "a lamb", cue: "a young sheep", note: "", lang: "en" },
      await storeImage(db, await pngBytes(41, 40, "#556677")),
    )
  ).id;
  for (const t of ["cow", "pig", "horse"]) await saveCardToBoard(db, await pinId(t), board.id, maker);
  await indexPins(db, await getPipeline(), [lamb]);
  const u = await makeUser(db, "Reader");
  await recordEngagement(
    db,
    who(u),
    await Promise.all(
      ["cow", "horse", "chicken"].map(async (t) => ({ pinId: await pinId(t), action: "closeup" as const, surface: "card" as const })),
    ),
  );
  await loadGraph(db, { checkEveryMs: 0 });
  expect(await userClustersOf(db, u.id)).toEqual([]);
  expect((await readSageVectors(db, [lamb])).size).toBe(0);

  const before = await changes();
  const feed = await homeFeed(db, who(u), { locale: "en" });
  const related = await relatedList(db, lamb, who(null));
  expect(await changes()).toBe(before);
  expect(feed.cards.some((c) => c.source === "pinnersage")).toBe(true);
  expect(related.cards).toHaveLength(12);

  // Afterwards: the new card's PinSage vector and the person's clusters are stored by background jobs.
  expect((await readSageVectors(db, [lamb])).size).toBe(0);
  expect(await embedMissingSage(db)).toBeGreaterThanOrEqual(1);
  expect((await readSageVectors(db, [lamb])).size).toBe(1);
  expect(await userClustersOf(db, u.id)).toEqual([]);
  expect(await recomputeMissingClusters(db)).toBeGreaterThanOrEqual(1);
  expect((await userClustersOf(db, u.id)).length).toBeGreaterThan(0);
}, 120_000);
