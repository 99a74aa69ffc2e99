// Load through every lab proxy kind: 64 connections for 10 s (autocannon in its own process) to
// /protected and to the probe, through a correct scenario of each stack. Not a test: it prints a
// table of requests, errors and non-2xx answers (target: 0 and 0), and with --docs writes it into
// docs/reliability.md. Run after `npm run build`: npm run load [-- --seconds S --connections C --docs]
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { signToken, loadJwtConfig } from "../dist/app/jwt-config.js";
import { missingRequirement } from "../dist/lab/availability.js";
import { loadCatalog } from "../dist/lab/catalog.js";
import { LAB_PATH } from "../dist/lab/constants.js";
import { startDeployment } from "../dist/lab/deployment.js";
import { makeWorkdir, removeWorkdir } from "../dist/lab/workdirs.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const args = process.argv.slice(2);
const flag = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const SECONDS = flag("--seconds", 10);
const CONNECTIONS = flag("--connections", 64);

/** One correct scenario per stack the lab runs. */
const STACKS = [
  "nginx-proxy-pass",
  "apache-proxy-pass",
  "apache-wsgi-passauth-on",
  "node-forward",
  "haproxy-forward",
  "caddy-forward",
  "varnish-pass",
  "nginx-gunicorn",
  "nginx-uwsgi",
  "nginx-php-fpm",
];

const token = signToken(loadJwtConfig({ NODE_ENV: "development", JWT_SECRET: process.env.JWT_SECRET || undefined }), { sub: "1" });

/** autocannon in its own process, awaited without blocking: the lab's Node upstreams run in this one. */
function load(url) {
  const argv = [join(root, "node_modules/autocannon/autocannon.js"), "-j", "-c", String(CONNECTIONS), "-d", String(SECONDS), "-H", `Authorization=Bearer ${token}`, url];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.once("close", () => {
      try {
        const j = JSON.parse(out);
        const errors = j.errors + j.timeouts;
        resolve({ requests: j.requests.total, rps: Math.round(j.requests.average), errors, non2xx: j.non2xx });
      } catch (err) {
        reject(err);
      }
    });
  });
}

const catalog = loadCatalog();
const rows = [];
for (const id of STACKS) {
  const scenario = catalog.find((s) => s.id === id);
  const missing = missingRequirement(scenario);
  if (missing) {
    rows.push({ id, stack: scenario.stack.join(" > "), skipped: missing });
    continue;
  }
  const dir = makeWorkdir();
  const deployment = await startDeployment(scenario, dir);
  try {
    // The sample app answers /protected itself; a probe upstream answers every path with a report.
    for (const path of ["/protected", LAB_PATH]) {
      process.stderr.write(`${id} ${path} ...\n`);
      rows.push({ id, stack: scenario.stack.join(" > "), path, ...(await load(`${deployment.url}${path}`)) });
    }
  } finally {
    await deployment.stop();
    removeWorkdir(dir);
  }
}

const lines = [
  `${CONNECTIONS} connections for ${SECONDS} s per row (autocannon, its own process), Authorization: Bearer <a valid token>.`,
  "",
  "| scenario | stack | path | requests | req/s | errors | non-2xx |",
  "|---|---|---|---|---|---|---|",
  ...rows.map((r) => (r.skipped ? `| ${r.id} | ${r.stack} | skipped: ${r.skipped} | | | | |` : `| ${r.id} | ${r.stack} | ${r.path} | ${r.requests} | ${r.rps} | ${r.errors} | ${r.non2xx} |`)),
];
process.stdout.write(`${lines.join("\n")}\n`);
if (args.includes("--docs")) {
  const path = join(root, "docs/reliability.md");
  writeFileSync(path, readFileSync(path, "utf8").replace(/<!-- load:start -->[\s\S]*<!-- load:end -->/, `<!-- load:start -->\n${lines.join("\n")}\n<!-- load:end -->`));
}
process.exit(rows.some((r) => r.errors > 0 || r.non2xx > 0) ? 1 : 0);
