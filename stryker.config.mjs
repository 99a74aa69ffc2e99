// Mutation testing over the doctor and the probe: `npm run mutate` (not in CI: about an hour on two
// cores). The tests it runs are the ones that exercise src/ directly (unit and integration);
// end-to-end tests drive the built dist/ and the whole-lab run imports everything at load time, so
// neither can tell one mutant from another. While iterating on one file:
//   npx stryker run --mutate 'src/doctor/fixes.ts'
// (`--incremental` reuses earlier results, but keeps "survived" for mutants of module-level
// constants that a new test now kills: measure with a full run.)
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
