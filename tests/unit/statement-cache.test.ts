import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openDb } from "../../db/client";
import { dataDir } from "../../db/paths";
import { tempDb } from "./helpers";

// db/client.ts keeps prepared statements by SQL text (issue 13). These check what a reused statement
// must not change: the rows it returns (also after another connection wrote), and its result mode.
describe("prepared-statement cache", () => {
  it("hands out the same statement for the same SQL, and a fresh one while it is busy iterating", () => {
    const db = tempDb();
    const sql = "SELECT value FROM json_each('[1,2,3]')";
    const a = db.$client.prepare(sql);
    expect(db.$client.prepare(sql)).toBe(a);
    const seen: number[] = [];
    for (const row of a.iterate() as Iterable<{ value: number }>) {
      // Same SQL while `a` is mid-iteration: must be another statement, or better-sqlite3 would throw.
      const inner = db.$client.prepare(sql);
      expect(inner).not.toBe(a);
      seen.push(row.value, (inner.all() as unknown[]).length);
    }
    expect(seen).toEqual([1, 3, 2, 3, 3, 3]);
  });

  it("resets raw/pluck modes a previous caller left on", () => {
    const db = tempDb();
    const sql = "SELECT 7 AS n";
    expect(db.$client.prepare(sql).raw().get()).toEqual([7]);
    expect(db.$client.prepare(sql).get()).toEqual({ n: 7 });
    expect(db.$client.prepare(sql).pluck().get()).toBe(7);
    expect(db.$client.prepare(sql).get()).toEqual({ n: 7 });
  });

  it("reads what this connection and a second connection to the same file wrote since it was prepared", () => {
    const db = tempDb();
    const other = openDb(join(dataDir(), "tablero.db"));
    db.$client.exec("CREATE TABLE t (x INTEGER)");
    const count = () => (db.$client.prepare("SELECT count(*) AS n FROM t").get() as { n: number }).n;
    expect(count()).toBe(0);
    db.$client.prepare("INSERT INTO t (x) VALUES (?)").run(1);
    expect(count()).toBe(1);
    other.$client.prepare("INSERT INTO t (x) VALUES (?)").run(2);
    expect(count()).toBe(2);
    other.$client.close();
  });

  it("keeps at most its size, dropping the least recently used", () => {
    const db = tempDb();
    const first = db.$client.prepare("SELECT 0");
    for (let i = 1; i <= 500; i++) db.$client.prepare(`SELECT ${i}`);
    expect(db.$client.prepare("SELECT 0")).not.toBe(first);
    expect(db.$client.prepare("SELECT 0").pluck().get() as number).toBe(0);
  });
});
