import { defineConfig } from "vitest/config";

// The tests Stryker runs against each mutant: those that import src/ (see stryker.config.mjs).
export default defineConfig({
  test: {
    include: [
      "test/unit/**/*.test.ts",
      "test/integration/doctor-*.test.ts",
      "test/integration/probe-*.test.ts",
      "test/integration/node-proxy.test.ts",
    ],
    exclude: ["test/unit/compose.test.ts", "test/unit/package.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    maxWorkers: 1,
  },
});
