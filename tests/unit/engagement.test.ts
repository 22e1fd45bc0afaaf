import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client";
import { engagements, userClusters, userRankingClusters, type User } from "../../db/tables";
import { createBoard } from "../../app/services/boards.server";
import { createCard } from "../../app/services/cards.server";
import {
  deleteHistory,
  historyPage,
  HISTORY_PAGE_SIZE,
  recomputePending,
  recordEngagement,
  recordFromClient,
  runPendingRecomputes,
  setClusterRecompute,
} from "../../app/services/engagement.server";
import { ENGAGEMENT_LIMITS, resetEngagementLimits } from "../../app/services/engagement-limit.server";
import { popularSource } from "../../app/services/discovery/feed/sources.server";
import { engagementCounts, searchLog } from "../../db/tables";
import { storeImage } from "../../app/services/images.server";
import { sql } from "drizzle-orm";
import { exec, first } from "../../app/services/data/raw.server";
import { makeUser, pngBytes, testDb, testEngine } from "./helpers";

let db: Db;
let ana: User;
let ben: User;
let publicCard: number;
let privateCard: number;

const rows = async () => db.select().from(engagements).orderBy(engagements.id);
const who = (u: User | null, key = u ? `u:${u.id}` : "v:visitor-key-0123456789") => ({ userId: u?.id ?? null, sessionKey: key });

beforeAll(async () => {
  db = await testDb();
  ana = await makeUser(db, "Ana");
  ben = await makeUser(db, "Ben");
  const image = await storeImage(db, await pngBytes());
  const open = await createBoard(db, ana.id, { title: "Open", description: "", lang: "en", visibility: "public" });
  const closed = await createBoard(db, ana.id, { title: "Mine", description: "", lang: "en", visibility: "private" });
  publicCard = (await createCard(db, ana, open.id, { title: "apple", alt: "An apple", cue: "", note: "", lang: "en" }, image)).id;
  privateCard = (await createCard(db, ana, closed.id, { title: "secret", alt: "A secret", cue: "", note: "", lang: "en" }, image)).id;
});

afterEach(async () => {
  await db.delete(engagements);
  await db.delete(engagementCounts);
  await resetEngagementLimits(db);
  setClusterRecompute(null);
});

describe("recordEngagement", () => {
  it("accepts events on visible cards and has them committed when it returns", async () => {
    const r = await recordEngagement(db, who(ben), [
      { pinId: publicCard, action: "closeup", surface: "card" },
      { pinId: publicCard, action: "click", surface: "search", query: "fruit", position: 3 },
    ]);
    expect(r).toEqual({ accepted: 2, refused: 0 });
    const written = await rows();
    expect(written.map((e) => [e.userId, e.sessionKey, e.pinId, e.action, e.surface, e.query, e.position])).toEqual([
      [ben.id, `u:${ben.id}`, publicCard, "closeup", "card", null, null],
      [ben.id, `u:${ben.id}`, publicCard, "click", "search", "fruit", 3],
    ]);
  });

  it("refuses unknown cards, someone else's private card and malformed events", async () => {
    const r = await recordEngagement(db, who(ben), [
      { pinId: 999_999, action: "click", surface: "home" },
      { pinId: privateCard, action: "closeup", surface: "card" },
      { pinId: publicCard, action: "stare", surface: "home" },
      { pinId: publicCard, action: "click", surface: "nowhere" },
      { pinId: -1, action: "click", surface: "home" },
      { pinId: "1", action: "click", surface: "home" },
      null,
      { pinId: publicCard, action: "click", surface: "home", position: -2 },
    ]);
    expect(r).toEqual({ accepted: 0, refused: 8 });
    // A visitor cannot see the private card either; its owner can.
    expect(await recordEngagement(db, who(null), [{ pinId: privateCard, action: "closeup", surface: "card" }])).toEqual({
      accepted: 0,
      refused: 1,
    });
    expect(await recordEngagement(db, who(ana), [{ pinId: privateCard, action: "closeup", surface: "card" }])).toEqual({
      accepted: 1,
      refused: 0,
    });
    expect((await rows()).map((e) => e.pinId)).toEqual([privateCard]);
  });

  it("writes a burst of thousands at once, losing nothing, and counts it once per card and action", async () => {
    const burst = Array.from({ length: 5_003 }, (_, i) => ({
      pinId: publicCard,
      action: "impression" as const,
      surface: "search" as const,
      position: i,
    }));
    const r = await recordEngagement(db, who(ben), burst);
    expect(r.accepted).toBe(5_003);
    const positions = (await rows()).map((e) => e.position!).sort((a, b) => a - b);
    expect(positions).toHaveLength(5_003);
    expect(new Set(positions).size).toBe(5_003);
    expect(positions[5_002]).toBe(5_002);
    expect(await db.select().from(engagementCounts)).toEqual([
      { pinId: publicCard, action: "impression", source: `u:${ben.id}`, day: Math.floor(Date.now() / 86_400_000) },
    ]);
  });
});

