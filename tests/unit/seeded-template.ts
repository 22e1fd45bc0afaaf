import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

declare module "vitest" {
  export interface ProvidedContext {
    /** A data folder with the starter library seeded and indexed once per run (seededTestDb copies it). */
    seededDataDir: string;
    /** Under test:pg, the PostgreSQL database seeded with it (a template for CREATE DATABASE). */
    seededDatabase: string;
  }
}

/**
 * `scripts/setup.ts` — the starter library seeded and indexed, as `npm start` does on first run — into a
 * new data folder (and, on PostgreSQL, into the database `databaseUrl` names). Seeding and indexing
 * 2,525 cards in five languages takes ~15 s; the service tests that need the library copy this instead.
 */
export function seedTemplate(databaseUrl?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "tablero-seeded-"));
  const env: NodeJS.ProcessEnv = { ...process.env, TABLERO_DATA_DIR: dir };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else delete env.DATABASE_URL;
  const r = spawnSync("node_modules/.bin/tsx", ["scripts/setup.ts"], { env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`seeding the template failed: ${r.stderr}`);
  return dir;
}

/**
 * vitest globalSetup for test:unit (SQLite). Under `npm test` the template is seeded once for all
 * suites (scripts/with-seeded-template.ts names it in TABLERO_TEST_TEMPLATE; only copied, never changed).
 */
export default function setup({ provide }: { provide: (key: "seededDataDir", value: string) => void }) {
  const shared = sharedTemplate();
  const dir = shared ?? seedTemplate();
  provide("seededDataDir", dir);
  return () => (shared ? undefined : rmSync(dir, { recursive: true, force: true }));
}

/** The template `npm test` seeded for every suite, when there is one. */
export function sharedTemplate(): string | null {
  const dir = process.env.TABLERO_TEST_TEMPLATE;
  return dir && existsSync(join(dir, "tablero.db")) ? dir : null;
}
