// Page data kept between requests on PostgreSQL (data-memo.server.ts, pgDataVersion): two app nodes
// (two pools) on one real database. What node A keeps must never outlive a commit made through node B,
// and nothing is recomputed while nobody writes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPg, type PgHandle } from "../../db/pg/client";
import { users } from "../../db/tables";
import type { Db } from "../../app/services/db.server";
import { createBoard } from "../../app/services/boards.server";
import { memoByData, pgDataVersion } from "../../app/services/data-memo.server";
import { loader as boardPage } from "../../app/routes/boards.$boardId._index";
import { freshDatabase } from "./db";

let a: PgHandle;
let b: PgHandle;
let drop: () => Promise<void>;
const dbOf = (h: PgHandle) => h.primary as unknown as Db;
const g = globalThis as unknown as { __tableroDb?: Db };

beforeAll(async () => {
  const fresh = await freshDatabase("memo", { migrated: true });
  drop = fresh.drop;
  a = await openPg(fresh.url);
  b = await openPg(fresh.url);
  await b.primaryPool.query("CREATE TABLE memo_t (x int)");
});
afterAll(async () => {
  if (g.__tableroDb === dbOf(a)) g.__tableroDb = undefined;
  await a?.close();
  await b?.close();
  await drop?.();
});

describe("memoByData on PostgreSQL", () => {
  // The WAL is the whole cluster's: in CI other test files write to other databases of it at the same
  // time, moving the version. "Nobody writes" is therefore a window in which the version did not move,
  // looked for a few times; a commit always moves it, so those assertions need no window.
  async function quietly<T>(fn: () => Promise<T>): Promise<T> {
    for (let i = 0; i < 50; i++) {
      const before = await pgDataVersion(dbOf(a));
      const r = await fn();
      if ((await pgDataVersion(dbOf(a))) === before) return r;
    }
    throw new Error("no window without a commit in 50 tries");
  }

  it("computes once while nobody writes, again after a commit on another node", async () => {
    let runs = 0;
    const v = () => memoByData(dbOf(a), "pg-count", async () => ++runs);
    // Within a quiet window the second lookup reuses the first's value (whatever the first had to do).
    // The window's results are judged after it: an assertion inside would fail a window that another
    // file's commit disturbed, instead of letting quietly() try again (a CI run failed so).
    const same = await quietly(async () => {
      const start = runs;
      const first = await v();
      const second = await v();
      return { first, second, runs: runs - start };
    });
    expect(same.second).toBe(same.first);
    expect(same.runs).toBeLessThanOrEqual(1);
    const read = await quietly(async () => {
      const start = runs;
      await v();
      await b.primaryPool.query("SELECT count(*) FROM memo_t"); // a read on node B moves nothing
      await v();
      return runs - start;
    });
    expect(read).toBeLessThanOrEqual(1);
    const kept = await v();
    await b.primaryPool.query("INSERT INTO memo_t VALUES (1)");
    expect(await v()).toBeGreaterThan(kept);
    // A burst of requests for one page shares one computation.
    const burst = await quietly(() => Promise.all([v(), v(), v(), v(), v()]));
    expect(new Set(burst).size).toBe(1);
  });

  it("drops a rejected computation instead of keeping it", async () => {
    let runs = 0;
    const bad = () =>
      memoByData(dbOf(a), "pg-reject", async () => {
        runs++;
        throw new Error("boom");
      });
    await expect(bad()).rejects.toThrow("boom");
    await expect(bad()).rejects.toThrow("boom");
    expect(runs).toBe(2);
  });

  it("the version moves on any commit, including one in an open transaction's end, not before", async () => {
    const before = await pgDataVersion(dbOf(a));
    const c = await b.primaryPool.connect();
    try {
      await c.query("BEGIN");
      await c.query("INSERT INTO memo_t VALUES (3)");
      const during = await pgDataVersion(dbOf(a));
      await c.query("COMMIT");
      const after = await pgDataVersion(dbOf(a));
      // Inserting may already move it (conservative); the commit always does.
      expect(after).not.toBe(during);
      expect(after).not.toBe(before);
    } finally {
      c.release();
    }
  });

  it("a board page kept on node A shows a rename made on node B at once", async () => {
    g.__tableroDb = dbOf(a);
    const [owner] = await dbOf(a)
      .insert(users)
      .values({ email: "memo@example.com", passwordHash: "x", displayName: "Owner", locale: "en" })
      .returning();
    const board = await createBoard(dbOf(a), owner!.id, { title: "Kitchen", description: "", lang: "en", visibility: "public" });
    const title = async () =>
      (
        (await boardPage({
          request: new Request(`http://localhost/boards/${board.id}`),
          params: { boardId: String(board.id) },
          context: {},
        })) as { board: { title: string } }
      ).board.title;
    expect(await title()).toBe("Kitchen");
    expect(await title()).toBe("Kitchen");
    await b.primaryPool.query("UPDATE board SET title = 'Galley' WHERE id = $1", [board.id]);
    expect(await title()).toBe("Galley");
    await b.primaryPool.query("UPDATE board SET visibility = 'private' WHERE id = $1", [board.id]);
    await expect(title()).rejects.toSatisfy((e: unknown) => e instanceof Response && e.status === 404);
  });
});