describe("rate limit", () => {
  it("limits a visitor by address (stored in the database), whatever cookie each request carries", async () => {
    const many = Array.from({ length: 100 }, () => ({ pinId: publicCard, action: "impression", surface: "home" }));
    const max = ENGAGEMENT_LIMITS.visitor.points;
    let accepted = 0;
    let limited = 0;
    // A new cookie (session key) on every request: the source (the hashed address) stays the same.
    for (let i = 0; i < max / 100 + 2; i++) {
      const r = await recordFromClient(db, { userId: null, sessionKey: `v:fresh-cookie-${i}-0000000`, source: "ip:flooder" }, many);
      accepted += r.accepted;
      limited += r.limited;
    }
    expect(accepted).toBe(max);
    expect(limited).toBe(200);
    // The count is in the database, not in this process's memory.
    const stored = await first<{ points: number }>(db, sql`SELECT points FROM rate_limit WHERE key LIKE 'eng-%ip:flooder'`);
    expect(Number(stored?.points)).toBeGreaterThanOrEqual(max);
    // Another address is not affected; an account has its own, smaller bucket.
    expect(
      (await recordFromClient(db, { userId: null, sessionKey: "v:someone-else-000000", source: "ip:other" }, many.slice(0, 5))).accepted,
    ).toBe(5);
    const mine = await recordFromClient(db, who(ben), [...many, ...many]);
    expect(mine).toMatchObject({ accepted: ENGAGEMENT_LIMITS.account.points, limited: 200 - ENGAGEMENT_LIMITS.account.points });
  });

  it("refuses saves and practice ratings claimed by a page: the server logs those itself", async () => {
    const before = (await rows()).length;
    const r = await recordFromClient(db, who(null, "v:claimer-00000000000"), [
      { pinId: publicCard, action: "save", surface: "card" },
      { pinId: publicCard, action: "practice", surface: "practice" },
      { pinId: publicCard, action: "click", surface: "home" },
    ]);
    expect(r).toEqual({ accepted: 1, refused: 2, limited: 0 });
    expect((await rows()).slice(before).map((e) => e.action)).toEqual(["click"]);
  });
});

describe("cluster recompute", () => {
  it("is scheduled after a save, or after ten events, once per person, off the request path", async () => {
    const calls: number[] = [];
    const seen: Promise<number>[] = [];
    setClusterRecompute((d, userId) => {
      expect(d).toBe(db);
      seen.push(rows().then((r) => r.length)); // read when the recompute starts
      calls.push(userId);
    });
    await recordEngagement(db, who(ben), [{ pinId: publicCard, action: "closeup", surface: "card" }]);
    expect(recomputePending(db, ben.id)).toBe(false);
    await recordEngagement(db, who(ben), [{ pinId: publicCard, action: "save", surface: "card" }]);
    expect(recomputePending(db, ben.id)).toBe(true);
    await recordEngagement(db, who(ben), [{ pinId: publicCard, action: "hide", surface: "home" }]);
    expect(calls).toEqual([]); // nothing runs inside the request
    expect(runPendingRecomputes()).toBe(1);
    expect(calls).toEqual([ben.id]);
    // Impressions never count; ten meaningful events do.
    await recordEngagement(
      db,
      who(ana),
      Array.from({ length: 30 }, () => ({ pinId: publicCard, action: "impression", surface: "home" })),
    );
    expect(recomputePending(db, ana.id)).toBe(false);
    await recordEngagement(
      db,
      who(ana),
      Array.from({ length: 10 }, () => ({ pinId: publicCard, action: "click", surface: "home" })),
    );
    expect(recomputePending(db, ana.id)).toBe(true);
    runPendingRecomputes();
    expect(calls).toEqual([ben.id, ana.id]);
    // Events are written before clusters are computed.
    for (const n of await Promise.all(seen)) expect(n).toBeGreaterThan(0);
  });
});

