// Start-up cost per server kind: from spawn to accepting connections, with the lab's own runners
// and a correct config of each. Prints one JSON object {kind: ms}; a kind not installed is left out.
import { join } from "node:path";
import { startAppServer } from "../../dist/lab/app-servers.js";
import { findBinary } from "../../dist/lab/binaries.js";
import { PROXY_CONFIGS_DIR } from "../../dist/lab/catalog.js";
import { freePort } from "../../dist/lab/ports.js";
import { startApache } from "../../dist/lab/runners/apache.js";
import { startCaddy } from "../../dist/lab/runners/caddy.js";
import { startHaproxy } from "../../dist/lab/runners/haproxy.js";
import { startNginx } from "../../dist/lab/runners/nginx.js";
import { startVarnish } from "../../dist/lab/runners/varnish.js";
import { makeWorkdir, removeWorkdir } from "../../dist/lab/workdirs.js";

const hops = {
  nginx: [startNginx, "nginx/proxy-pass.conf.template"],
  apache: [startApache, "apache/proxy-pass.conf"],
  haproxy: [startHaproxy, "haproxy/forward.cfg"],
  caddy: [startCaddy, "caddy/forward.Caddyfile"],
  varnish: [startVarnish, "varnish/pass.vcl.template"],
};
const apps = { gunicorn: "gunicorn/default.conf.py", uwsgi: "uwsgi/large-buffer.ini", "php-fpm": "php-fpm/pool.conf" };
const out = {};
for (const [kind, [run, config]] of Object.entries(hops)) {
  const binary = findBinary(kind);
  if (!binary.path) continue;
  const dir = makeWorkdir();
  const vars = {
    LISTEN_HOST: "127.0.0.1",
    LISTEN_PORT: String(await freePort()),
    UPSTREAM_HOST: "127.0.0.1",
    UPSTREAM_PORT: String(await freePort()),
    HOP_ECHO_HOST: "127.0.0.1",
    HOP_ECHO_PORT: String(await freePort()),
    PROBES_DIR: join(PROXY_CONFIGS_DIR, "probes"),
  };
  const t = performance.now();
  const hop = await run(binary.path, join(PROXY_CONFIGS_DIR, config), vars, dir);
  out[kind] = Math.round(performance.now() - t);
  await hop.stop();
  removeWorkdir(dir);
}
for (const [kind, config] of Object.entries(apps)) {
  if (!findBinary(kind).path) continue;
  const dir = makeWorkdir();
  const t = performance.now();
  const server = await startAppServer(kind, config, join(dir, kind));
  out[kind] = Math.round(performance.now() - t);
  await server.stop();
  removeWorkdir(dir);
}
process.stdout.write(`${JSON.stringify(out)}\n`);
