// npm run test:compose: builds every image docker/compose.yaml uses, brings each profile up, runs
// `authprobe doctor` against every scenario's published 127.0.0.1 port as docs/lab.md tells users,
// checks the verdict with the native lab's own check, audits the containers, and brings the profile
// down with its volumes. Starts (and always stops) a private dockerd when no engine answers.
//   node scripts/compose-test.mjs [--profile nginx]... [--selftest-only] [--no-selftest]
// With no --profile it also runs the recipes of docker/examples/probe-beside-your-service.yaml.
// Needs `npm run build` first (it uses dist/). Exit 0 only when everything passed.
import { spawnSync } from "node:child_process";
import { loadCatalog } from "../dist/lab/catalog.js";
import { ensureEngine } from "./compose/engine.mjs";
import { runExamples } from "./compose/examples.mjs";
import { buildImage, composeBuilds, ensureBaseImages, imageSizeMB } from "./compose/images.mjs";
import { clearStale, compose, containers, down, up } from "./compose/profile.mjs";
import { auditContainers, secretsIn } from "./compose/security.mjs";
import { runSelftest } from "./compose/selftest.mjs";
import { checkScenario } from "./compose/verdict.mjs";
import { parse } from "yaml";
import { readFileSync } from "node:fs";

const root = new URL("../", import.meta.url).pathname;
const composeFile = `${root}docker/compose.yaml`;
const PROJECT = "authprobe-test";
const PROFILES = ["nginx", "apache", "node", "haproxy", "caddy", "varnish", "python", "php"];

const args = process.argv.slice(2);
const chosen = args.flatMap((a, i) => (a === "--profile" ? [args[i + 1]] : []));
const profiles = chosen.length ? chosen : PROFILES;
const log = (m) => process.stdout.write(`compose-test: ${m}\n`);
const secs = (t) => `${((Date.now() - t) / 1000).toFixed(1)} s`;

let engine = null;
let activeProfile = null;
/** Always runs: takes the active profile down and stops a private daemon, on success, failure or Ctrl-C. */
function cleanup() {
  if (activeProfile) down(composeFile, PROJECT, activeProfile);
  activeProfile = null;
  engine?.stop();
  engine = null;
}
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(sig, () => {
    log(`${sig}: cleaning up`);
    cleanup();
    process.exit(130);
  });
}

const firewall = () => spawnSync("iptables-save", { encoding: "utf8" }).stdout?.replace(/^#.*\n/gm, "") ?? "";

async function main() {
  const started = Date.now();
  const firewallBefore = firewall();
  engine = await ensureEngine(log);
  const failures = [];
  let t = Date.now();
  ensureBaseImages(log);
  log(`base images ready: ${secs(t)}`);
  if (!args.includes("--no-selftest")) {
    const t = Date.now();
    failures.push(...(await runSelftest(log)));
    log(`self-test (broken Dockerfile, wrong template variable, failing healthcheck): ${secs(t)}`);
  }
  if (args.includes("--selftest-only")) return finish(failures, firewallBefore, started);

  for (const [image, build] of composeBuilds(composeFile)) {
    const s = buildImage(composeFile, image, build);
    log(`built ${image} in ${s.toFixed(1)} s (${imageSizeMB(image)} MB)`);
    failures.push(...secretsIn(image).map((m) => `secret in image ${m}`));
  }

  const { services } = parse(readFileSync(composeFile, "utf8"));
  const catalog = loadCatalog();
  const stale = clearStale(composeFile, PROJECT);
  if (stale.length) log(`removed what an earlier run left: ${stale.join(", ")}`);
  for (const profile of profiles) {
    t = Date.now();
    const scenarios = catalog.filter((s) => services[s.id]?.profiles.includes(profile));
    activeProfile = profile;
    try {
      const list = await up(composeFile, PROJECT, profile);
      const upTime = secs(t);
      failures.push(...auditContainers(list).map((m) => `${profile}: ${m}`));
      for (const s of scenarios) {
        const port = Number(services[s.id].ports[0].split(":")[1]);
        const verdict = checkScenario(s, port);
        if (verdict.reason) {
          const c = containers(PROJECT).find((x) => x.service === s.id);
          const logs = c ? compose(composeFile, PROJECT, ["logs", "--tail", "15", "--no-color", s.id]).stdout.trim() : "";
          failures.push(`${profile}/${s.id}: ${verdict.reason}\n  ran: ${verdict.command}\n${logs}`);
        }
      }
      log(`profile ${profile}: ${list.length} containers up in ${upTime}, ${scenarios.length} scenarios checked, total ${secs(t)}`);
    } catch (e) {
      failures.push(`${profile}: ${e.message}`);
    } finally {
      const left = down(composeFile, PROJECT, profile);
      activeProfile = null;
      if (left.length) failures.push(`${profile}: left behind after down: ${left.join(", ")}`);
    }
  }
  if (!chosen.length) failures.push(...(await runExamples(log)));
  return finish(failures, firewallBefore, started);
}

function finish(failures, firewallBefore, started) {
  cleanup();
  if (firewall() !== firewallBefore) failures.push("the firewall (iptables-save) changed during the run");
  for (const f of failures) process.stderr.write(`FAIL ${f}\n`);
  log(`${failures.length ? `${failures.length} failure(s)` : "all passed"} in ${secs(started)}`);
  return failures.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`compose-test: ${e.message}\n`);
    cleanup();
    process.exit(1);
  },
);
