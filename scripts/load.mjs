// Load through every lab proxy kind: 64 connections for 10 s (wrk in its own process, no retries) to
// /protected and to the probe, through a correct scenario of each stack. Not a test: it prints a
// table of requests, errors and non-2xx answers (target: 0 and 0), and with --docs writes it into
// docs/reliability.md. Run after `npm run build`: npm run load [-- --seconds S --connections C --only ID,ID --docs]
import { spawn, spawnSync } from "node:child_process";
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

/**
 * wrk in its own process (the lab's Node upstreams run in this one). wrk never retries: a keep-alive
 * connection the server closes without `Connection: close` is a read error, as a Node http.Agent
 * user would get ECONNRESET. (autocannon reconnects and hid these.)
 */
function load(url) {
  const argv = ["-t2", "-c", String(CONNECTIONS), "-d", `${SECONDS}s`, "-H", `Authorization: Bearer ${token}`, url];
  return new Promise((resolve, reject) => {
    const child = spawn("wrk", argv, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.once("error", reject);
    child.once("close", () => {
      const num = (re) => Number(out.match(re)?.[1] ?? 0);
      const requests = out.match(/(\d+) requests in/);
      if (!requests) return reject(new Error(`wrk gave no result for ${url}:\n${out}`));
      const socket = out.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
      const [connect, read, write, timeout] = socket ? socket.slice(1).map(Number) : [0, 0, 0, 0];
      resolve({ requests: Number(requests[1]), rps: Math.round(num(/Requests\/sec:\s+([\d.]+)/)), errors: connect + read + write + timeout, detail: `${connect}/${read}/${write}/${timeout}`, non2xx: num(/Non-2xx or 3xx responses: (\d+)/) });
    });
  });
}

if (spawnSync("wrk", ["--version"]).error) {
  process.stderr.write("npm run load needs wrk (a client that does not retry): apt-get install -y wrk\n");
  process.exit(2);
}

// --only a,b measures a subset (not with --docs: the docs table lists every stack).
const only = args.includes("--only") ? args[args.indexOf("--only") + 1].split(",") : null;
const catalog = loadCatalog();
const rows = [];
for (const id of only ?? STACKS) {
  const scenario = catalog.find((s) => s.id === id);
  if (!scenario) {
    process.stderr.write(`--only: no scenario ${id} in the catalog\n`);
    process.exit(2);
  }
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
  `${CONNECTIONS} connections for ${SECONDS} s per row (wrk -t2, its own process, no retries; errors = connect/read/write/timeout), Authorization: Bearer <a valid token>.`,
  "",
  "| scenario | stack | path | requests | req/s | errors (c/r/w/t) | non-2xx |",
  "|---|---|---|---|---|---|---|",
  ...rows.map((r) => (r.skipped ? `| ${r.id} | ${r.stack} | skipped: ${r.skipped} | | | | |` : `| ${r.id} | ${r.stack} | ${r.path} | ${r.requests} | ${r.rps} | ${r.errors} (${r.detail}) | ${r.non2xx} |`)),
];
process.stdout.write(`${lines.join("\n")}\n`);
if (args.includes("--docs")) {
  const path = join(root, "docs/reliability.md");
  writeFileSync(path, readFileSync(path, "utf8").replace(/<!-- load:start -->[\s\S]*<!-- load:end -->/, `<!-- load:start -->\n${lines.join("\n")}\n<!-- load:end -->`));
}
process.exit(rows.some((r) => r.errors > 0 || r.non2xx > 0) ? 1 : 0);
