// The recipes of docker/examples/probe-beside-your-service.yaml (the probe next to a Flask/gunicorn
// service and inside an Express one), run as written: up, `authprobe doctor` on the published
// port, which must find Authorization intact (exit 0, verdict ok), and down.
import { spawnSync } from "node:child_process";
import { down, up } from "./profile.mjs";

const root = new URL("../../", import.meta.url).pathname;
const file = `${root}docker/examples/probe-beside-your-service.yaml`;
export const EXAMPLES = [
  { profile: "flask", url: "http://localhost:8701/__authprobe" },
  { profile: "express", url: "http://localhost:8702/__authprobe" },
];

/** What did not hold for each recipe (empty when both pass). */
export async function runExamples(log = () => {}) {
  const problems = [];
  for (const { profile, url } of EXAMPLES) {
    const t = Date.now();
    try {
      await up(file, "authprobe-examples", profile);
      const r = spawnSync(process.execPath, ["bin/authprobe.js", "doctor", url, "--json"], { cwd: root, encoding: "utf8", timeout: 60_000 });
      let verdict = "no JSON";
      try {
        verdict = JSON.parse(r.stdout).verdict;
      } catch {
        verdict = `no JSON (${r.stderr.trim().split("\n").at(-1)})`;
      }
      if (r.status !== 0 || verdict !== "ok") problems.push(`example ${profile}: authprobe doctor ${url} exited ${r.status}, verdict ${verdict}`);
      else log(`example ${profile}: authprobe doctor ${url} says ok (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    } catch (e) {
      problems.push(`example ${profile}: ${e.message}`);
    } finally {
      const left = down(file, "authprobe-examples", profile);
      if (left.length) problems.push(`example ${profile}: left behind after down: ${left.join(", ")}`);
    }
  }
  return problems;
}
