// `tsx scripts/with-seeded-template.ts "<command>"`: seeds and indexes the starter library once (as
// `npm start` does on first run) into a temporary data folder, runs the command with
// TABLERO_TEST_TEMPLATE naming it, then removes it. `npm test` runs the unit, browser and security
// suites under it: each suite's globalSetup copies this one template instead of seeding its own
// (~30 s each on a two-core machine). A suite run alone still seeds its own.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const command = process.argv.slice(2).join(" ");
if (!command.trim()) {
  console.error('Usage: tsx scripts/with-seeded-template.ts "<command>"');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), "tablero-template-"));
const env: NodeJS.ProcessEnv = { ...process.env, TABLERO_DATA_DIR: dir };
delete env.DATABASE_URL; // the template is the SQLite default; PostgreSQL tests set up their own
let status = 1;
try {
  const seeded = spawnSync("node_modules/.bin/tsx", ["scripts/setup.ts"], { env, stdio: ["ignore", "ignore", "inherit"] });
  if (seeded.status !== 0) throw new Error("seeding the test template failed");
  const run = spawnSync("sh", ["-c", command], { env: { ...process.env, TABLERO_TEST_TEMPLATE: dir }, stdio: "inherit" });
  status = run.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(status);
