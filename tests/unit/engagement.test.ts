import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client";
import { engagements, pins, userClusters, userRankingClusters, type User } from "../../db/schema";
import { createBoard } from "../../app/services/boards.server";
import { createCard } from "../../app/services/cards.server";
import {
  deleteHistory,
  FLUSH_AT,
  FLUSH_MS,
  flushEngagement,
  historyPage,
  HISTORY_PAGE_SIZE,
  pendingEngagement,
  RATE,
  recomputePending,
  recordEngagement,
  recordFromClient,
  resetRateLimits,
  runPendingRecomputes,
  setClusterRecompute,
} from "../../app/services/engagement.server";
import { storeImage } from "../../app/services/images.server";
import { makeUser, pngBytes, tempDb } from "./helpers";

let db: Db;
let ana: User;
let ben: User;
let publicCard: number;
let privateCard: number;

const rows = () => db.select().from(engagements).all();
const who = (u: User | null, key = u ? `u:${u.id}` : "v:visitor-key-0123456789") => ({ userId: u?.id ?? null, sessionKey: key });

beforeAll(async () => {
  db = tempDb();
  ana = await makeUser(db, "Ana");
  ben = await makeUser(db, "Ben");
  const image = await storeImage(db, await pngBytes());
  const open = createBoard(db, ana.id, { title: "Open", description: "", lang: "en", visibility: "public" });
  const closed = createBoard(db, ana.id, { title: "Mine", description: "", lang: "en", visibility: "private" });
  publicCard = createCard(db, ana, open.id, { title: "apple", alt: "An apple", cue: "", note: "", lang: "en" }, image).id;
  privateCard = createCard(db, ana, closed.id, { title: "secret", alt: "A secret", cue: "", note: "", lang: "en" }, image).id;
});

afterEach(() => {
  flushEngagement(db);
  db.delete(engagements).run();
  resetRateLimits();
  setClusterRecompute(null);
});

