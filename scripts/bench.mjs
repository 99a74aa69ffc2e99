// Benchmarks that measure the servers, not the load generator: every server runs as its own
// process (as users run it), load comes from autocannon in a child process, and every comparison
// is a pair run interleaved A B A B in one invocation, reported as the median ratio with min and
// max. Absolute numbers are shown, never asserted. Never a timed test.
//   npm run bench                 table on stdout
//   npm run bench -- --json       JSON only
//   npm run bench -- --docs       also rewrite docs/benchmarks.md with this run
// Options: --rounds N (default 3), --seconds S per measurement (default 4), --connections C (32).
import { spawn, spawnSync } from "node:child_process";
import { cpus, loadavg, totalmem } from "node:os";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { BROWSER_HEADERS, realisticClaims } from "./bench/probe-baselines.mjs";
import { startRelay } from "./bench/relay.mjs";

const root = fileURLToPath(new URL("../", import.meta.url));
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const JSON_ONLY = args.includes("--json");
const DOCS = args.includes("--docs");
const ROUNDS = flag("--rounds", 3);
const SECONDS = flag("--seconds", 4);
const CONNECTIONS = flag("--connections", 32);
/** --only N: just measurement N (1-6), e.g. while profiling one of them. */
const ONLY = flag("--only", 0);
/** --rtt MS: the doctor also runs through a relay adding MS/2 each way (its latency mode); 0 = off. */
const RTT = flag("--rtt", 50);
const wanted = (n) => ONLY === 0 || ONLY === n;
const SECRET = "bench-secret-that-is-long-enough-0123456789-abcdef";
const log = (line) => {
  if (!JSON_ONLY) process.stderr.write(`${line}\n`);
};

