import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { makePool, openPg, type PgHandle } from "../../db/pg/client";
import { followChanges, type Change, type Follower } from "../../app/services/pg/change-feed.server";
import { putPinText } from "../../app/services/pg/text-index.server";
import { freshDatabase } from "./db";

let h: PgHandle;
let url: string;
let drop: () => Promise<void>;
const followers: Follower[] = [];

beforeAll(async () => {
  const fresh = await freshDatabase("feed");
  drop = fresh.drop;
  url = fresh.url;
  h = await openPg(url);
});
afterAll(async () => {
  for (const f of followers) await f.stop();
  await h?.close();
  await drop?.();
});

async function until(cond: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

const maxSeq = async () => (await h.primaryPool.query<{ m: number }>("SELECT coalesce(max(seq), 0) AS m FROM change_log")).rows[0]!.m;

function follow(from: number, seen: Change[], extra: Partial<Parameters<typeof followChanges>[0]> = {}) {
  const f = followChanges({ url, pool: h.primaryPool, from, onChange: (c) => void seen.push(c), ...extra });
  followers.push(f);
  return f;
}

describe("change feed (change_log + LISTEN/NOTIFY)", () => {
  it("logs writes by trigger and delivers them in seq order, soon after commit", async () => {
    const seen: Change[] = [];
    const from = await maxSeq();
    follow(from, seen);
    await new Promise((r) => setTimeout(r, 200)); // listening
    for (let i = 1; i <= 20; i++) await putPinText(h.primaryPool, 100 + i, { title: `card ${i}` });
    await until(() => seen.length >= 20); // pin_tri is not followed: nothing in memory derives from it
    const fts = seen.filter((c) => c.entity === "pin_fts");
    expect(fts.map((c) => c.refId)).toEqual(Array.from({ length: 20 }, (_, i) => 101 + i));
    const seqs = seen.map((c) => c.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(fts[0]).toMatchObject({ op: "insert", ref2Id: null });
  });

  it("catches up from the last seq it was given, without any NOTIFY", async () => {
    const from = await maxSeq();
    await putPinText(h.primaryPool, 201, { title: "made while no follower ran" });
    await h.primaryPool.query("DELETE FROM pin_fts WHERE pin_id = 201");
    const seen: Change[] = [];
    const f = follow(from, seen);
    await until(() => seen.some((c) => c.op === "delete"));
    expect(seen.filter((c) => c.entity === "pin_fts").map((c) => [c.refId, c.op])).toEqual([
      [201, "insert"],
      [201, "delete"],
    ]);
    expect(f.last).toBe(await maxSeq());
  });

  it("survives its connection being killed: reconnects and catches up what happened meanwhile", async () => {
    const seen: Change[] = [];
    const errors: unknown[] = [];
    const from = await maxSeq();
    follow(from, seen, { reconnectMs: 100, onError: (e) => errors.push(e) });
    await new Promise((r) => setTimeout(r, 200));
    const killed = await h.primaryPool.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()",
    );
    expect(killed.rowCount).toBeGreaterThan(0);
    // Written while the follower is (or may be) disconnected.
    for (let i = 1; i <= 5; i++) await putPinText(h.primaryPool, 300 + i, { title: `after kill ${i}` });
    await until(() => seen.filter((c) => c.entity === "pin_fts").length >= 5);
    expect(seen.filter((c) => c.entity === "pin_fts").map((c) => c.refId)).toEqual([301, 302, 303, 304, 305]);
    expect(errors.length).toBeGreaterThan(0); // the drop was noticed, not silently ignored
    // And it is listening again: a new write arrives without polling.
    await putPinText(h.primaryPool, 306, { title: "after reconnect" });
    await until(() => seen.some((c) => c.refId === 306));
  });

  it("orders concurrent writers by commit, and passes over a rolled-back change", async () => {
    const seen: Change[] = [];
    const from = await maxSeq();
    follow(from, seen);
    await new Promise((r) => setTimeout(r, 200));
    // A transaction that writes first but commits last: the second writer waits on the feed's lock,
    // so its seq is drawn after the first commits, never before.
    const a = new pg.Client({ connectionString: url });
    await a.connect();
    await a.query("BEGIN");
    await a.query("INSERT INTO pin_fts (pin_id, title) VALUES (401, 'slow')");
    const other = makePool(url, 2);
    const b = other.query("INSERT INTO pin_fts (pin_id, title) VALUES (402, 'fast')");
    await new Promise((r) => setTimeout(r, 300));
    await a.query("COMMIT");
    await b;
    // A rolled-back change leaves no row and holds nothing up.
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query("BEGIN");
    await c.query("INSERT INTO pin_fts (pin_id, title) VALUES (403, 'never')");
    await c.query("ROLLBACK");
    await h.primaryPool.query("INSERT INTO pin_fts (pin_id, title) VALUES (404, 'after rollback')");
    await until(() => seen.some((x) => x.refId === 404));
    expect(seen.map((x) => x.refId)).toEqual([401, 402, 404]);
    await a.end();
    await c.end();
    await other.end();
  });

  it("offers a change again after its callback threw, without skipping or reordering", async () => {
    const seen: number[] = [];
    const errors: unknown[] = [];
    let failures = 0;
    const from = await maxSeq();
    follow(from, [], {
      reconnectMs: 50,
      onError: (e) => errors.push(e),
      onChange: (c) => {
        if (c.refId === 502 && failures < 2) {
          failures++;
          throw new Error("index not ready");
        }
        seen.push(c.refId);
      },
    });
    await new Promise((r) => setTimeout(r, 200));
    for (const id of [501, 502, 503]) await putPinText(h.primaryPool, id, { title: `retry ${id}` });
    await until(() => seen.includes(503));
    expect(seen).toEqual([501, 502, 503]);
    expect(errors).toHaveLength(2);
  });

  it("logs the tables nodes keep in memory, with both keys of a pin on a board", async () => {
    const from = await maxSeq();
    const u = await h.primaryPool.query<{ id: number }>(
      "INSERT INTO \"user\" (email, password_hash, display_name) VALUES ('a@x', 'h', 'A') RETURNING id",
    );
    const b = await h.primaryPool.query<{ id: number; share_token: string }>(
      "INSERT INTO board (owner_id, title, lang) VALUES ($1, 'B', 'en') RETURNING id, share_token",
      [u.rows[0]!.id],
    );
    expect(b.rows[0]!.share_token).toMatch(/^[0-9a-f]{32}$/); // the share-token trigger (SQLite 0009)
    const p = await h.primaryPool.query<{ id: number }>(
      "INSERT INTO pin (creator_id, title, lang, image_key, image_width, image_height, alt) VALUES ($1, 'P', 'en', 'k', 1, 1, 'a') RETURNING id",
      [u.rows[0]!.id],
    );
    await h.primaryPool.query("INSERT INTO board_pin (board_id, pin_id, position, saved_by) VALUES ($1, $2, 0, $3)", [
      b.rows[0]!.id,
      p.rows[0]!.id,
      u.rows[0]!.id,
    ]);
    await h.primaryPool.query("INSERT INTO pin_vec (pin_id, embedding) VALUES ($1, $2)", [
      p.rows[0]!.id,
      Buffer.from(new Float32Array([1, 0]).buffer),
    ]);
    const { rows } = await h.primaryPool.query<{ entity: string; ref_id: number; ref2_id: number | null }>(
      "SELECT entity, ref_id, ref2_id FROM change_log WHERE seq > $1 ORDER BY seq",
      [from],
    );
    expect(rows).toEqual([
      { entity: "board", ref_id: b.rows[0]!.id, ref2_id: null },
      { entity: "pin", ref_id: p.rows[0]!.id, ref2_id: null },
      { entity: "board_pin", ref_id: b.rows[0]!.id, ref2_id: p.rows[0]!.id },
      { entity: "pin_vec", ref_id: p.rows[0]!.id, ref2_id: null },
    ]);
  });
});
