import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Real nginx/Apache processes are heavy on a 2-core machine: keep file parallelism modest.
    maxWorkers: 2,
  },
});