// ---- processes --------------------------------------------------------------------------------
const running = new Set();
function start(label, command, argv, env = {}) {
  return new Promise((resolve, reject) => {
    const childEnv = { ...process.env, JWT_SECRET: SECRET, NO_COLOR: "1", ...env };
    const child = spawn(command, argv, { cwd: root, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
    running.add(child);
    let out = "";
    const onData = (d) => {
      out += d.toString();
      const m = /(?:listening on https?:\/\/[\d.]+:|listening )(\d+)/.exec(out);
      if (m) {
        child.stdout.off("data", onData);
        resolve({ label, child, pid: child.pid, port: Number(m[1]), stop: () => stop(child) });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (d) => (out += d.toString()));
    child.once("exit", (code) => reject(new Error(`${label} exited (${code}) before listening:\n${out}`)));
  });
}
function stop(child) {
  running.delete(child);
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((r) => {
    child.once("exit", r);
    child.kill("SIGTERM");
  });
}
process.on("exit", () => {
  for (const c of running) c.kill("SIGKILL");
});
const cli = (label, argv, env) => start(label, process.execPath, [join(root, "bin/authprobe.js"), ...argv], env);
const reference = (kind, ...extra) => start(kind, process.execPath, [join(root, "scripts/bench/servers.mjs"), kind, "0", ...extra]);

// ---- load ---------------------------------------------------------------------------------------
function autocannon(url, headers = {}, cpu = {}) {
  const before = Object.fromEntries(Object.entries(cpu).map(([k, pids]) => [k, cpuSeconds(pids)]));
  const argv = [join(root, "node_modules/autocannon/autocannon.js"), "-j", "-c", String(CONNECTIONS), "-d", String(SECONDS)];
  for (const [n, v] of Object.entries(headers)) argv.push("-H", `${n}=${v}`);
  argv.push(url);
  const r = spawnSync(process.execPath, argv, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`autocannon failed: ${r.stderr}`);
  const j = JSON.parse(r.stdout);
  const errors = j.errors + j.timeouts;
  const served = Math.max(1, j.requests.total);
  const cpuUs = Object.fromEntries(Object.entries(cpu).map(([k, pids]) => [k, ((cpuSeconds(pids) - before[k]) * 1e6) / served]));
  return { rps: j.requests.average, errors, non2xx: j.non2xx, p99: j.latency.p99, total: j.requests.total, cpuUs };
}

// ---- CPU time per request, from /proc: where the time goes, beside the throughput ----------------
const TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
/** A process and its live children (nginx's workers), as pids. */
function withChildren(pid) {
  try {
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    return [pid, ...kids.flatMap(withChildren)];
  } catch {
    return [pid];
  }
}
/** User + system CPU seconds used so far by these processes and their children (0 off Linux). */
function cpuSeconds(pids) {
  let ticks = 0;
  for (const pid of pids.flatMap(withChildren)) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone, or not Linux
    }
  }
  return ticks / TICKS;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round2 = (x) => Math.round(x * 100) / 100;

/** Variants measured in turn, round after round; ratios of each variant to the baseline per round. */
function interleaved(name, variants, baseline) {
  const runs = Object.fromEntries(variants.map((v) => [v.label, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const v of variants) {
      const m = autocannon(v.url, v.headers, v.cpu);
      runs[v.label].push(m);
      log(`  ${name} round ${r + 1}: ${v.label} ${Math.round(m.rps)} req/s (errors ${m.errors}, non-2xx ${m.non2xx})`);
    }
  }
  const base = runs[baseline];
  const rows = variants.map((v) => {
    const ratios = runs[v.label].map((m, i) => m.rps / base[i].rps);
    return {
      label: v.label,
      rps: Math.round(median(runs[v.label].map((m) => m.rps))),
      p99: median(runs[v.label].map((m) => m.p99)),
      errors: runs[v.label].reduce((a, m) => a + m.errors, 0),
      non2xx: runs[v.label].reduce((a, m) => a + m.non2xx, 0),
      ratio: { median: round2(median(ratios)), min: round2(Math.min(...ratios)), max: round2(Math.max(...ratios)) },
      // CPU microseconds per request of the server under test and, behind a proxy, of its upstream.
      cpuUsPerRequest: Object.fromEntries(
        Object.keys(v.cpu ?? {}).map((k) => [k, Math.round(median(runs[v.label].map((m) => m.cpuUs[k])))]),
      ),
    };
  });
  return { name, baseline, rows };
}

function token() {
  const r = spawnSync(process.execPath, [join(root, "bin/authprobe.js"), "token", "--sub", "1", "--ttl", "1h"], {
    cwd: root,
    env: { ...process.env, JWT_SECRET: SECRET },
    encoding: "utf8",
  });
  return r.stdout.trim();
}

// ---- the five measurements ---------------------------------------------------------------------
async function pairApp() {
  log("1. sample API /protected vs a minimal Express 5 route (and one that verifies the same token)");
  const auth = { Authorization: `Bearer ${token()}` };
  const app = await cli("app", ["serve", "app", "--port", "0"], { NODE_ENV: "development" });
  const hello = await reference("express-hello");
  const jwtRef = await reference("express-jwt");
  try {
    return interleaved(
      "sample API vs Express hello",
      [
        { label: "sample API GET /protected", url: `http://127.0.0.1:${app.port}/protected`, headers: auth, cpu: { server: [app.pid] } },
        { label: "Express 5 hello-world", url: `http://127.0.0.1:${hello.port}/protected`, headers: auth, cpu: { server: [hello.pid] } },
        { label: "Express 5 + jsonwebtoken verify", url: `http://127.0.0.1:${jwtRef.port}/protected`, headers: auth, cpu: { server: [jwtRef.pid] } },
      ],
      "Express 5 hello-world",
    );
  } finally {
    await Promise.all([app.stop(), hello.stop(), jwtRef.stop()]);
  }
}

async function nginxFor(template, upstreamPort) {
  const { findBinary } = await import("../dist/lab/binaries.js");
  const { freePort } = await import("../dist/lab/ports.js");
  const { startNginx } = await import("../dist/lab/runners/nginx.js");
  const { makeWorkdir, removeWorkdir } = await import("../dist/lab/workdirs.js");
  const binary = findBinary("nginx");
  if (!binary.path) return null;
  const dir = makeWorkdir();
  const vars = { LISTEN_HOST: "127.0.0.1", LISTEN_PORT: String(await freePort()), UPSTREAM_HOST: "127.0.0.1", UPSTREAM_PORT: String(upstreamPort) };
  const hop = await startNginx(binary.path, template, vars, dir);
  const stopAll = async () => {
    await hop.stop();
    removeWorkdir(dir);
  };
  // nginx writes its master's pid; its workers are the master's children.
  const pid = Number(readFileSync(join(dir, "nginx.pid"), "utf8").trim());
  return { port: hop.port, pid, stop: stopAll };
}

async function pairGateway() {
  log("2. the Node gateway vs nginx, both with upstream keep-alive, in front of the same probe");
  const probe = await cli("probe", ["serve", "probe", "--port", "0"]);
  const gateway = await cli("gateway", ["serve", "proxy", "--config", "proxy-configs/node/forward.json", "--port", "0"], {
    UPSTREAM_HOST: "127.0.0.1",
    UPSTREAM_PORT: String(probe.port),
  });
  // The baseline nginx forwards the headers the gateway adds (X-Forwarded-*, Via), so the probe
  // behind both does the same work and answers the same bytes; the Host-only row shows the
  // difference that makes.
  const passthrough = await reference("node-passthrough", String(probe.port));
  const nginxKeep = await nginxFor(join(root, "scripts/bench/nginx-keepalive.conf.template"), probe.port);
  const nginxBare = await nginxFor(join(root, "scripts/bench/nginx-keepalive-host-only.conf.template"), probe.port);
  const nginxLab = await nginxFor(join(root, "proxy-configs/nginx/proxy-pass.conf.template"), probe.port);
  const behind = (front) => ({ server: [front.pid], upstream: [probe.pid] });
  try {
    if (!nginxKeep || !nginxBare || !nginxLab) return { name: "gateway vs nginx", skipped: "nginx is not installed: apt-get install -y nginx" };
    return interleaved(
      "gateway vs nginx",
      [
        { label: "Node gateway (keep-alive agent)", url: `http://127.0.0.1:${gateway.port}/x`, cpu: behind(gateway) },
        { label: "node:http pass-through, no http-proxy (reference)", url: `http://127.0.0.1:${passthrough.port}/x`, cpu: behind(passthrough) },
        { label: "nginx, upstream keepalive, same forwarded headers", url: `http://127.0.0.1:${nginxKeep.port}/x`, cpu: behind(nginxKeep) },
        { label: "nginx, upstream keepalive, Host only", url: `http://127.0.0.1:${nginxBare.port}/x`, cpu: behind(nginxBare) },
        { label: "nginx, the lab's config (no upstream keep-alive)", url: `http://127.0.0.1:${nginxLab.port}/x`, cpu: behind(nginxLab) },
      ],
      "nginx, upstream keepalive, same forwarded headers",
    );
  } finally {
    await Promise.all([probe.stop(), gateway.stop(), passthrough.stop(), nginxKeep?.stop(), nginxBare?.stop(), nginxLab?.stop()]);
  }
}

/** The token the probe's pair sends: ~900 bytes, signed with the bench's secret. */
async function realisticToken() {
  const { default: jwt } = await import("jsonwebtoken");
  return jwt.sign(realisticClaims(Math.floor(Date.now() / 1000)), SECRET, { algorithm: "HS256" });
}

/** httpbin under gunicorn as Debian packages it (python3-httpbin), keep-alive workers; null when absent. */
async function httpbin() {
  const gunicorn = "/usr/bin/gunicorn";
  const check = spawnSync("/usr/bin/python3", ["-c", "import httpbin"]);
  if (check.status !== 0 || !existsSync(gunicorn)) return null;
  const child = spawn(gunicorn, ["-b", "127.0.0.1:0", "-k", "gthread", "-w", "2", "--threads", "16", "--keep-alive", "75", "httpbin:app"], {
    cwd: root,
    stdio: ["ignore", "ignore", "pipe"],
  });
  running.add(child);
  let err = "";
  const port = await new Promise((resolve, reject) => {
    const onData = (d) => {
      err += d.toString();
      const m = /Listening at: http:\/\/127\.0\.0\.1:(\d+)/.exec(err);
      if (m) {
        child.stderr.off("data", onData);
        resolve(Number(m[1]));
      }
    };
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`gunicorn httpbin exited (${code}):\n${err}`)));
  });
  child.stderr.resume();
  // gunicorn listens before its workers have imported the app: ready at the first answer.
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/headers`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setImmediate(r));
  }
  return { label: "httpbin", child, pid: child.pid, port, stop: () => stop(child) };
}

async function pairProbe() {
  log("3. the probe vs httpbin (gunicorn), an Express echo and node:http, on a browser's request with a ~900-byte JWT");
  const probe = await cli("probe", ["serve", "probe", "--port", "0"]);
  const echo = await start("express-echo", process.execPath, [join(root, "scripts/bench/probe-baselines.mjs"), "express-echo", "0"]);
  const hello = await reference("node-hello");
  const bin = await httpbin();
  const headers = { ...BROWSER_HEADERS, Authorization: `Bearer ${await realisticToken()}` };
  const server = (s) => ({ server: [s.pid] });
  try {
    const result = interleaved(
      "probe vs httpbin, Express echo, node:http",
      [
        { label: "probe (report per request)", url: `http://127.0.0.1:${probe.port}/anything`, headers, cpu: server(probe) },
        ...(bin
          ? [{ label: "httpbin /anything (gunicorn gthread, 2 workers)", url: `http://127.0.0.1:${bin.port}/anything`, headers, cpu: server(bin) }]
          : []),
        { label: "Express 5 echo (method, url, headers)", url: `http://127.0.0.1:${echo.port}/anything`, headers, cpu: server(echo) },
        { label: "node:http hello-world (floor)", url: `http://127.0.0.1:${hello.port}/anything`, headers, cpu: server(hello) },
      ],
      "node:http hello-world (floor)",
    );
    // On two cores shared with the load generator, req/s follows scheduling; requests per
    // CPU-second (the inverse of CPU µs per request) is the cost itself, and the issue's measure.
    const [mine, ...others] = result.rows;
    result.perCpuSecond = {
      of: mine.label,
      against: others.map((o) => ({ label: o.label, ratio: round2(o.cpuUsPerRequest.server / mine.cpuUsPerRequest.server) })),
    };
    if (!bin) result.perCpuSecond.missing = "httpbin is not installed: apt-get install -y python3-httpbin gunicorn";
    return result;
  } finally {
    await Promise.all([probe.stop(), echo.stop(), hello.stop(), bin?.stop()]);
  }
}

