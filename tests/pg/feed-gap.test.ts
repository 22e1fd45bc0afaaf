/**
 * A node cut off from PostgreSQL's change feed for longer than change_log keeps rows (pruneChanges:
 * 10 minutes) must notice that changes were pruned before it read them, and rebuild what it derives
 * from the tables (issue 13; SQLite's poller already does: tests/unit/change-feed.test.ts). A gap
 * left by a rolled-back transaction, with the rows before it still there, is not such a loss.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPg, type PgHandle } from "../../db/pg/client";
import type { Db } from "../../app/services/db.server";
import { caughtUp, resets, startFollowing, stopFollowing } from "../../app/services/changes/feed.server";
import { followChanges, type Follower } from "../../app/services/pg/change-feed.server";
import { upsertVectorPg } from "../../app/services/pg/vectors.server";
import { pinIndex } from "../../app/services/vectors.server";
import { freshDatabase } from "./db";

let h: PgHandle;
let db: Db;
let url: string;
let drop: () => Promise<void>;
const followers: Follower[] = [];

beforeAll(async () => {
  const fresh = await freshDatabase("feedgap", { migrated: true });
  drop = fresh.drop;
  url = fresh.url;
  h = await openPg(url, { migrate: false });
  db = h.primary as unknown as Db;
});
afterAll(async () => {
  for (const f of followers) await f.stop();
  await stopFollowing(db);
  await h?.close();
  await drop?.();
});

const unit = (k: number) => {
  const v = new Float32Array(512);
  v[k] = 1;
  return v;
};
const putVec = (id: number, c: pg.Pool | pg.PoolClient = h.primaryPool) => upsertVectorPg(c, "pin_vec", id, unit(id % 512));
const maxSeq = async () => (await h.primaryPool.query<{ m: number }>("SELECT coalesce(max(seq), 0) AS m FROM change_log")).rows[0]!.m;
/** What pruneChanges does to rows past their retention, for every row there is. */
const pruneAll = () => h.primaryPool.query("DELETE FROM change_log");

async function until(cond: () => boolean | Promise<boolean>, ms = 5000) {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("change feed: falling behind the pruned horizon", () => {
  it("reports rows pruned before the follower read them, and not a rolled-back gap", async () => {
    await putVec(1);
    const from = await maxSeq();
    // A rolled-back write takes a sequence number and leaves a hole; the rows before it are still there.
    const c = await h.primaryPool.connect();
    try {
      await c.query("BEGIN");
      await putVec(2, c);
      await c.query("ROLLBACK");
    } finally {
      c.release();
    }
    await putVec(3);
    const gaps: { last: number; oldest: number }[] = [];
    const seen: number[] = [];
    const onGap = (g: { last: number; oldest: number }) => void gaps.push(g);
    const f1 = followChanges({ url, pool: h.primaryPool, from, onChange: (ch) => void seen.push(ch.rowId), onGap });
    followers.push(f1);
    await until(() => seen.includes(3));
    expect(gaps).toEqual([]);
    await f1.stop(); // (it would rightly report the gap below too, if it has not read row 4 in time)

    // Now a follower still at `from` while everything up to the newest row was pruned, then one more write.
    await putVec(4);
    const top = await maxSeq();
    await pruneAll();
    await putVec(5);
    const later: number[] = [];
    const f2 = followChanges({ url, pool: h.primaryPool, from, onChange: (ch) => void later.push(ch.rowId), onGap });
    followers.push(f2);
    await until(() => later.includes(5));
    expect(gaps).toEqual([{ last: from, oldest: top + 1 }]);
    expect(later).toEqual([5]); // 3 and 4 are gone: only a rebuild from the tables can know them
  });

  it("rebuilds the node's vector index from the tables when its follower missed pruned changes", async () => {
    await putVec(10);
    expect((await pinIndex(db)).has(10)).toBe(true);
    await startFollowing(db);
    await caughtUp(db);
    const before = resets(db);
    // Written and pruned in one transaction: the follower is told something committed, finds no row,
    // and so never learns about card 11 — as if it had been away while the row came and went.
    const c = await h.primaryPool.connect();
    try {
      await c.query("BEGIN");
      await putVec(11, c);
      await c.query("DELETE FROM change_log");
      await c.query("COMMIT");
    } finally {
      c.release();
    }
    await caughtUp(db);
    expect((await pinIndex(db)).has(11)).toBe(false); // missed, not yet known to be missed
    // The next change reveals the hole: the index is dropped and rebuilt from pin_vec, card 11 included.
    await putVec(12);
    await until(async () => resets(db) > before);
    await until(async () => (await pinIndex(db)).has(12));
    expect((await pinIndex(db)).has(11)).toBe(true);
    expect((await pinIndex(db)).has(10)).toBe(true);
  });
});
