import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { drizzle } from "drizzle-orm/node-postgres";
import { makePool, openPg, type PgHandle } from "../../db/pg/client";
import { forget, giveBack, take, type LimitSpec } from "../../app/services/http/rate-limit.server";
import type { Db } from "../../app/services/db.server";
import { freshDatabase } from "./db";

let h: PgHandle;
let a: pg.Pool;
let b: pg.Pool;
// The app's own rate-limit module, on a drizzle handle over each pool (it picks RateLimiterPostgres).
const node = new Map<pg.Pool, Db>();
const on = (pool: pg.Pool) => {
  if (!node.has(pool)) node.set(pool, drizzle(pool) as unknown as Db);
  return node.get(pool)!;
};
const takePg = (pool: pg.Pool, spec: LimitSpec, key: string) => take(on(pool), spec, key);
const giveBackPg = (pool: pg.Pool, spec: LimitSpec, key: string) => giveBack(on(pool), spec, key);
const forgetPg = (pool: pg.Pool, spec: LimitSpec, key: string) => forget(on(pool), spec, key);
let drop: () => Promise<void>;

beforeAll(async () => {
  const fresh = await freshDatabase("ratelimit");
  drop = fresh.drop;
  h = await openPg(fresh.url);
  // Two "nodes": separate pools on the same database.
  a = makePool(fresh.url, 2);
  b = makePool(fresh.url, 2);
});
afterAll(async () => {
  await a?.end();
  await b?.end();
  await h?.close();
  await drop?.();
});

const SIGN_IN: LimitSpec = { keyPrefix: "signin", points: 5, durationS: 60 };

describe("rate limits on PostgreSQL (RateLimiterPostgres), shared by every node", () => {
  it("counts attempts made through either pool against one limit", async () => {
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await takePg(i % 2 ? a : b, SIGN_IN, "ip:1"));
    expect(results.every((r) => r.ok)).toBe(true);
    const sixth = await takePg(a, SIGN_IN, "ip:1");
    expect(sixth.ok).toBe(false);
    expect(sixth.ok ? 0 : sixth.retryAfterS).toBeGreaterThanOrEqual(1);
    expect((await takePg(b, SIGN_IN, "ip:1")).ok).toBe(false);
    // Another key is untouched; the counter lives in the derived rate_limit table.
    expect((await takePg(b, SIGN_IN, "ip:2")).ok).toBe(true);
    const { rows } = await h.primaryPool.query("SELECT key, points FROM rate_limit WHERE key = 'signin:ip:1'");
    expect(rows).toEqual([{ key: "signin:ip:1", points: 7 }]);
  });

  it("holds under concurrent attempts from both pools: exactly `points` succeed", async () => {
    const spec: LimitSpec = { keyPrefix: "burst", points: 10, durationS: 60 };
    const all = await Promise.all(Array.from({ length: 30 }, (_, i) => takePg(i % 2 ? a : b, spec, "k")));
    expect(all.filter((r) => r.ok)).toHaveLength(10);
  });

  it("gives points back and forgets a key, seen from the other pool", async () => {
    const spec: LimitSpec = { keyPrefix: "reward", points: 1, durationS: 60, blockDurationS: 120 };
    expect((await takePg(a, spec, "k")).ok).toBe(true);
    expect((await takePg(b, spec, "k")).ok).toBe(false);
    await forgetPg(a, spec, "k");
    expect((await takePg(b, spec, "k")).ok).toBe(true);
    await giveBackPg(a, spec, "k");
    expect((await takePg(b, spec, "k")).ok).toBe(true);
  });
});