async function doctorTimes() {
  log("4. the doctor: wall time and requests on a healthy, a stripped and a size-limited deployment");
  const probe = await cli("probe", ["serve", "probe", "--port", "0", "--max-header-size", "65536"]);
  const gateways = {};
  const configs = { healthy: "forward.json", stripped: "allowlist-without-authorization.json" };
  for (const [name, file] of Object.entries(configs)) {
    gateways[name] = await cli(name, ["serve", "proxy", "--config", `proxy-configs/node/${file}`, "--port", "0"], {
      UPSTREAM_HOST: "127.0.0.1",
      UPSTREAM_PORT: String(probe.port),
    });
  }
  // Size-limited: nginx with 8k header buffers (the lab's nginx-small-header-buffers config), so the
  // doctor measures the limit by bisection.
  const limited = await nginxFor(join(root, "proxy-configs/nginx/small-header-buffers.conf.template"), probe.port);
  if (limited) gateways["size-limited (nginx 8k buffers)"] = limited;
  const startup = median(
    Array.from({ length: 5 }, () => {
      const t = performance.now();
      spawnSync(process.execPath, ["-e", "0"]);
      return performance.now() - t;
    }),
  );
  const rows = [];
  const diagnoseIn = (port, warmPort = port) => {
    // diagnose() timed inside the child, Node's own start-up reported on its own; one untimed run
    // first (always direct) so the timed one pays no module loading or JIT warm-up.
    const dist = JSON.stringify(new URL("../dist/doctor/diagnose.js", import.meta.url).href);
    const script = `const {diagnose}=await import(${dist});await diagnose({target:"http://127.0.0.1:${warmPort}/x"});const t=performance.now();const r=await diagnose({target:"http://127.0.0.1:${port}/x"});process.stdout.write(JSON.stringify({ms:performance.now()-t,requests:r.requests,codes:r.findings.map(f=>f.code)}))`;
    return new Promise((resolve, reject) => {
      const t = performance.now();
      const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      child.on("error", reject);
      child.on("exit", () => resolve({ ...JSON.parse(out), wallMs: performance.now() - t }));
    });
  };
  try {
    for (const [name, gw] of Object.entries(gateways)) {
      // The median of 3 runs: on a loaded machine one run's CPU time is noise against 50 ms.
      const medianRun = async (port) => {
        const runs = [];
        for (let i = 0; i < 3; i++) runs.push(await diagnoseIn(port, gw.port));
        return runs.sort((a, b) => a.ms - b.ms)[1];
      };
      const inner = await medianRun(gw.port);
      const row = { deployment: name, requests: inner.requests, doctorMs: Math.round(inner.ms),
        wallMs: Math.round(inner.wallMs) };
      row.codes = inner.codes;
      if (RTT > 0) {
        // Latency mode: the same run through a relay adding RTT/2 each way (the relay runs in this
        // process, so the child is spawned, not run synchronously).
        const relay = await startRelay(gw.port, RTT);
        try {
          const slow = await medianRun(relay.port);
          const rtts = (ms) => Math.round((ms / RTT) * 10) / 10;
          row.latency = {
            rttMs: RTT,
            doctorMs: Math.round(slow.ms),
            rtts: rtts(slow.ms),
            // What the relay added, without the doctor's (and the servers') own time on this machine.
            addedRtts: rtts(slow.ms - inner.ms),
            chainMinimum: CHAIN_MINIMUM[name] ?? null,
            requests: slow.requests,
            codes: slow.codes,
          };
        } finally {
          await relay.close();
        }
      }
      rows.push(row);
    }
  } finally {
    await Promise.all([probe.stop(), ...Object.values(gateways).map((g) => g.stop())]);
  }
  return { nodeStartupMs: Math.round(startup), rows };
}

