import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "../../db/client";
import { createBoard, updateBoard } from "../../app/services/boards.server";
import { createCard } from "../../app/services/cards.server";
import { follow, pruneChanges, resets } from "../../app/services/changes/feed.server";
import { flushServed, logSearch, logServedList } from "../../app/services/discovery/served-log.server";
import { deleteHistory, recordEngagement } from "../../app/services/engagement.server";
import { claimLease, dueOnce, releaseLease } from "../../app/services/changes/lease.server";
import { loadGraph } from "../../app/services/graph.server";
import { storeImage } from "../../app/services/images.server";
import { pinIndex } from "../../app/services/vectors.server";
import { makeUser, pngBytes, tempDb } from "./helpers";

// Two connections to one SQLite file stand for two workers: what one writes, the other's in-memory
// vector index and Pixie graph pick up through the change feed (triggers → change_log → follow).
let a: Db;
let b: Db;

beforeAll(() => {
  a = tempDb();
  b = openDb(join(process.env.TABLERO_DATA_DIR!, "tablero.db"));
});
afterAll(() => {
  b.$client.close();
  a.$client.close();
});

const unit = (k: number) => {
  const v = new Float32Array(512);
  v[k] = 1;
  return v;
};
/** What indexing does for a card's vector: pin_vec and embedding_state in one transaction. */
function writeVector(db: Db, id: number, v: Float32Array) {
  db.$client.transaction(() => {
    db.$client.prepare("DELETE FROM pin_vec WHERE pin_id = ?").run(BigInt(id));
    db.$client.prepare("INSERT INTO pin_vec(pin_id, embedding) VALUES (?, ?)").run(BigInt(id), v);
    db.$client
      .prepare(
        "INSERT INTO embedding_state (kind, ref_id, content_hash, embedded_text) VALUES ('pin', ?, ?, '') ON CONFLICT DO UPDATE SET content_hash = excluded.content_hash",
      )
      .run(id, String(v.indexOf(1)));
  })();
}
function dropVector(db: Db, id: number) {
  db.$client.transaction(() => {
    db.$client.prepare("DELETE FROM pin_vec WHERE pin_id = ?").run(BigInt(id));
    db.$client.prepare("DELETE FROM embedding_state WHERE kind = 'pin' AND ref_id = ?").run(id);
  })();
}
const nearest = async (db: Db, k: number) => (await pinIndex(db)).search(unit(k), 1)[0]?.id;

describe("the vector index follows another connection's writes", () => {
  it("adds, replaces and removes", async () => {
    writeVector(a, 9001, unit(1));
    expect((await pinIndex(b)).has(9001)).toBe(true); // built from the table
    writeVector(a, 9002, unit(2));
    expect((await pinIndex(b)).has(9002)).toBe(false); // not followed yet: this is what the feed is for
    expect(follow(b, 0)).toBeGreaterThan(0);
    expect((await pinIndex(b)).has(9002)).toBe(true);
    expect(await nearest(b, 2)).toBe(9002);

    writeVector(a, 9002, unit(7)); // replaced
    follow(b, 0);
    expect(await nearest(b, 7)).toBe(9002);
    expect((await pinIndex(b)).size).toBe(2);

    dropVector(a, 9001);
    follow(b, 0);
    expect((await pinIndex(b)).has(9001)).toBe(false);
  });

  it("rebuilds from scratch when it fell behind the pruned horizon", async () => {
    follow(b, 0);
    const before = resets(b);
    writeVector(a, 9003, unit(3));
    writeVector(a, 9004, unit(4));
    // Rows within the retention stay; with none kept, everything goes and `b` cannot know what it missed.
    expect(await pruneChanges(a)).toBe(0);
    expect(await pruneChanges(a, { keepMs: -1, keepRows: 0 })).toBeGreaterThanOrEqual(2);
    expect(follow(b, 0)).toBe(-1);
    expect(resets(b)).toBe(before + 1);
    expect((await pinIndex(b)).has(9003) && (await pinIndex(b)).has(9004)).toBe(true);
    writeVector(a, 9005, unit(5));
    expect(follow(b, 0)).toBe(1);
    expect((await pinIndex(b)).has(9005)).toBe(true);
  });
});

