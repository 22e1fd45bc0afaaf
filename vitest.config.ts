import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import LongestFirst from "./tests/support/longest-first";

// Unit tests: services, db and the pipeline, against real temporary SQLite files. No Remix plugin.
export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  test: {
    include: ["app/**/*.test.ts", "db/**/*.test.ts", "models/**/*.test.ts", "tests/unit/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    pool: "forks",
    // Two files at a time (vitest's default on two cores is one): a file spends part of its time
    // waiting on its database, and both cores measured 30 % faster (254 s → 184 s for unit tests).
    maxWorkers: 2,
    minWorkers: 1,
    // The starter library seeded and indexed once per run; seededTestDb() copies it.
    globalSetup: ["tests/unit/seeded-template.ts"],
    sequence: { sequencer: LongestFirst },
  },
});
