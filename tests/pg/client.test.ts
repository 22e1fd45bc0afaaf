import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { openPg, openPgFromEnv, type PgHandle } from "../../db/pg/client";
import type { ReplicaPool } from "../../db/pg/replica";
import { pgTables } from "../../db/pg/schema";
import { freshDatabase } from "./db";

let url: string;
let drop: () => Promise<void>;
const handles: PgHandle[] = [];

beforeAll(async () => {
  const fresh = await freshDatabase("client");
  drop = fresh.drop;
  url = fresh.url;
});
afterAll(async () => {
  for (const h of handles) await h.close();
  await drop?.();
});

describe("openPg", () => {
  it("migrates once when several nodes start together (advisory lock), and every node can then work", async () => {
    const started = await Promise.all(Array.from({ length: 4 }, () => openPg(url, { max: 2 })));
    handles.push(...started);
    const { rows } = await started[0]!.primaryPool.query<{ n: number }>("SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations");
    const journal = JSON.parse(readFileSync("db/pg/migrations/meta/_journal.json", "utf8")) as { entries: unknown[] };
    expect(journal.entries.length).toBeGreaterThanOrEqual(3); // 0000_derived, 0001_pg_extras, 0002_derived, …
    expect(rows[0]!.n).toBe(journal.entries.length); // each applied once
    for (const h of started) expect((await h.primary.execute(sql`SELECT count(*)::int AS n FROM pin`)).rows).toEqual([{ n: 0 }]);
  });

  it("writes and reads through drizzle with the derived tables: Date ↔ epoch ms, booleans, jsonb, identity ids", async () => {
    const h = handles[0]!;
    const users = pgTables.users!;
    const at = new Date(1_760_000_000_123);
    const inserted = await h.primary
      .insert(users)
      .values({
        email: "a@example.org",
        passwordHash: "x",
        displayName: "A",
        roles: ["therapist"],
        highContrast: true,
        createdAt: at,
      } as never)
      .returning();
    const row = inserted[0] as Record<string, unknown>;
    expect(row).toMatchObject({
      id: 1,
      roles: ["therapist"],
      highContrast: true,
      reducedMotion: false,
      speechRate: 0.9,
      locale: "en",
      createdAt: at,
    });
    // Stored as the same number SQLite stores, so raw SQL arithmetic agrees across engines.
    const raw = await h.primaryPool.query('SELECT created_at, created_at / 86400000 AS day FROM "user"');
    expect(raw.rows[0]).toEqual({ created_at: 1_760_000_000_123, day: 20370 });
    // The database default is epoch ms too, close to now.
    const d = await h.primaryPool.query<{ created_at: number }>(
      "INSERT INTO \"user\" (email, password_hash, display_name) VALUES ('b@x', 'h', 'B') RETURNING created_at",
    );
    expect(Math.abs(d.rows[0]!.created_at - Date.now())).toBeLessThan(60_000);
  });

  it("opens a replica pool when one is given, which reads the primary while it is no standby; close() is idempotent", async () => {
    const alone = await openPg(url, { max: 1, migrate: false });
    expect(alone.reader).toBe(alone.primary);
    expect(alone.readerPool).toBe(alone.primaryPool);
    await alone.close();
    await alone.close();
    // A second URL that is not a standby (the same server): the reader pool is a separate pool, but it
    // cannot measure a replay lag there, so it sends the reads to the primary (db/pg/replica.ts; the
    // real replica is tests/pg/replica.test.ts).
    const replicated = await openPg(url, { max: 1, replicaUrl: url, migrate: false });
    expect(replicated.readerPool).not.toBe(replicated.primaryPool);
    const reader = replicated.readerPool as ReplicaPool;
    await reader.probe();
    expect(reader.health?.why).toMatch(/not a standby/);
    expect(reader.usable()).toBe(false);
    const pids = async (p: typeof replicated.primaryPool) =>
      (await p.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
    expect(await pids(replicated.readerPool)).toBe(await pids(replicated.primaryPool));
    await replicated.close();
  });

  it("refuses to start without a postgres:// DATABASE_URL, saying so", () => {
    expect(() => openPgFromEnv({})).toThrow(/DATABASE_URL must be a postgres:\/\/ URL/);
    expect(() => openPgFromEnv({ DATABASE_URL: "data/tablero.db" })).toThrow(/DATABASE_URL/);
  });
});
