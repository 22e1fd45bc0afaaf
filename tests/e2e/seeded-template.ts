import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GlobalSetupContext } from "vitest/node";
import { sharedTemplate } from "../unit/seeded-template";

declare module "vitest" {
  export interface ProvidedContext {
    /** A data folder seeded and indexed once per run; startApp copies it (tests/e2e/harness.ts). */
    seededTemplate: string;
  }
}

/**
 * vitest globalSetup for the browser and security runs: `scripts/setup.ts` once, into a template
 * folder that every test file's server then copies. Seeding and indexing the starter library
 * (2,525 cards in five languages) takes ~15 s; a copy of its 16 MB takes a fraction of a second.
 */
export default function setup({ provide }: GlobalSetupContext) {
  // Under `npm test`, the template seeded once for every suite (scripts/with-seeded-template.ts).
  const shared = sharedTemplate();
  if (shared) {
    provide("seededTemplate", shared);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "tablero-e2e-template-"));
  const env: NodeJS.ProcessEnv = { ...process.env, TABLERO_DATA_DIR: dir, NODE_ENV: "production" };
  delete env.DATABASE_URL; // the template is the SQLite default; PostgreSQL tests set up their own
  const r = spawnSync("node_modules/.bin/tsx", ["scripts/setup.ts"], { env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`setup failed: ${r.stderr}`);
  provide("seededTemplate", dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
