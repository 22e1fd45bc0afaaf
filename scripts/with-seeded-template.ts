// `tsx scripts/with-seeded-template.ts "<command>"`: seeds and indexes the starter library once (as
// `npm start` does on first run) into a temporary data folder, runs the command with
// TABLERO_TEST_TEMPLATE naming it, then removes it. `npm test` runs the unit, browser and security
// suites under it: each suite's globalSetup copies this one template instead of seeding its own
// (~30 s each on a two-core machine). A suite run alone still seeds its own.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { seedTemplate } from "../tests/unit/seeded-template";

const command = process.argv.slice(2).join(" ");
if (!command.trim()) {
  console.error('Usage: tsx scripts/with-seeded-template.ts "<command>"');
  process.exit(2);
}
// The SQLite template (seedTemplate leaves DATABASE_URL out); PostgreSQL tests set up their own.
const dir = seedTemplate();
let status = 1;
try {
  const run = spawnSync("sh", ["-c", command], { env: { ...process.env, TABLERO_TEST_TEMPLATE: dir }, stdio: "inherit" });
  status = run.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(status);