describe("the Pixie graph follows board changes", () => {
  it("sees a new public board's cards, and loses them when the board turns private", async () => {
    const maker = await makeUser(a, "Maker");
    const board = await createBoard(a, maker.id, { title: "Tools", description: "", lang: "en", visibility: "public" });
    const ids: number[] = [];
    for (const t of ["saw", "drill"])
      ids.push(
        (
          await createCard(
            a,
            maker,
            board.id,
            { title: t, alt: t, cue: "", note: "", lang: "en" },
            await storeImage(a, await pngBytes(30, 20)),
          )
        ).id,
      );
    const built = await loadGraph(b, { checkEveryMs: 0 });
    expect(ids.every((id) => built.pinIndex.has(id))).toBe(true);
    const cached = await loadGraph(b, { checkEveryMs: 0 });
    expect(await loadGraph(b, { checkEveryMs: 0 })).toBe(cached); // nothing changed: no rebuild
    await updateBoard(a, board.id, maker, { title: "Tools", description: "", lang: "en", visibility: "private" });
    const rebuilt = await loadGraph(b, { checkEveryMs: 0 });
    expect(ids.some((id) => rebuilt.pinIndex.has(id))).toBe(false);
  });
});

describe("leases", () => {
  it("one owner at a time; taken over when expired; periodic jobs once per period", async () => {
    const now = 1_000_000;
    expect(await claimLease(a, "job", 1000, { owner: "x:1:a", now })).toBe(true);
    expect(await claimLease(b, "job", 1000, { owner: "x:2:b", now: now + 10 })).toBe(false);
    expect(await claimLease(a, "job", 1000, { owner: "x:1:a", now: now + 500 })).toBe(true); // renewed
    expect(await claimLease(b, "job", 1000, { owner: "x:2:b", now: now + 1200 })).toBe(false);
    expect(await claimLease(b, "job", 1000, { owner: "x:2:b", now: now + 1600 })).toBe(true); // expired
    await releaseLease(b, "job", { owner: "x:2:b" });
    expect(await claimLease(a, "job", 1000, { owner: "x:1:a", now: now + 1700 })).toBe(true);

    expect(await dueOnce(a, "daily", 1000, { owner: "x:1:a", now })).toBe(true);
    expect(await dueOnce(b, "daily", 1000, { owner: "x:2:b", now })).toBe(false);
    expect(await dueOnce(a, "daily", 1000, { owner: "x:1:a", now: now + 10 })).toBe(false);
    expect(await dueOnce(b, "daily", 1000, { owner: "x:2:b", now: now + 1001 })).toBe(true);
  });

  it("takes over from a holder on this machine whose process is gone", async () => {
    expect(await claimLease(a, "import:x", 60_000, { owner: `${hostname()}:999999999:dead` })).toBe(true);
    expect(await claimLease(b, "import:x", 60_000)).toBe(true);
    expect(await claimLease(a, "import:y", 60_000, { owner: `${hostname()}:${process.ppid}:alive` })).toBe(true);
    expect(await claimLease(b, "import:y", 60_000)).toBe(false);
  });
});

describe("deleting one's history holds in every worker", () => {
  it("drops what another worker still had queued, and events sent just after", async () => {
    const me = await makeUser(a, "Forgetful");
    const board = await createBoard(a, me.id, { title: "Mine", description: "", lang: "en", visibility: "public" });
    const card = await createCard(
      a,
      me,
      board.id,
      { title: "kettle", alt: "kettle", cue: "", note: "", lang: "en" },
      await storeImage(a, await pngBytes(20, 20)),
    );
    const key = `u:${me.id}`;
    // Worker b served a search and a list a moment ago; its writer has not run yet.
    logSearch(b, { query: "kettle", normalized: "kettle", lang: "en", resultCount: 1, sessionKey: key });
    logServedList(b, {
      requestId: "before-deletion",
      surface: "search",
      userId: me.id,
      sessionKey: key,
      query: "kettle",
      ranker: "fusion",
      items: [{ pinId: card.id, position: 0, score: 1, features: [] }],
    });
    // Worker a deletes the history; then b's writer runs, and b receives an event from a page left open.
    await deleteHistory(a, me.id);
    flushServed(b);
    const count = (sql: string) => b.$client.prepare(sql).pluck().get(key) as number;
    expect(count("SELECT count(*) FROM search_log WHERE session_key = ?")).toBe(0);
    expect(count("SELECT count(*) FROM served_list WHERE session_key = ?")).toBe(0);
    const late = await recordEngagement(b, { userId: me.id, sessionKey: key }, [{ pinId: card.id, action: "closeup", surface: "card" }]);
    expect(late.accepted).toBe(0);
    // What comes after the deletion is logged as usual.
    await new Promise((r) => setTimeout(r, 5));
    logSearch(b, { query: "kettle", normalized: "kettle", lang: "en", resultCount: 1, sessionKey: key });
    flushServed(b);
    expect(count("SELECT count(*) FROM search_log WHERE session_key = ?")).toBe(1);
  });
});