/** CPU ms of this process's reaped children and their reaped descendants (Linux /proc; USER_HZ 100). */
function childrenCpuMs() {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[13]) + Number(f[14])) * 10; // cutime, cstime
  } catch {
    return null;
  }
}
/**
 * The fewest round trips each run can take with its connections open ahead: one TCP handshake, then its chain of requests that
 * depend on an answer before (healthy: the canary, then the size at 16 KB and the hop-by-hop
 * request at once; stripped: the canary, then the Basic and JWT variants at once; size-limited:
 * the canary, 16 KB, 3 search rounds, the re-check). A connection opened for a concurrent request
 * costs one RTT more.
 */
const CHAIN_MINIMUM = { healthy: 3, stripped: 3, "size-limited (nginx 8k buffers)": 7 };

async function labTimes() {
  log("5. the lab: every scenario, CPU busy over both cores, the slowest rows, and the start-up cost per server kind");
  const load = loadavg()[0];
  const cpu0 = childrenCpuMs();
  const t = performance.now();
  const r = spawnSync(process.execPath, [join(root, "bin/authprobe.js"), "lab", "--json"], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const wall = performance.now() - t;
  const cpu1 = childrenCpuMs();
  const results = JSON.parse(r.stdout).results;
  const startup = spawnSync(process.execPath, [join(root, "scripts/bench/startup.mjs")], { cwd: root, encoding: "utf8" });
  const cpuMs = cpu0 === null || cpu1 === null ? null : cpu1 - cpu0;
  return {
    scenarios: results.length,
    passed: results.filter((x) => x.status === "pass").length,
    skipped: results.filter((x) => x.status === "skipped").length,
    wallMs: Math.round(wall),
    // user+sys of the lab's whole process tree over wall time x cores (target >= 85%); the load
    // average says how much of the machine others were using meanwhile.
    cpuBusy: cpuMs === null ? null : Math.round((100 * cpuMs) / (wall * cpus().length)),
    loadBefore: Math.round(load * 100) / 100,
    slowest: [...results].sort((a, b) => b.durationMs - a.durationMs).slice(0, 5).map((x) => ({ id: x.id, stack: x.stack.join(" > "), ms: x.durationMs, doctorMs: x.doctor?.ms ?? null })),
    startupMs: JSON.parse(startup.stdout || "{}"),
  };
}

function cliStartup() {
  log("6. CLI start-up: authprobe --version against node -e '', and doctor's module loading");
  const r = spawnSync(process.execPath, [join(root, "scripts/bench/cli-startup.mjs"), String(5 * ROUNDS)], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`cli-startup failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// ---- report -------------------------------------------------------------------------------------
const started = performance.now();
const result = {
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? "?", memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
  settings: { rounds: ROUNDS, seconds: SECONDS, connections: CONNECTIONS, loadGenerator: "autocannon, own process" },
  pairs: [
    wanted(1) ? await pairApp() : null,
    wanted(2) ? await pairGateway() : null,
    wanted(3) ? await pairProbe() : null,
  ].filter(Boolean),
  doctor: wanted(4) ? await doctorTimes() : null,
  lab: wanted(5) ? await labTimes() : null,
  cli: wanted(6) ? cliStartup() : null,
};
result.totalSeconds = Math.round((performance.now() - started) / 1000);

function table(res) {
  const lines = [];
  lines.push(`machine: ${res.machine.cpus} cores (${res.machine.model}), ${res.machine.memoryGiB} GiB, Node ${res.machine.node}`);
  lines.push(`load: autocannon in its own process, ${res.settings.connections} connections, ${res.settings.seconds} s per measurement, ${res.settings.rounds} interleaved rounds; ratio = median (min-max) against the baseline`);
  lines.push("");
  lines.push("| comparison | variant | req/s (median) | p99 ms | errors | non-2xx | ratio to baseline | server CPU µs/req | upstream CPU µs/req |");
  lines.push("|---|---|---|---|---|---|---|---|---|");
  for (const p of res.pairs) {
    if (p.skipped) {
      lines.push(`| ${p.name} | skipped: ${p.skipped} | | | | | | | |`);
      continue;
    }
    for (const row of p.rows) {
      const ratio = row.label === p.baseline ? "baseline" : `${row.ratio.median}x (${row.ratio.min}-${row.ratio.max})`;
      const cpu = row.cpuUsPerRequest;
      lines.push(
        `| ${p.name} | ${row.label} | ${row.rps} | ${row.p99} | ${row.errors} | ${row.non2xx} | ${ratio} | ${cpu.server ?? ""} | ${cpu.upstream ?? ""} |`,
      );
    }
  }
  for (const p of res.pairs) if (p.perCpuSecond) lines.push(...perCpuLines(p.perCpuSecond));
  if (res.doctor) lines.push(...doctorLines(res.doctor));
  if (res.lab) lines.push(...labLines(res.lab));
  if (res.cli) lines.push(...cliLines(res.cli));
  lines.push("");
  lines.push(`whole benchmark: ${res.totalSeconds} s`);
  return lines.join("\n");
}

function perCpuLines(per) {
  const ratios = per.against.map((a) => `${a.label} ${a.ratio}x`).join(", ");
  return ["", `${per.of}: requests per CPU-second against ${ratios}${per.missing ? ` (${per.missing})` : ""}`];
}

function doctorLines(doctor) {
  const lines = [""];
  lines.push(`doctor (Node start-up alone: ${doctor.nodeStartupMs} ms):`);
  lines.push("");
  lines.push("| deployment | requests | doctor time ms | wall ms (with Node start-up) | findings |");
  lines.push("|---|---|---|---|---|");
  for (const d of doctor.rows) lines.push(`| ${d.deployment} | ${d.requests} | ${d.doctorMs} | ${d.wallMs} | ${d.codes.join(", ") || "none"} |`);
  const slow = doctor.rows.filter((d) => d.latency);
  if (slow.length > 0) {
    lines.push("");
    lines.push(`doctor through the latency relay (${slow[0].latency.rttMs} ms RTT, half each way; a connection costs one RTT first):`);
    lines.push("");
    lines.push("| deployment | requests | doctor time ms | RTTs (wall) | RTTs added (wall minus the run without relay) | dependency-chain minimum (RTTs) | findings |");
    lines.push("|---|---|---|---|---|---|---|");
    for (const d of slow) {
      const l = d.latency;
      lines.push(`| ${d.deployment} | ${l.requests} | ${l.doctorMs} | ${l.rtts} | ${l.addedRtts} | ${l.chainMinimum ?? "?"} | ${l.codes.join(", ") || "none"} |`);
    }
  }
  return lines;
}

function labLines(lab) {
  const wall = (lab.wallMs / 1000).toFixed(1);
  const startup = Object.entries(lab.startupMs).map(([k, v]) => `${k} ${v}`).join(", ");
  const busy = lab.cpuBusy === null || lab.cpuBusy === undefined ? "" : `, CPU busy ${lab.cpuBusy}% of ${cpus().length} cores (target >= 85%; load average before: ${lab.loadBefore})`;
  const slowest = (lab.slowest ?? []).map((x) => `${x.id} (${x.stack}) ${x.ms} ms`).join("; ");
  return [
    "",
    `lab: ${lab.scenarios} scenarios (${lab.passed} passed, ${lab.skipped} skipped) in ${wall} s wall${busy}`,
    `slowest rows: ${slowest}`,
    `start-up to first answer, ms: ${startup}`,
  ];
}

function cliLines(cli) {
  const v = cli.versionRatio;
  const load = cli.doctorModuleLoadMs;
  return [
    "",
    `CLI start-up (${cli.rounds} interleaved runs): node -e '' ${cli.nodeMs} ms, authprobe --version ${cli.versionMs} ms: ${v.median}x (${v.min}-${v.max}; target <= 1.5x)`,
    `doctor's module loading before its first request: ${load.median} ms (${load.min}-${load.max}; target <= 100 ms)`,
  ];
}

if (JSON_ONLY) process.stdout.write(`${JSON.stringify(result)}\n`);
else process.stdout.write(`${table(result)}\n`);
if (DOCS) {
  const path = join(root, "docs/benchmarks.md");
  const doc = readFileSync(path, "utf8");
  writeFileSync(path, doc.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, `<!-- bench:start -->\n${table(result)}\n<!-- bench:end -->`));
}
process.exit(0);
