import { defineConfig } from "vitest/config";

// Regression tests for issue 12's findings, against the built app served by scripts/serve.ts
// (tests/e2e/harness.ts starts it). Run after `npm run build`.
export default defineConfig({
  test: {
    include: ["tests/security/**/*.test.ts"],
    environment: "node",
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Two files at a time: a browser test spends most of its time waiting (page loads, network idle),
    // measured at 40 % of one core for a file alone, so two files use the machine's two cores without
    // slowing each other much. Each file has its own server, data folder and browser.
    fileParallelism: true,
    maxWorkers: 2,
    minWorkers: 1,
    pool: "forks",
    // Seeds one data folder for the run; each file's server starts from a copy of it.
    globalSetup: ["tests/e2e/seeded-template.ts"],
  },
});