describe("history", () => {
  it("pages a person's own events, newest first", async () => {
    const events = Array.from({ length: HISTORY_PAGE_SIZE + 5 }, (_, i) => ({
      pinId: publicCard,
      action: "click",
      surface: "home",
      position: i,
    }));
    await recordEngagement(db, who(ben), events);
    await recordEngagement(db, who(ana), [{ pinId: publicCard, action: "save", surface: "card" }]);
    const p1 = await historyPage(db, ben.id, 1);
    expect(p1.total).toBe(HISTORY_PAGE_SIZE + 5);
    expect(p1.pages).toBe(2);
    expect(p1.rows).toHaveLength(HISTORY_PAGE_SIZE);
    expect(p1.rows[0]!.title).toBe("apple");
    const p2 = await historyPage(db, ben.id, 2);
    expect(p2.rows).toHaveLength(5);
    expect((await historyPage(db, ben.id, 99)).page).toBe(2); // out of range → last page
    expect((await historyPage(db, ana.id, 1)).rows.map((r) => r.action)).toEqual(["save"]);
    // Impressions only when asked for, and counted either way.
    await recordEngagement(db, who(ana), [{ pinId: publicCard, action: "impression", surface: "home" }]);
    expect(await historyPage(db, ana.id, 1)).toMatchObject({ total: 1, seen: 1 });
    expect((await historyPage(db, ana.id, 1, { impressions: true })).rows.map((r) => r.action)).toEqual(["impression", "save"]);
  });

  it("shows the word of a card only while the person may still see it", async () => {
    const board = await createBoard(db, ana.id, { title: "Soon private", description: "", lang: "en", visibility: "public" });
    const image = await storeImage(db, await pngBytes(22, 22, "#00aa00"));
    const card = (await createCard(db, ana, board.id, { title: "pear", alt: "A pear", cue: "", note: "", lang: "en" }, image)).id;
    await recordEngagement(db, who(ben), [{ pinId: card, action: "closeup", surface: "card" }]);
    expect((await historyPage(db, ben.id, 1)).rows[0]).toMatchObject({ pinId: card, title: "pear", lang: "en" });
    await exec(db, sql`UPDATE board SET visibility = 'private' WHERE id = ${board.id}`);
    expect((await historyPage(db, ben.id, 1)).rows[0]).toMatchObject({ pinId: card, title: null, lang: null });
  });

  it("deletes all of a person's events, counts, searches and clusters, and nobody else's", async () => {
    await recordEngagement(db, who(ben), [{ pinId: publicCard, action: "closeup", surface: "card" }]);
    await recordEngagement(db, who(ben), [{ pinId: publicCard, action: "save", surface: "card" }]);
    await recordEngagement(db, who(ana), [{ pinId: publicCard, action: "closeup", surface: "card" }]);
    for (const u of [ben, ana])
      await db.insert(searchLog).values({ query: `q${u.id}`, normalized: `q${u.id}`, lang: "en", resultCount: 1, sessionKey: `u:${u.id}` });
    await db
      .insert(userClusters)
      .values({ userId: ben.id, position: 0, medoidPinId: publicCard, importance: 1, size: 1, computedAt: new Date() });
    await db
      .insert(userClusters)
      .values({ userId: ana.id, position: 0, medoidPinId: publicCard, importance: 1, size: 1, computedAt: new Date() });
    for (const u of [ben, ana])
      await db
        .insert(userRankingClusters)
        .values({ userId: u.id, position: 0, medoidPinId: publicCard, importance: 1, size: 1, computedAt: new Date() });
    expect(await deleteHistory(db, ben.id)).toEqual({ deleted: 2, searches: 1 });
    expect((await rows()).map((e) => e.userId)).toEqual([ana.id]);
    expect((await db.select().from(userClusters)).map((c) => c.userId)).toEqual([ana.id]);
    expect((await db.select().from(userRankingClusters)).map((c) => c.userId)).toEqual([ana.id]);
    expect((await db.select().from(searchLog)).map((r) => r.sessionKey)).toEqual([`u:${ana.id}`]);
    expect((await db.select().from(engagementCounts)).map((r) => r.source)).toEqual([`u:${ana.id}`]);
    expect(await historyPage(db, ben.id, 1)).toMatchObject({ total: 0, rows: [], pages: 1 });
    // Events still on their way from pages open before the deletion are not kept either.
    expect(await recordEngagement(db, who(ben), [{ pinId: publicCard, action: "impression", surface: "home" }])).toEqual({
      accepted: 0,
      refused: 1,
    });
    expect(await recordEngagement(db, who(ana), [{ pinId: publicCard, action: "impression", surface: "home" }])).toEqual({
      accepted: 1,
      refused: 0,
    });
    await db.delete(searchLog);
  });
});

