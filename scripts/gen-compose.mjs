// Writes docker/compose.yaml and the service table in docs/lab.md from the validated scenario
// catalog (dist/lab/catalog.js: run `npm run build` first; `npm run compose` does both), so the
// containers run exactly the catalog's config files.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { stringify } from "yaml";
import { LAB_PATH } from "../dist/lab/constants.js";
import { doctorArgs } from "./compose/doctor-args.mjs";
import { loadCatalog } from "../dist/lab/catalog.js";

const root = new URL("../", import.meta.url);
const PROBES = "/srv/authprobe/probes";
/** Host ports by first hop; every port is published on 127.0.0.1 only (the app runs with a development secret). */
const BASE_PORT = { nginx: 8100, apache: 8200, node: 8300, haproxy: 8400, caddy: 8500, varnish: 8600 };
const APP_SERVER_PROFILE = { gunicorn: "python", uwsgi: "python", "php-fpm": "php" };
const UPSTREAM = {
  app: ["app", "3000"],
  probe: ["probe", "3001"],
  // "down": a name that resolves, on a port nothing listens on (connection refused, as in the native lab).
  down: ["probe", "3999"],
};

// Polled every 2 s for up to a minute: `up --wait` returns as soon as every service answers.
const check = (test) => ({ test, interval: "2s", timeout: "3s", retries: 30 });
const nodeHealth = (port) =>
  check(["CMD", "node", "-e", `require('net').connect(${port},'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))`]);
const bashHealth = (port) => check(["CMD", "bash", "-c", `exec 3<>/dev/tcp/127.0.0.1/${port}`]);
const pythonHealth = (port) => check(["CMD", "python3", "-c", `import socket; socket.create_connection(('127.0.0.1', ${port}), 2)`]);
const healthy = (names) => Object.fromEntries(names.map((n) => [n, { condition: "service_healthy" }]));
// Every image is built from this repository (Debian bookworm's packages, the versions the native lab
// tests); builds use the host's network, which is how they reach Debian's mirror and npm.
const build = (dockerfile, target) => ({ context: "..", dockerfile, ...(target ? { target } : {}), network: "host" });
const node = { build: build("docker/Dockerfile"), image: "authprobe/node:local", restart: "unless-stopped" };
const python = { build: build("docker/python.Dockerfile"), image: "authprobe/python:local" };
/** The proxies, PHP-FPM and the certs maker: one target each of docker/servers.Dockerfile. */
const serverImage = (target) => ({ build: build("docker/servers.Dockerfile", target), image: `authprobe/${target}:local` });
const ALL_PROFILES = [...Object.keys(BASE_PORT), "python", "php", "all"];

const services = {
  app: {
    ...node,
    command: ["serve", "app", "--host", "0.0.0.0", "--port", "3000", "--max-header-size", "65536"],
    // As in the native lab (src/lab/upstream.ts): CORS for any origin, so its probe answers pages too.
    environment: { CORS_ORIGINS: "*" },
    ports: ["127.0.0.1:3000:3000"],
    healthcheck: nodeHealth(3000),
    profiles: ALL_PROFILES,
  },
  probe: {
    ...node,
    command: ["serve", "probe", "--host", "0.0.0.0", "--port", "3001", "--max-header-size", "65536"],
    ports: ["127.0.0.1:3001:3001"],
    healthcheck: nodeHealth(3001),
    depends_on: healthy(["app"]),
    profiles: ALL_PROFILES,
  },
  // A throwaway CA and a certificate for localhost, for the TLS scenarios (the lab makes its own).
  certs: {
    ...serverImage("certs"),
    volumes: ["./certs:/certs"],
    healthcheck: check(["CMD", "test", "-f", "/certs/server.pem"]),
    profiles: ["nginx", "all"],
  },
};

