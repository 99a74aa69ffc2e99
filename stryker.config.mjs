// Mutation testing over the doctor and the probe: `npm run mutate` (not in CI: it takes a while on
// two cores). The tests it runs are the ones that exercise src/ directly (unit and integration);
// end-to-end tests drive the built dist/ and the whole-lab run imports everything at load time, so
// neither can tell one mutant from another.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutate.config.ts" },
  mutate: ["src/doctor/**/*.ts", "src/probe/**/*.ts"],
  coverageAnalysis: "perTest",
  concurrency: 2,
  timeoutMS: 20000,
  reporters: ["clear-text", "progress", "json"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};
