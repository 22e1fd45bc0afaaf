import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client";
import type { User } from "../../db/tables";
import { createBoard } from "../../app/services/boards.server";
import { createCard } from "../../app/services/cards.server";
import { recordEngagement } from "../../app/services/engagement.server";
import { storeImage } from "../../app/services/images.server";
import { indexPins } from "../../app/services/indexing.server";
import { getPipeline, type Pipeline } from "../../app/services/pipeline.server";
import {
  cardCentre,
  CENTRE_SAMPLE,
  pinnerSageCandidates,
  recomputeUserClusters,
  userClustersOf,
  userRankingClustersOf,
} from "../../app/services/pinnersage.server";
import { readCardVectors, sageNeighbours } from "../../app/services/pinsage.server";
import { sql } from "drizzle-orm";
import { exec, first, rows as raw } from "../../app/services/data/raw.server";
import { makeUser, pngBytes, seededTestDb } from "./helpers";

// The real sentence encoder on a real database (SQLite, or PostgreSQL under test:pg) seeded with the starter library; a person's
// engagement recorded through the engagement service. No PinSage training here: vectors fall back to
// the content embeddings (pin_vec), as they do before the first `npm run train:pinsage`.
let db: Db;
let p: Pipeline;
let person: User;

const pinsOnBoard = async (title: string, n = 100) =>
  (
    await raw<{ id: number }>(
      db,
      sql`SELECT bp.pin_id AS id FROM board_pin bp JOIN board b ON b.id = bp.board_id WHERE b.title = ${title} ORDER BY bp.position LIMIT ${n}`,
    )
  ).map((r) => r.id);
const pinsOnBoards = async (titles: string[]) => (await Promise.all(titles.map((t) => pinsOnBoard(t)))).flat();

let food: number[];
let animals: number[];

beforeAll(async () => {
  db = await seededTestDb();
  p = await getPipeline();
  person = await makeUser(db, "Two interests");
  food = await pinsOnBoard("Food", 6);
  animals = await pinsOnBoard("Animals", 6);
  const transport = await pinsOnBoard("Transport");
  const who = { userId: person.id, sessionKey: "s-1" };
  // Interleaved, as a person browses: a food card, an animal card, …, with impressions that do not count.
  const events = food.flatMap((f, i) => [
    { pinId: f, action: "closeup", surface: "home" },
    { pinId: animals[i]!, action: i % 2 ? "save" : "click", surface: "search" },
    { pinId: transport[i]!, action: "impression", surface: "home" },
  ]);
  expect((await recordEngagement(db, who, events)).accepted).toBe(events.length);
}, 240_000);

