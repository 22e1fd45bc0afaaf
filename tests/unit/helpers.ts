import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { inject } from "vitest";
import { openDb, type Db } from "../../db/client";
import { openPg } from "../../db/pg/client";
import { tablesEngine, type User } from "../../db/tables";
import { signUp } from "../../app/services/users.server";

/** A real SQLite file (and image folder) in a fresh temporary directory, migrated like the app's. */
export function tempDb(): Db {
  const dir = mkdtempSync(join(tmpdir(), "tablero-test-"));
  process.env.TABLERO_DATA_DIR = dir;
  return openDb(join(dir, "tablero.db"));
}

/**
 * A fresh, migrated database on the engine this run uses: SQLite (tempDb) normally; under
 * `npm run test:pg` (DATABASE_URL=postgres://…) a new PostgreSQL database copied from the migrated
 * template (tests/pg/global-setup.ts), so the same service test runs on both engines. Pictures still
 * go to a temporary directory (TABLERO_DATA_DIR). Dropped by the global teardown.
 */
export async function testDb(): Promise<Db> {
  if (tablesEngine !== "pg") return tempDb();
  process.env.TABLERO_DATA_DIR = mkdtempSync(join(tmpdir(), "tablero-test-"));
  const { freshDatabase } = await import("../pg/db");
  const fresh = await freshDatabase("unit", { migrated: true });
  const h = await openPg(fresh.url, { max: 4, migrate: false });
  return h.primary as unknown as Db;
}

/**
 * A fresh database with the starter library seeded and indexed (as `npm start` leaves it on first run),
 * copied from the run's template (tests/unit/seeded-template.ts; on PostgreSQL a template database made
 * by tests/pg/global-setup.ts) with its pictures; seeded here when the run has no template.
 */
export async function seededTestDb(): Promise<Db> {
  const dir = inject("seededDataDir");
  if (!dir) {
    const db = await testDb();
    const { getPipeline } = await import("../../app/services/pipeline.server");
    const { seedStarterLibrary } = await import("../../app/services/seed.server");
    const { indexBoards, indexPins } = await import("../../app/services/indexing.server");
    const p = await getPipeline();
    await seedStarterLibrary(db);
    await indexPins(db, p);
    await indexBoards(db, p);
    return db;
  }
  const copy = mkdtempSync(join(tmpdir(), "tablero-test-"));
  cpSync(dir, copy, { recursive: true });
  process.env.TABLERO_DATA_DIR = copy;
  if (tablesEngine !== "pg") return openDb(join(copy, "tablero.db"));
  const { freshDatabase } = await import("../pg/db");
  const fresh = await freshDatabase("unit", { template: inject("seededDatabase") });
  const h = await openPg(fresh.url, { max: 4, migrate: false });
  return h.primary as unknown as Db;
}

/** Which engine testDb() gives (for the few assertions that read engine-specific tables). */
export const testEngine = tablesEngine;

let n = 0;
export async function makeUser(db: Db, name = "Test"): Promise<User> {
  const r = await signUp(db, {
    email: `user${++n}-${Date.now()}@example.com`,
    password: "correct horse battery",
    displayName: name,
    locale: "en",
  });
  if (!r.ok) throw new Error("sign-up failed");
  return r.user;
}

export async function pngBytes(width = 40, height = 30, color = "#3366cc"): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: color } })
    .png()
    .toBuffer();
}

export function fileOf(bytes: Buffer, name: string, type: string): File {
  return new File([new Uint8Array(bytes)], name, { type });
}

/** A tiny real WAV (the clip store checks the bytes); `tone` makes each file's bytes, and key, its own. */
export function wavBytes(tone: number): Buffer {
  const n = 8000;
  const data = Buffer.alloc(n);
  for (let i = 0; i < n; i++) data[i] = Math.round(128 + 100 * Math.sin((i * tone * 2 * Math.PI * 440) / 8000));
  const h = Buffer.alloc(44);
  h.write("RIFF", 0);
  h.writeUInt32LE(36 + n, 4);
  h.write("WAVEfmt ", 8);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(8000, 24);
  h.writeUInt32LE(8000, 28);
  h.writeUInt16LE(1, 32);
  h.writeUInt16LE(8, 34);
  h.write("data", 36);
  h.writeUInt32LE(n, 40);
  return Buffer.concat([h, data]);
}
