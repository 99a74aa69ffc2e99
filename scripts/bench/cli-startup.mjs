// CLI start-up: `node -e ''` (the floor), `authprobe --version`, and the module loading that
// `doctor` pays before its first request, interleaved over the same rounds. Prints one JSON object.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const root = fileURLToPath(new URL("../../", import.meta.url));
const rounds = Number(process.argv[2] ?? 15);
const dist = (p) => JSON.stringify(new URL(`../../dist/${p}`, import.meta.url).href);
// What `doctor <url>` imports before it sends anything: the CLI, then the doctor's own modules.
const doctorLoad = `const t=performance.now();await import(${dist("cli/program.js")});await Promise.all([import(${dist("doctor/diagnose.js")}),import(${dist("doctor/verdict.js")}),import(${dist("cli/render-doctor.js")}),import(${dist("cli/style.js")})]);process.stdout.write(String(performance.now()-t))`;

const wall = (argv) => {
  const t = performance.now();
  const r = spawnSync(process.execPath, argv, { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${argv.join(" ")} failed: ${r.stderr}`);
  return { ms: performance.now() - t, out: r.stdout };
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const floor = [];
const version = [];
const load = [];
for (let i = 0; i < rounds; i++) {
  floor.push(wall(["-e", ""]).ms);
  version.push(wall([join(root, "bin/authprobe.js"), "--version"]).ms);
  load.push(Number(wall(["--input-type=module", "-e", doctorLoad]).out));
}
const ratios = version.map((v, i) => v / floor[i]);
const round1 = (x) => Math.round(x * 10) / 10;
const round2 = (x) => Math.round(x * 100) / 100;
process.stdout.write(
  `${JSON.stringify({
    rounds,
    nodeMs: round1(median(floor)),
    versionMs: round1(median(version)),
    versionRatio: { median: round2(median(ratios)), min: round2(Math.min(...ratios)), max: round2(Math.max(...ratios)) },
    doctorModuleLoadMs: { median: round1(median(load)), min: round1(Math.min(...load)), max: round1(Math.max(...load)) },
  })}\n`,
);
