import { defineConfig } from "vitest/config";

// Regression tests for issue 12's findings, against the built app served by scripts/serve.ts
// (tests/e2e/harness.ts starts it). Run after `npm run build`.
export default defineConfig({
  test: {
    include: ["tests/security/**/*.test.ts"],
    environment: "node",
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: "forks",
  },
});
