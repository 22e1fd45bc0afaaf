import { defineConfig } from "vitest/config";

// Browser tests: the built app on a free port with a fresh database, driven by Debian's chromium.
export default defineConfig({
  test: {
    include: ["tests/e2e/**/*.test.ts"],
    environment: "node",
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: "forks",
  },
});