/** The container for one hop, reading `config` from proxy-configs/ unchanged. */
function hopService(server, config, env) {
  const mount = (target) => [`../proxy-configs/${config}:${target}:ro`];
  switch (server) {
    case "nginx": {
      const tls = /\$\{TLS_/.test(readFileSync(new URL(`proxy-configs/${config}`, root), "utf8"));
      return {
        ...serverImage("nginx"),
        environment: { ...env, HOP_ECHO_HOST: "probe", HOP_ECHO_PORT: "3001", PROBES_DIR: PROBES, ...(tls ? { TLS_CERT: "/certs/server.pem", TLS_KEY: "/certs/server.key" } : {}) },
        // The image's docker/nginx/nginx.conf logs at info level to stderr: "client sent invalid
        // header line" and "too long header line" show in `docker compose logs`.
        volumes: [...mount("/etc/nginx/templates/scenario.conf.template"), ...(tls ? ["./certs:/certs:ro"] : [])],
        healthcheck: bashHealth(8080),
        extraDeps: tls ? ["certs"] : [],
      };
    }
    case "apache": {
      // As the native runner does: mod_wsgi is loaded only for a config that uses it, so Apache's
      // Server header names mod_wsgi only where an app may run under it.
      const wsgi = /^\s*WSGI/m.test(readFileSync(new URL(`proxy-configs/${config}`, root), "utf8"));
      return {
        build: build("docker/apache.Dockerfile"),
        image: "authprobe/apache:local",
        ...(wsgi ? { command: ["apache2", "-f", "/etc/authprobe/httpd.conf", "-DFOREGROUND", "-DAUTHPROBE_WSGI"] } : {}),
        environment: { ...env, PROBES_DIR: PROBES, HTPASSWD_FILE: "/etc/authprobe/edge.htpasswd", HOP_ECHO_HOST: "probe", HOP_ECHO_PORT: "3001" },
        volumes: [...mount("/etc/authprobe/scenario.conf"), `../proxy-configs/probes:${PROBES}:ro`, "../proxy-configs/apache/edge.htpasswd:/etc/authprobe/edge.htpasswd:ro"],
        healthcheck: bashHealth(8080),
        // mod_wsgi's daemon takes about 10 s to stop on SIGTERM; Docker would kill it at 10 s.
        stop_grace_period: "20s",
      };
    }
    case "haproxy":
      return {
        ...serverImage("haproxy"),
        environment: { ...env, HOP_ECHO_HOST: "probe", HOP_ECHO_PORT: "3001" },
        volumes: mount("/usr/local/etc/haproxy/haproxy.cfg"),
        healthcheck: bashHealth(8080),
      };
    case "caddy":
      return {
        ...serverImage("caddy"),
        environment: { ...env, HOP_ECHO_HOST: "probe", HOP_ECHO_PORT: "3001" },
        volumes: mount("/etc/caddy/Caddyfile"),
        healthcheck: bashHealth(8080),
      };
    case "varnish": {
      // VCL has no environment: the image renders ${VAR} like the native lab, and passes the .params
      // file beside the VCL, if any, as -p name=value (docker/servers.Dockerfile, target varnish).
      const params = config.replace(/\.vcl\.template$/, ".params");
      const hasParams = existsSync(new URL(`proxy-configs/${params}`, root));
      return {
        ...serverImage("varnish"),
        environment: { ...env, HOP_ECHO_HOST: "probe", HOP_ECHO_PORT: "3001" },
        volumes: [...mount("/etc/varnish/default.vcl.template"), ...(hasParams ? [`../proxy-configs/${params}:/etc/varnish/default.params:ro`] : [])],
        healthcheck: bashHealth(8080),
      };
    }
    default:
      return {
        ...node,
        command: ["serve", "proxy", "--config", "/etc/authprobe/proxy.json"],
        environment: env,
        volumes: mount("/etc/authprobe/proxy.json"),
        healthcheck: nodeHealth(8080),
      };
  }
}

/** The application server of a scenario (gunicorn, uWSGI, PHP-FPM), with its own config file. */
function appService(kind, config) {
  const env = { LISTEN_HOST: "0.0.0.0", LISTEN_PORT: "9000", PROBES_DIR: PROBES };
  const probes = `../proxy-configs/probes:${PROBES}:ro`;
  if (kind === "php-fpm") {
    return {
      ...serverImage("php-fpm"),
      environment: { ...env, FPM_ERROR_LOG: "/proc/self/fd/2" },
      volumes: [`../proxy-configs/${config}:/etc/authprobe/pool.conf:ro`, probes],
      healthcheck: bashHealth(9000),
    };
  }
  const command = kind === "gunicorn" ? ["gunicorn", "-c", "/etc/authprobe/app-server.conf"] : ["uwsgi", "--ini", "/etc/authprobe/app-server.conf"];
  return { ...python, command, environment: env, volumes: [`../proxy-configs/${config}:/etc/authprobe/app-server.conf:ro`, probes], healthcheck: pythonHealth(9000) };
}

const rows = [];
const counters = { ...BASE_PORT };

for (const s of loadCatalog()) {
  const profiles = [s.server, ...(APP_SERVER_PROFILE[s.upstream] ? [APP_SERVER_PROFILE[s.upstream]] : []), "all"];
  const label = (config) => ({ "authprobe.scenario": s.id, "authprobe.config": config });
  let [upHost, upPort] = UPSTREAM[s.upstream] ?? ["", ""];
  let deps = s.upstream === "app" || s.upstream === "probe" ? [s.upstream] : [];
  if (APP_SERVER_PROFILE[s.upstream]) {
    const name = `${s.id}-${s.upstream}`;
    services[name] = { ...appService(s.upstream, s.upstreamConfig), labels: label(s.upstreamConfig), profiles };
    [upHost, upPort, deps] = [name, "9000", [name]];
  }
  if (s.send.followRedirects && s.tls !== "redirect") {
    // The redirect must land somewhere the user's client can reach: the probe's published port.
    [upHost, upPort] = ["localhost", "3001"];
  }
  const hostPort = ++counters[s.server];
  // The https side of an http -> https redirect listens on the port the redirect names, published as is.
  const tlsPort = s.tls === "redirect" ? hostPort + 50 : null;
  // From the app outwards: each hop proxies to the one after it.
  for (let i = s.hops.length - 1; i >= 0; i--) {
    const hop = s.hops[i];
    const name = i === 0 ? s.id : `${s.id}-${i}-${hop.server}`;
    const env = {
      LISTEN_HOST: "0.0.0.0",
      LISTEN_PORT: "8080",
      UPSTREAM_HOST: upHost,
      UPSTREAM_PORT: upPort,
      PROBE_HOST: "probe",
      PROBE_PORT: "3001",
      ...(i === 0 && tlsPort ? { TLS_PORT: String(tlsPort) } : {}),
    };
    const { extraDeps = [], ...service } = hopService(hop.server, hop.config, env);
    const allDeps = [...new Set([...deps, ...extraDeps, "probe"])];
    services[name] = {
      ...service,
      ...(i === 0 ? { ports: [`127.0.0.1:${hostPort}:8080`, ...(tlsPort ? [`127.0.0.1:${tlsPort}:${tlsPort}`] : [])] } : {}),
      depends_on: healthy(allDeps),
      labels: label(hop.config),
      profiles,
    };
    [upHost, upPort, deps] = [name, "8080", [name]];
  }
  const says = s.findings.length ? s.findings.join(", ") : "nothing (exit 0)";
  // The flags the lab itself passes, and --hop for each hop's echo: the compose test runs this very line.
  const { scheme, flags: argv } = doctorArgs(s, hostPort);
  const flags = argv.join(" ");
  const expected = s.expect.outcome === "rejected" ? `rejected ${s.expect.status} by ${s.expect.rejectedBy}` : s.expect.outcome;
  rows.push(`| ${s.id} | ${s.server} | ${hostPort} | ${s.stack.join(" > ")} | ${expected} | \`${scheme}\` ${flags ? `\`${flags}\`` : ""} | ${says} |`);
}

// --check: write nothing, exit 1 when a generated file differs from what is committed.
const checkOnly = process.argv.includes("--check");
const stale = [];
function emit(url, text) {
  if (!checkOnly) return writeFileSync(url, text);
  if (!existsSync(url) || readFileSync(url, "utf8") !== text) stale.push(url.pathname);
}

const header = `# Generated by scripts/gen-compose.mjs from proxy-configs/scenarios.yaml: edit those, then npm run compose.
# Every proxy mounts its scenario's config file from proxy-configs/ unchanged. Ports are published on
# 127.0.0.1 only. The project name comes from docker/.env (COMPOSE_PROJECT_NAME=authprobe).
`;
emit(new URL("docker/compose.yaml", root), header + stringify({ services }, { lineWidth: 0, aliasDuplicateObjects: false }));

const labPath = new URL("docs/lab.md", root);
const lab = readFileSync(labPath, "utf8");
const table = [
  `| scenario (service) | first hop | host port | stack | token at the app | \`authprobe doctor SCHEME://localhost:PORT${LAB_PATH}\` with | reports |`,
  "|---|---|---|---|---|---|---|",
  ...rows,
].join("\n");
emit(labPath, lab.replace(/<!-- ports:start -->[\s\S]*<!-- ports:end -->/, `<!-- ports:start -->\n${table}\n<!-- ports:end -->`));
if (stale.length) {
  process.stderr.write(`out of date (run npm run compose): ${stale.join(", ")}\n`);
  process.exit(1);
}
