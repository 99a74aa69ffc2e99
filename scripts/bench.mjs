// Ratios the design relies on, measured in one run on loopback (never as timed tests).
// 1. jsonwebtoken verify: string secret vs a KeyObject made once.
// 2. The Node gateway: upstream keep-alive agent on vs off.
// Run after `npm run build`: npm run bench
import { createSecretKey } from "node:crypto";
import { Agent, createServer, request } from "node:http";
import jwt from "jsonwebtoken";
import { createNodeProxy } from "../dist/proxy/node-proxy.js";
import { createProbeHandler } from "../dist/probe/handler.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findBinary } from "../dist/lab/binaries.js";
import { PROXY_CONFIGS_DIR } from "../dist/lab/catalog.js";
import { freePort } from "../dist/lab/ports.js";
import { startNginx } from "../dist/lab/runners/nginx.js";

function rate(fn, ms = 1000) {
  const end = performance.now() + ms;
  let n = 0;
  while (performance.now() < end) {
    fn();
    n += 1;
  }
  return (n * 1000) / ms;
}

const secret = "bench-secret-that-is-long-enough-0123456789";
const key = createSecretKey(Buffer.from(secret));
const token = jwt.sign({ sub: "1" }, key, { algorithm: "HS256" });
const withString = rate(() => jwt.verify(token, secret, { algorithms: ["HS256"] }));
const withKey = rate(() => jwt.verify(token, key, { algorithms: ["HS256"] }));

async function listen(server) {
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return server.address().port;
}

async function load(port, total = 3000, concurrency = 32) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let sent = 0;
  const started = performance.now();
  const worker = async () => {
    while (sent < total) {
      sent += 1;
      await new Promise((resolve, reject) => {
        const req = request({ port, host: "127.0.0.1", path: "/bench", agent, headers: { Authorization: `Bearer ${token}` } }, (res) => {
          res.resume();
          res.on("end", resolve);
        });
        req.on("error", reject);
        req.end();
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return (total * 1000) / (performance.now() - started);
}

const upstream = createServer(createProbeHandler());
const upstreamPort = await listen(upstream);
const gateway = (keepAlive) =>
  createNodeProxy({
    name: "bench",
    listen: { host: "127.0.0.1", port: 0 },
    target: `http://127.0.0.1:${upstreamPort}`,
    keepAlive,
    xForwarded: true,
    maxHeaderSize: 16384,
    timeoutMs: 30000,
    headers: { mode: "forward", allow: [], set: {} },
    hopEcho: null,
  });
const on = gateway(true);
const off = gateway(false);
const onPort = await listen(on);
const offPort = await listen(off);
await load(onPort, 300); // warm up
const direct = await load(upstreamPort);
const keepAliveRate = await load(onPort);
const noKeepAliveRate = await load(offPort);
// nginx in front of the same upstream, with the lab's correct config, when nginx is installed.
let nginxRate = null;
const nginxBinary = findBinary("nginx").path;
if (nginxBinary) {
  const dir = mkdtempSync(join(tmpdir(), "authprobe-lab-bench-"));
  const port = await freePort();
  const vars = { LISTEN_HOST: "127.0.0.1", LISTEN_PORT: String(port), UPSTREAM_HOST: "127.0.0.1", UPSTREAM_PORT: String(upstreamPort) };
  const nginx = await startNginx(nginxBinary, join(PROXY_CONFIGS_DIR, "nginx/proxy-pass.conf.template"), vars, dir);
  try {
    await load(port, 300);
    nginxRate = await load(port);
  } finally {
    await nginx.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
for (const s of [on, off, upstream]) {
  s.closeAllConnections();
  s.close();
}

const fmt = (n) => Math.round(n).toLocaleString("en");
console.log(`jsonwebtoken verify, string secret:   ${fmt(withString)}/s`);
console.log(`jsonwebtoken verify, KeyObject:       ${fmt(withKey)}/s  (x${(withKey / withString).toFixed(1)})`);
console.log(`probe direct:                         ${fmt(direct)} req/s`);
console.log(`gateway, keep-alive upstream agent:   ${fmt(keepAliveRate)} req/s`);
console.log(`gateway, no keep-alive:               ${fmt(noKeepAliveRate)} req/s  (x${(noKeepAliveRate / keepAliveRate).toFixed(2)} of keep-alive)`);
console.log(
  nginxRate === null
    ? "nginx proxy_pass:                     skipped (nginx is not installed: apt-get install -y nginx)"
    : `nginx proxy_pass:                     ${fmt(nginxRate)} req/s  (x${(nginxRate / keepAliveRate).toFixed(2)} of the keep-alive gateway)`,
);