describe("PinnerSage on a real database", () => {
  it("clusters the engaged cards without mixing interests, medoids among members, importance by action and recency", async () => {
    const clusters = await recomputeUserClusters(db, person.id);
    // On centred vectors the cut (0.75) may split an interest into sub-interests, never mix two.
    expect(clusters.length).toBeGreaterThanOrEqual(2);
    expect(clusters.length).toBeLessThanOrEqual(6);
    for (const c of clusters) {
      expect(c.members.every((m) => food.includes(m)) || c.members.every((m) => animals.includes(m)), JSON.stringify(c.members)).toBe(true);
      expect(c.members).toContain(c.medoid);
    }
    expect(clusters.flatMap((c) => c.members).sort()).toEqual([...food, ...animals].sort());
    // Saves weigh 4, close-ups 2, clicks 1 (all just now): animals 3·4 + 3·1 = 15, food 6·2 = 12.
    const sum = (ids: number[]) => clusters.filter((c) => ids.includes(c.medoid)).reduce((s, c) => s + c.importance, 0);
    expect(sum(animals)).toBeCloseTo(15, 2);
    expect(sum(food)).toBeCloseTo(12, 2);
    for (let i = 1; i < clusters.length; i++) expect(clusters[i - 1]!.importance).toBeGreaterThanOrEqual(clusters[i]!.importance);

    const stored = await userClustersOf(db, person.id);
    expect(stored.map((s) => [s.position, s.medoidPinId, s.size])).toEqual(clusters.map((c, i) => [i, c.medoid, c.members.length]));

    // The ranking level: the same 12 cards cut finer, each ranking cluster inside one interest, the
    // same total importance (no level holds more than 20 clusters here, so nothing is cut off).
    const ranking = await userRankingClustersOf(db, person.id);
    expect(ranking.length).toBeGreaterThanOrEqual(clusters.length);
    expect(ranking.reduce((s, r) => s + r.size, 0)).toBe(12);
    expect(ranking.reduce((s, r) => s + r.importance, 0)).toBeCloseTo(27, 2);
    for (const r of ranking) {
      const home = clusters.find((c) => c.members.includes(r.medoidPinId))!;
      expect(home, `ranking medoid ${r.medoidPinId} in an interest`).toBeDefined();
      expect(r.size).toBeLessThanOrEqual(home.members.length);
    }
    for (let i = 1; i < ranking.length; i++) expect(ranking[i - 1]!.importance).toBeGreaterThanOrEqual(ranking[i]!.importance);

    // Recomputing replaces the rows of both levels rather than adding to them.
    await recomputeUserClusters(db, person.id);
    expect(await userClustersOf(db, person.id)).toHaveLength(clusters.length);
    expect(await userRankingClustersOf(db, person.id)).toHaveLength(ranking.length);
  });

  it("estimates the centre of the card vectors once per database: the plain mean of every card's vector on a small library", async () => {
    const ids = (await raw<{ id: number }>(db, sql`SELECT id FROM pin`)).map((r) => r.id);
    expect(ids.length).toBeLessThan(CENTRE_SAMPLE * 2); // small: every card is read
    const vs = [...(await readCardVectors(db, ids)).values()];
    expect(vs.length).toBe(ids.length);
    const plain = vs[0]!.map((_, d) => vs.reduce((s, v) => s + v[d]!, 0) / vs.length);
    const c = (await cardCentre(db))!;
    plain.forEach((x, d) => expect(c[d]!).toBeCloseTo(x, 6));
    expect(Math.hypot(...c)).toBeGreaterThan(0.2); // the common direction centring removes is real
    expect(await cardCentre(db)).toBe(c); // cached
    expect(await cardCentre(db, true)).not.toBe(c); // forced refresh
  });

  it("ignores engagement older than 90 days and cards the person hid", async () => {
    const ins = (pin: number, action: string, at: number) =>
      exec(
        db,
        sql`INSERT INTO engagement(user_id, session_key, pin_id, action, surface, created_at) VALUES (${person.id}, 's-old', ${pin}, ${action}, 'home', ${at})`,
      );
    const old = await pinsOnBoard("Music", 4);
    for (const id of old) await ins(id, "save", Date.now() - 100 * 86_400_000);
    await ins(food[5]!, "hide", Date.now());
    const clusters = await recomputeUserClusters(db, person.id);
    const members = clusters.flatMap((c) => c.members);
    for (const id of old) expect(members).not.toContain(id);
    expect(members).not.toContain(food[5]);
    expect(members).toHaveLength(11);
    // A card engaged 60 days ago counts, with importance exp(−0.01·60) per weight.
    const recentish = (await pinsOnBoard("Music", 5))[4]!;
    await ins(recentish, "click", Date.now() - 60 * 86_400_000);
    const again = await recomputeUserClusters(db, person.id);
    const music = again.find((c) => c.members.includes(recentish))!;
    expect(music.members).toEqual([recentish]);
    expect(music.importance).toBeCloseTo(Math.exp(-0.6), 3);
    await exec(db, sql`DELETE FROM engagement WHERE user_id = ${person.id} AND (session_key = 's-old')`);
    await recomputeUserClusters(db, person.id);
  });

  it("gives candidates from both interests, tagged with their medoid, never cards already engaged, hidden or private", async () => {
    // A private card about food (someone else's): close to the food interest, but never recommended.
    const other = await makeUser(db, "Private cook");
    const board = await createBoard(db, other.id, { title: "My recipes", description: "", lang: "en", visibility: "private" });
    const secret = await createCard(
      db,
      other,
      board.id,
      { title: "pizza", alt: "a slice of pizza", cue: "food from Italy", note: "", lang: "en" },
      await storeImage(db, await pngBytes()),
    );
    await indexPins(db, p);

    const clusters = await userClustersOf(db, person.id);
    expect(clusters.length).toBeGreaterThanOrEqual(2);
    const c = await pinnerSageCandidates(db, person.id, 20, 7);
    expect(c.length).toBe(20);
    const ids = c.map((x) => x.pinId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [...food, ...animals]) expect(ids).not.toContain(id);
    expect(ids).not.toContain(secret.id);
    // Retrieval: at most 3 sampled medoids, each candidate tagged with one of them.
    const medoids = new Set(c.map((x) => x.medoidPinId));
    expect(medoids.size).toBeLessThanOrEqual(3);
    for (const m of medoids) expect(clusters.map((x) => x.medoidPinId)).toContain(m);

    // Ranking: best first by Σ_m importance_m · cos(card, medoid_m) over EVERY stored ranking
    // cluster (the finer cut), on vectors with the centre subtracted — recomputed here the plain way.
    const ranking = await userRankingClustersOf(db, person.id);
    expect(ranking.length).toBeGreaterThan(clusters.length); // on this history the finer cut is finer
    const centre = (await cardCentre(db))!;
    const vecs = await readCardVectors(db, [...ids, ...ranking.map((x) => x.medoidPinId)]);
    const cen = (id: number) => vecs.get(id)!.map((x, d) => x - centre[d]!);
    const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, d) => s + x * b[d]!, 0) / (Math.hypot(...a) * Math.hypot(...b));
    const total = ranking.reduce((s, x) => s + x.importance, 0);
    for (const x of c)
      expect(x.score).toBeCloseTo(
        ranking.reduce((s, m) => s + (m.importance / total) * cos(cen(x.pinId), cen(m.medoidPinId)), 0),
        5,
      );
    for (let i = 1; i < c.length; i++) expect(c[i - 1]!.score).toBeGreaterThanOrEqual(c[i]!.score);

    // Each card is about the interest of the medoid it came from, and both interests are offered.
    const foodish = new Set(
      await pinsOnBoards([
        "Food",
        "Comida",
        "Fruit and vegetables",
        "Frutas y verduras",
        "Drinks",
        "Bebidas",
        "Kitchen",
        "Cocina",
        "Taller semanal: la comida y la casa",
        "Shopping and money",
      ]),
    );
    const animalish = new Set(await pinsOnBoards(["Animals", "Animales", "Nature and plants", "Naturaleza y plantas"]));
    const fromFood = c.filter((x) => food.includes(x.medoidPinId));
    const fromAnimals = c.filter((x) => animals.includes(x.medoidPinId));
    expect(fromFood.length + fromAnimals.length).toBe(20);
    expect(fromFood.length).toBeGreaterThanOrEqual(3);
    expect(fromAnimals.length).toBeGreaterThanOrEqual(3);
    expect(fromFood.filter((x) => foodish.has(x.pinId)).length / fromFood.length).toBeGreaterThanOrEqual(0.8);
    expect(fromAnimals.filter((x) => animalish.has(x.pinId)).length / fromAnimals.length).toBeGreaterThanOrEqual(0.8);
    // Seeded: the same answer twice.
    expect(await pinnerSageCandidates(db, person.id, 20, 7)).toEqual(c);
  });

  it("before any PinSage training, finds cards like a card by content vectors", async () => {
    const n = await sageNeighbours(db, animals[0]!, 5);
    expect(n).toHaveLength(5);
    expect(n.every((x) => x.source === "content")).toBe(true);
    expect(Number((await first<{ n: number }>(db, sql`SELECT count(*) AS n FROM pin_sage_vec`))!.n)).toBe(0);
  });

  it("has nothing for a person without engagement, and computes clusters on first use", async () => {
    const quiet = await makeUser(db, "Quiet");
    expect(await pinnerSageCandidates(db, quiet.id, 10, 1)).toEqual([]);
    expect(await userClustersOf(db, quiet.id)).toEqual([]);
    const fresh = await makeUser(db, "Fresh");
    await recordEngagement(
      db,
      { userId: fresh.id, sessionKey: "s-2" },
      (await pinsOnBoard("Weather", 3)).map((pinId) => ({ pinId, action: "save", surface: "board" })),
    );
    const c = await pinnerSageCandidates(db, fresh.id, 5, 1);
    expect(c).toHaveLength(5);
    expect((await userClustersOf(db, fresh.id)).length).toBeGreaterThanOrEqual(1);
  });
});