describe("recordEngagement", () => {
  it("accepts events on visible cards and writes them on flush, not before", () => {
    const r = recordEngagement(db, who(ben), [
      { pinId: publicCard, action: "closeup", surface: "card" },
      { pinId: publicCard, action: "click", surface: "search", query: "fruit", position: 3 },
    ]);
    expect(r).toEqual({ accepted: 2, refused: 0 });
    expect(rows()).toHaveLength(0);
    expect(pendingEngagement(db)).toBe(2);
    expect(flushEngagement(db)).toBe(2);
    const written = rows();
    expect(written.map((e) => [e.userId, e.sessionKey, e.pinId, e.action, e.surface, e.query, e.position])).toEqual([
      [ben.id, `u:${ben.id}`, publicCard, "closeup", "card", null, null],
      [ben.id, `u:${ben.id}`, publicCard, "click", "search", "fruit", 3],
    ]);
  });

  it("refuses unknown cards, someone else's private card and malformed events", () => {
    const r = recordEngagement(db, who(ben), [
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
    expect(recordEngagement(db, who(null), [{ pinId: privateCard, action: "closeup", surface: "card" }])).toEqual({ accepted: 0, refused: 1 });
    expect(recordEngagement(db, who(ana), [{ pinId: privateCard, action: "closeup", surface: "card" }])).toEqual({ accepted: 1, refused: 0 });
    flushEngagement(db);
    expect(rows().map((e) => e.pinId)).toEqual([privateCard]);
  });

  it("flushes by itself after a short wait", async () => {
    recordEngagement(db, who(null), [{ pinId: publicCard, action: "impression", surface: "home", position: 0 }]);
    expect(rows()).toHaveLength(0);
    await new Promise((r) => setTimeout(r, FLUSH_MS + 150));
    expect(pendingEngagement(db)).toBe(0);
    const [e] = rows();
    expect(e?.userId).toBeNull();
    expect(e?.sessionKey).toBe("v:visitor-key-0123456789");
  });

  it("writes a full batch at once, and a burst of thousands loses nothing", () => {
    const burst = Array.from({ length: 5_003 }, (_, i) => ({ pinId: publicCard, action: "impression" as const, surface: "search" as const, position: i }));
    const r = recordEngagement(db, who(ben), burst);
    expect(r.accepted).toBe(5_003);
    // Full batches went out while recording; only the remainder waits.
    expect(pendingEngagement(db)).toBeLessThan(FLUSH_AT);
    expect(rows().length).toBe(5_003 - pendingEngagement(db));
    flushEngagement(db);
    const positions = rows()
      .map((e) => e.position!)
      .sort((a, b) => a - b);
    expect(positions).toHaveLength(5_003);
    expect(new Set(positions).size).toBe(5_003);
    expect(positions[5_002]).toBe(5_002);
  });

  it("drops only the events of a card deleted while they waited", async () => {
    const image = await storeImage(db, await pngBytes(20, 20, "#aa0000"));
    const board = createBoard(db, ana.id, { title: "Temp", description: "", lang: "en", visibility: "public" });
    const doomed = createCard(db, ana, board.id, { title: "gone", alt: "Gone", cue: "", note: "", lang: "en" }, image).id;
    recordEngagement(db, who(ben), [
      { pinId: doomed, action: "closeup", surface: "card" },
      { pinId: publicCard, action: "closeup", surface: "card" },
    ]);
    db.delete(pins).where(eq(pins.id, doomed)).run();
    flushEngagement(db);
    expect(rows().map((e) => e.pinId)).toEqual([publicCard]);
  });
});

describe("rate limit", () => {
  it("lets a burst of 60 through, drops the rest, and refills over time", () => {
    const many = Array.from({ length: 100 }, () => ({ pinId: publicCard, action: "impression", surface: "home" }));
    const t0 = 1_000_000;
    const first = recordFromClient(db, who(null, "v:flooder-0000000000"), many, t0);
    expect(first).toEqual({ accepted: RATE.capacity, refused: 0, limited: 100 - RATE.capacity });
    expect(recordFromClient(db, who(null, "v:flooder-0000000000"), many.slice(0, 5), t0 + 10).limited).toBe(5);
    // Another session is not affected.
    expect(recordFromClient(db, who(null, "v:someone-else-000000"), many.slice(0, 5), t0 + 10).accepted).toBe(5);
    // Ten seconds later the bucket is full again.
    expect(recordFromClient(db, who(null, "v:flooder-0000000000"), many, t0 + 10_010).accepted).toBe(RATE.capacity);
    flushEngagement(db);
    expect(rows()).toHaveLength(RATE.capacity * 2 + 5);
  });

  it("refuses saves and practice ratings claimed by a page: the server logs those itself", () => {
    const before = rows().length;
    const r = recordFromClient(db, who(null, "v:claimer-00000000000"), [
      { pinId: publicCard, action: "save", surface: "card" },
      { pinId: publicCard, action: "practice", surface: "practice" },
      { pinId: publicCard, action: "click", surface: "home" },
    ]);
    expect(r).toEqual({ accepted: 1, refused: 2, limited: 0 });
    flushEngagement(db);
    expect(rows().slice(before).map((e) => e.action)).toEqual(["click"]);
  });
});

describe("cluster recompute", () => {
  it("is scheduled after a save, or after ten events, once per person, off the request path", () => {
    const calls: number[] = [];
    setClusterRecompute((d, userId) => {
      expect(d).toBe(db);
      expect(pendingEngagement(db)).toBe(0); // events are written before clusters are computed
      calls.push(userId);
    });
    recordEngagement(db, who(ben), [{ pinId: publicCard, action: "closeup", surface: "card" }]);
    expect(recomputePending(db, ben.id)).toBe(false);
    recordEngagement(db, who(ben), [{ pinId: publicCard, action: "save", surface: "card" }]);
    expect(recomputePending(db, ben.id)).toBe(true);
    recordEngagement(db, who(ben), [{ pinId: publicCard, action: "hide", surface: "home" }]);
    expect(calls).toEqual([]); // nothing runs inside the request
    expect(runPendingRecomputes()).toBe(1);
    expect(calls).toEqual([ben.id]);
    // Impressions never count; ten meaningful events do.
    recordEngagement(
      db,
      who(ana),
      Array.from({ length: 30 }, () => ({ pinId: publicCard, action: "impression", surface: "home" }))
    );
    expect(recomputePending(db, ana.id)).toBe(false);
    recordEngagement(
      db,
      who(ana),
      Array.from({ length: 10 }, () => ({ pinId: publicCard, action: "click", surface: "home" }))
    );
    expect(recomputePending(db, ana.id)).toBe(true);
    runPendingRecomputes();
    expect(calls).toEqual([ben.id, ana.id]);
  });
});

describe("history", () => {
  it("pages a person's own events, newest first", () => {
    const events = Array.from({ length: HISTORY_PAGE_SIZE + 5 }, (_, i) => ({ pinId: publicCard, action: "click", surface: "home", position: i }));
    recordEngagement(db, who(ben), events);
    recordEngagement(db, who(ana), [{ pinId: publicCard, action: "save", surface: "card" }]);
    const p1 = historyPage(db, ben.id, 1);
    expect(p1.total).toBe(HISTORY_PAGE_SIZE + 5);
    expect(p1.pages).toBe(2);
    expect(p1.rows).toHaveLength(HISTORY_PAGE_SIZE);
    expect(p1.rows[0]!.title).toBe("apple");
    const p2 = historyPage(db, ben.id, 2);
    expect(p2.rows).toHaveLength(5);
    expect(historyPage(db, ben.id, 99).page).toBe(2); // out of range → last page
    expect(historyPage(db, ana.id, 1).rows.map((r) => r.action)).toEqual(["save"]);
    // Impressions only when asked for, and counted either way.
    recordEngagement(db, who(ana), [{ pinId: publicCard, action: "impression", surface: "home" }]);
    expect(historyPage(db, ana.id, 1)).toMatchObject({ total: 1, seen: 1 });
    expect(historyPage(db, ana.id, 1, { impressions: true }).rows.map((r) => r.action)).toEqual(["impression", "save"]);
  });

  it("shows the word of a card only while the person may still see it", async () => {
    const board = createBoard(db, ana.id, { title: "Soon private", description: "", lang: "en", visibility: "public" });
    const image = await storeImage(db, await pngBytes(22, 22, "#00aa00"));
    const card = createCard(db, ana, board.id, { title: "pear", alt: "A pear", cue: "", note: "", lang: "en" }, image).id;
    recordEngagement(db, who(ben), [{ pinId: card, action: "closeup", surface: "card" }]);
    expect(historyPage(db, ben.id, 1).rows[0]).toMatchObject({ pinId: card, title: "pear", lang: "en" });
    db.$client.prepare("UPDATE board SET visibility = 'private' WHERE id = ?").run(board.id);
    expect(historyPage(db, ben.id, 1).rows[0]).toMatchObject({ pinId: card, title: null, lang: null });
  });

  it("deletes all of a person's events, queued ones too, and their clusters, and nobody else's", () => {
    recordEngagement(db, who(ben), [{ pinId: publicCard, action: "closeup", surface: "card" }]);
    flushEngagement(db);
    recordEngagement(db, who(ben), [{ pinId: publicCard, action: "save", surface: "card" }]); // still queued
    recordEngagement(db, who(ana), [{ pinId: publicCard, action: "closeup", surface: "card" }]);
    db.insert(userClusters).values({ userId: ben.id, position: 0, medoidPinId: publicCard, importance: 1, size: 1, computedAt: new Date() }).run();
    db.insert(userClusters).values({ userId: ana.id, position: 0, medoidPinId: publicCard, importance: 1, size: 1, computedAt: new Date() }).run();
    for (const u of [ben, ana]) db.insert(userRankingClusters).values({ userId: u.id, position: 0, medoidPinId: publicCard, importance: 1, size: 1, computedAt: new Date() }).run();
    expect(deleteHistory(db, ben.id).deleted).toBe(2);
    flushEngagement(db);
    expect(rows().map((e) => e.userId)).toEqual([ana.id]);
    expect(
      db
        .select()
        .from(userClusters)
        .all()
        .map((c) => c.userId)
    ).toEqual([ana.id]);
    expect(db.select().from(userRankingClusters).all().map((c) => c.userId)).toEqual([ana.id]);
    expect(historyPage(db, ben.id, 1)).toMatchObject({ total: 0, rows: [], pages: 1 });
    // Events still on their way from pages open before the deletion are not kept either.
    expect(recordEngagement(db, who(ben), [{ pinId: publicCard, action: "impression", surface: "home" }])).toEqual({ accepted: 0, refused: 1 });
    expect(recordEngagement(db, who(ana), [{ pinId: publicCard, action: "impression", surface: "home" }])).toEqual({ accepted: 1, refused: 0 });
  });
});

describe("process exit", () => {
  it("writes queued events when the process is told to stop (SIGTERM) before the timer fires", async () => {
    const { spawnSync } = await import("node:child_process");
    const { writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const dir = process.env.TABLERO_DATA_DIR!;
    const script = join(dir, "burst.ts");
    const root = process.cwd();
    writeFileSync(
      script,
      `import { openDb } from "${root}/db/client";
       import { recordEngagement, pendingEngagement } from "${root}/app/services/engagement.server";
       const db = openDb(${JSON.stringify(join(dir, "tablero.db"))});
       const r = recordEngagement(db, { userId: null, sessionKey: "v:exit-test-000000000" },
         Array.from({ length: 321 }, (_, i) => ({ pinId: ${publicCard}, action: "impression", surface: "home", position: i })));
       console.log(r.accepted, pendingEngagement(db));
       process.kill(process.pid, "SIGTERM");
       setTimeout(() => console.log("still running"), 5000);`
    );
    const child = spawnSync(join(root, "node_modules/.bin/tsx"), [script], { encoding: "utf8", env: { ...process.env } });
    expect(child.stdout.trim()).toBe("321 321"); // all queued, none written, when the signal came
    expect(child.status).toBe(143);
    expect(db.select().from(engagements).where(eq(engagements.sessionKey, "v:exit-test-000000000")).all()).toHaveLength(321);
  });
});
