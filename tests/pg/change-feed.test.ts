import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { makePool, openPg, type PgHandle } from "../../db/pg/client";
import { followChanges, type Change, type Follower } from "../../app/services/pg/change-feed.server";
import { putPinText } from "../../app/services/pg/text-index.server";
import { deleteVectorPg, upsertVectorPg } from "../../app/services/pg/vectors.server";
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

/** A card's vector (pin_vec has no foreign key: any id will do), the write the feed announces as `pin_vec`. */
const putVec = (id: number) => upsertVectorPg(h.primaryPool, "pin_vec", id, Float32Array.from([1, id]));

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
    for (let i = 1; i <= 20; i++) await putVec(100 + i);
    await until(() => seen.length >= 20);
    expect(seen.map((c) => c.rowId)).toEqual(Array.from({ length: 20 }, (_, i) => 101 + i));
    const seqs = seen.map((c) => c.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seen[0]).toMatchObject({ topic: "pin_vec", op: "upsert" });
    expect(seen[0]!.at).toBeGreaterThan(Date.now() - 60_000); // epoch ms, as SQLite's
  });

  it("catches up from the last seq it was given, without any NOTIFY", async () => {
    const from = await maxSeq();
    await putVec(201);
    await deleteVectorPg(h.primaryPool, "pin_vec", 201);
    const seen: Change[] = [];
    const f = follow(from, seen);
    await until(() => seen.some((c) => c.op === "delete"));
    expect(seen.map((c) => [c.rowId, c.op])).toEqual([
      [201, "upsert"],
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
    for (let i = 1; i <= 5; i++) await putVec(300 + i);
    await until(() => seen.length >= 5);
    expect(seen.map((c) => c.rowId)).toEqual([301, 302, 303, 304, 305]);
    expect(errors.length).toBeGreaterThan(0); // the drop was noticed, not silently ignored
    // And it is listening again: a new write arrives without polling.
    await putVec(306);
    await until(() => seen.some((c) => c.rowId === 306));
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
    await a.query("INSERT INTO pin_vec (pin_id, embedding) VALUES (401, '\\x0000803f')");
    const other = makePool(url, 2);
    const b = other.query("INSERT INTO pin_vec (pin_id, embedding) VALUES (402, '\\x0000803f')");
    await new Promise((r) => setTimeout(r, 300));
    await a.query("COMMIT");
    await b;
    // A rolled-back change leaves no row and holds nothing up.
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query("BEGIN");
    await c.query("INSERT INTO pin_vec (pin_id, embedding) VALUES (403, '\\x0000803f')");
    await c.query("ROLLBACK");
    await h.primaryPool.query("INSERT INTO pin_vec (pin_id, embedding) VALUES (404, '\\x0000803f')");
    await until(() => seen.some((x) => x.rowId === 404));
    expect(seen.map((x) => x.rowId)).toEqual([401, 402, 404]);
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
        if (c.rowId === 502 && failures < 2) {
          failures++;
          throw new Error("index not ready");
        }
        seen.push(c.rowId);
      },
    });
    await new Promise((r) => setTimeout(r, 200));
    for (const id of [501, 502, 503]) await putVec(id);
    await until(() => seen.includes(503));
    expect(seen).toEqual([501, 502, 503]);
    expect(errors).toHaveLength(2);
  });

  it("logs only what SQLite's feed logs: the text tables, other vectors and embedding_state stay out", async () => {
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
    const pinId = p.rows[0]!.id;
    const boardId = b.rows[0]!.id;
    // None of these is followed on SQLite (no trigger there), so none is here.
    await putPinText(h.primaryPool, pinId, { title: "P" });
    await upsertVectorPg(h.primaryPool, "board_vec", boardId, Float32Array.from([1]));
    await upsertVectorPg(h.primaryPool, "pin_sage_vec", pinId, Float32Array.from([1]));
    await h.primaryPool.query("UPDATE pin SET title = 'P2' WHERE id = $1", [pinId]);
    await h.primaryPool.query("UPDATE board SET title = 'B2', visibility = 'public' WHERE id = $1", [boardId]);
    await h.primaryPool.query(
      "INSERT INTO embedding_state (kind, ref_id, content_hash, embedded_text) VALUES ('pin', $1, 'h', 'P'), ('board', $2, 'h', 'B')",
      [pinId, boardId],
    );
    const { rows } = await h.primaryPool.query<{ topic: string; row_id: number; op: string }>(
      "SELECT topic, row_id, op FROM change_log WHERE seq > $1 ORDER BY seq",
      [from],
    );
    expect(rows).toEqual([{ topic: "graph", row_id: boardId, op: "upsert" }]); // the board's creation
  });
});
