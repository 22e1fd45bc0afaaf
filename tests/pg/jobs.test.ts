import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { makePool, openPg, type PgHandle } from "../../db/pg/client";
import { claim, complete, enqueue, extend, fail, type Job } from "../../app/services/pg/jobs.server";
import { freshDatabase } from "./db";

let h: PgHandle;
let url: string;
let drop: () => Promise<void>;
const pools: pg.Pool[] = [];

beforeAll(async () => {
  const fresh = await freshDatabase("jobs");
  drop = fresh.drop;
  url = fresh.url;
  h = await openPg(url);
});
afterAll(async () => {
  for (const p of pools) await p.end();
  await h?.close();
  await drop?.();
});

describe("jobs claimed with FOR UPDATE SKIP LOCKED", () => {
  it("never hands the same job to two claimers, under concurrency from separate connections", async () => {
    const N = 60;
    for (let i = 0; i < N; i++) await enqueue(h.primaryPool, "race", { i });
    // Six "nodes", each its own pool, claiming as fast as they can, all at once.
    const nodes = Array.from({ length: 6 }, (_, k) => {
      const pool = makePool(url, 3);
      pools.push(pool);
      return { name: `node-${k}`, pool };
    });
    const got = await Promise.all(
      nodes.map(async ({ name, pool }) => {
        const mine: Job[] = [];
        // Three claim loops per node share its pool: concurrency inside a node as well.
        await Promise.all(
          [0, 1, 2].map(async () => {
            for (;;) {
              const j = await claim(pool, "race", name, 60_000);
              if (!j) return;
              mine.push(j);
              expect(await complete(pool, j)).toBe(true);
            }
          }),
        );
        return mine;
      }),
    );
    const all = got.flat().map((j) => (j.payload as { i: number }).i);
    expect(all).toHaveLength(N);
    expect(new Set(all).size).toBe(N);
    expect(got.filter((g) => g.length > 0).length).toBeGreaterThan(1); // the work really was shared
    const { rows } = await h.primaryPool.query("SELECT state, count(*)::int AS n FROM job WHERE queue = 'race' GROUP BY state");
    expect(rows).toEqual([{ state: "done", n: N }]);
  });

  it("retries a crashed claim after its lease, and the crashed node can no longer complete it", async () => {
    const id = await enqueue(h.primaryPool, "lease", { x: 1 });
    const t0 = Date.now();
    const first = (await claim(h.primaryPool, "lease", "crashing-node", 1_000, t0))!;
    expect(first.id).toBe(id);
    // Within the lease nobody else gets it…
    expect(await claim(h.primaryPool, "lease", "other", 1_000, t0 + 500)).toBeNull();
    // …after it, another node does (the first "crashed": it never completed nor extended).
    const second = (await claim(h.primaryPool, "lease", "other", 1_000, t0 + 1_500))!;
    expect(second).toMatchObject({ id, attempts: 2, lockedBy: "other" });
    expect(await complete(h.primaryPool, first)).toBe(false);
    expect(await extend(h.primaryPool, first)).toBe(false);
    expect(await complete(h.primaryPool, second)).toBe(true);
  });

  it("extends a lease, backs off a failure, and gives up after max attempts", async () => {
    const t0 = Date.now();
    const id = await enqueue(h.primaryPool, "flaky", {}, { maxAttempts: 2, runAt: t0 });
    const a = (await claim(h.primaryPool, "flaky", "n1", 1_000, t0))!;
    expect(await extend(h.primaryPool, a, 5_000, t0 + 900)).toBe(true);
    expect(await claim(h.primaryPool, "flaky", "n2", 1_000, t0 + 2_000)).toBeNull(); // extended: still n1's
    expect(await fail(h.primaryPool, a, "boom", 10_000, t0 + 2_000)).toBe(true);
    expect(await claim(h.primaryPool, "flaky", "n2", 1_000, t0 + 5_000)).toBeNull(); // backing off
    const b = (await claim(h.primaryPool, "flaky", "n2", 1_000, t0 + 12_001))!;
    expect(b).toMatchObject({ id, attempts: 2 });
    expect(await fail(h.primaryPool, b, "boom again", 0, t0 + 12_100)).toBe(true);
    expect(await claim(h.primaryPool, "flaky", "n3", 1_000, t0 + 60_000)).toBeNull();
    const { rows } = await h.primaryPool.query("SELECT state, last_error FROM job WHERE id = $1", [id]);
    expect(rows[0]).toEqual({ state: "failed", last_error: "boom again" });
  });

  it("does not run a job before its time, and keeps queues apart", async () => {
    const t0 = Date.now();
    await enqueue(h.primaryPool, "later", { y: 1 }, { runAt: t0 + 60_000 });
    expect(await claim(h.primaryPool, "later", "n", 1_000, t0)).toBeNull();
    expect(await claim(h.primaryPool, "elsewhere", "n", 1_000, t0 + 120_000)).toBeNull();
    expect(await claim(h.primaryPool, "later", "n", 1_000, t0 + 60_000)).toMatchObject({ payload: { y: 1 } });
  });
});