describe("popularity", () => {
  it("counts a source once per card: 2,400 events from one client do not outrank a card two people saved", async () => {
    const image = await storeImage(db, await pngBytes(24, 24, "#0000aa"));
    const b1 = await createBoard(db, ana.id, { title: "Pop 1", description: "", lang: "es", visibility: "public" });
    const b2 = await createBoard(db, ben.id, { title: "Pop 2", description: "", lang: "es", visibility: "public" });
    const liked = (await createCard(db, ana, b1.id, { title: "manzana", alt: "Una manzana", cue: "", note: "", lang: "es" }, image)).id;
    await exec(db, sql`INSERT INTO board_pin (board_id, pin_id, position, saved_by) VALUES (${b2.id}, ${liked}, 0, ${ben.id})`);
    const pushed = (await createCard(db, ana, b1.id, { title: "pera", alt: "Una pera", cue: "", note: "", lang: "es" }, image)).id;
    const top = async () => (await popularSource(db, ["es"], 10, Date.now())).items.map((c) => c.pinId);
    expect((await top()).slice(0, 2)).toEqual([liked, pushed]);
    for (let i = 0; i < 24; i++) {
      const batch = Array.from({ length: 100 }, (_, k) => ({
        pinId: pushed,
        action: (["click", "closeup", "readaloud"] as const)[k % 3],
        surface: "home",
      }));
      await recordEngagement(db, { userId: null, sessionKey: `v:cookie-${i}-000000000000`, source: "ip:one-client" }, batch);
    }
    expect((await rows()).filter((e) => e.pinId === pushed)).toHaveLength(2_400);
    expect((await top())[0]).toBe(liked);
    // Three different people engaging do lift it (0.5 each): popularity still moves.
    for (const s of ["ip:a", "ip:b"])
      await recordEngagement(db, { userId: null, sessionKey: `v:${s}-0000000000000000`, source: s }, [
        { pinId: pushed, action: "click", surface: "home" },
      ]);
    expect((await top())[0]).toBe(pushed);
  });
});

describe("process killed", () => {
  // SQLite's durability (WAL, one file the child opens); PostgreSQL's commit is the server's.
  it.skipIf(testEngine === "pg")(
    "keeps every event recordEngagement returned for, even when the process is killed (SIGKILL) right after",
    async () => {
      const { spawnSync } = await import("node:child_process");
      const { writeFileSync } = await import("node:fs");
      const { join } = await import("node:path");
      const dir = process.env.TABLERO_DATA_DIR!;
      const script = join(dir, "burst.ts");
      const root = process.cwd();
      writeFileSync(
        script,
        `import { openDb } from "${root}/db/client";
       import { recordEngagement } from "${root}/app/services/engagement.server";
       const db = openDb(${JSON.stringify(join(dir, "tablero.db"))});
       // (A function, not top-level await: this file sits outside the package, so tsx runs it as CommonJS.)
       async function main() {
         let n = 0;
         for (let i = 0; i < 37; i++) n += (await recordEngagement(db, { userId: null, sessionKey: "v:kill-test-000000000" },
           Array.from({ length: 9 }, (_, k) => ({ pinId: ${publicCard}, action: "impression", surface: "home", position: i * 9 + k })))).accepted;
         console.log(n);
         process.kill(process.pid, "SIGKILL");
         setTimeout(() => console.log("still running"), 5000);
       }
       void main();`,
      );
      const child = spawnSync(join(root, "node_modules/.bin/tsx"), [script], { encoding: "utf8", env: { ...process.env } });
      expect(child.stdout.trim()).toBe("333");
      expect(child.signal ?? child.status).toBeTruthy();
      expect(await db.select().from(engagements).where(eq(engagements.sessionKey, "v:kill-test-000000000"))).toHaveLength(333);
    },
  );
});
