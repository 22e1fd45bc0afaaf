import { defineConfig } from "vitest/config";
import LongestFirst from "./tests/support/longest-first";

// `npm test`'s browser run: the browser tests and the security regression tests in one pool (each
// file its own server, data folder and browser, as in vitest.e2e.config.ts and vitest.security.config.ts),
// the longest files first, so neither suite waits for the other's last file on a 2-core machine.
export default defineConfig({
  test: {
    include: ["tests/e2e/**/*.test.ts", "tests/security/**/*.test.ts"],
    environment: "node",
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: true,
    maxWorkers: 2,
    minWorkers: 1,
    pool: "forks",
    sequence: { sequencer: LongestFirst },
    globalSetup: ["tests/e2e/seeded-template.ts"],
  },
});
