// Writes docker/compose.yaml and the service table in docs/lab.md from proxy-configs/scenarios.yaml,
// so the containers run exactly the catalog's config files. Run: npm run compose
import { readFileSync, writeFileSync } from "node:fs";
import { parse } from "yaml";

const root = new URL("../", import.meta.url);
const { scenarios } = parse(readFileSync(new URL("proxy-configs/scenarios.yaml", root), "utf8"));
const BASE_PORT = { nginx: 8100, apache: 8200, node: 8300 };
const UPSTREAM = { app: ["app", "3000"], probe: ["probe", "3001"], down: ["nowhere.invalid", "3999"] };
const PROFILES = { nginx: ["nginx", "all"], apache: ["apache", "all"], node: ["node", "all"] };
const nodeHealth = (port) => ({
  test: ["CMD", "node", "-e", `require('net').connect(${port},'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))`],
  interval: "5s",
  timeout: "3s",
  retries: 10,
});
const tcpHealth = (port) => ({ test: ["CMD", "bash", "-c", `exec 3<>/dev/tcp/127.0.0.1/${port}`], interval: "5s", timeout: "3s", retries: 10 });
const httpHealth = (port) => ({
  // Any HTTP answer is healthy: broken scenarios answer 4xx on purpose.
  test: ["CMD-SHELL", `wget -q -S -O /dev/null http://127.0.0.1:${port}/ 2>&1 | grep -q 'HTTP/'`],
  interval: "5s",
  timeout: "3s",
  retries: 10,
});
const healthy = (names) => Object.fromEntries(names.map((n) => [n, { condition: "service_healthy" }]));
const node = { build: { context: "..", dockerfile: "docker/Dockerfile" }, image: "authprobe/node:local" };

const services = {
  app: {
    ...node,
    command: ["serve", "app", "--host", "0.0.0.0", "--port", "3000", "--max-header-size", "65536"],
    ports: ["3000:3000"],
    healthcheck: nodeHealth(3000),
    profiles: ["nginx", "apache", "node", "all"],
  },
  probe: {
    ...node,
    command: ["serve", "probe", "--host", "0.0.0.0", "--port", "3001", "--max-header-size", "65536"],
    ports: ["3001:3001"],
    healthcheck: nodeHealth(3001),
    depends_on: healthy(["app"]),
    profiles: ["nginx", "apache", "node", "all"],
  },
};
const rows = [];
const counters = { ...BASE_PORT };

for (const s of scenarios) {
  const hostPort = ++counters[s.server];
  const [upHost, upPort] = UPSTREAM[s.upstream] ?? ["", ""];
  const env = { LISTEN_HOST: "0.0.0.0", LISTEN_PORT: "8080", UPSTREAM_HOST: upHost, UPSTREAM_PORT: upPort };
  const deps = s.upstream === "app" || s.upstream === "probe" ? [s.upstream] : [];
  let service;
  if (s.gateway) {
    const gw = `${s.id}-gateway`;
    services[gw] = {
      ...node,
      command: ["serve", "proxy", "--config", "/etc/authprobe/proxy.json"],
      environment: { ...env, LISTEN_PORT: "8081" },
      volumes: [`../proxy-configs/${s.gateway}:/etc/authprobe/proxy.json:ro`],
      healthcheck: nodeHealth(8081),
      depends_on: healthy(deps),
      labels: { "authprobe.scenario": s.id, "authprobe.config": s.gateway },
      profiles: PROFILES[s.server],
    };
    env.UPSTREAM_HOST = gw;
    env.UPSTREAM_PORT = "8081";
    deps.splice(0, deps.length, gw, "probe");
  }
  if (s.send?.followRedirects) {
    // The redirect must land somewhere the user's client can reach: the probe's published port.
    env.UPSTREAM_HOST = "localhost";
    env.UPSTREAM_PORT = "3001";
  }
  if (s.server === "nginx") {
    service = {
      image: "nginx:1.27-alpine",
      environment: { ...env, HOP_ECHO_HOST: "probe", HOP_ECHO_PORT: "3001" },
      volumes: [`../proxy-configs/${s.config}:/etc/nginx/templates/scenario.conf.template:ro`],
      healthcheck: httpHealth(8080),
    };
  } else if (s.server === "apache") {
    service = {
      build: { context: "..", dockerfile: "docker/apache.Dockerfile" },
      image: "authprobe/apache:local",
      environment: { ...env, PROBES_DIR: "/srv/authprobe/probes", HTPASSWD_FILE: "/etc/authprobe/edge.htpasswd" },
      volumes: [
        `../proxy-configs/${s.config}:/etc/authprobe/scenario.conf:ro`,
        "../proxy-configs/probes:/srv/authprobe/probes:ro",
        "../proxy-configs/apache/edge.htpasswd:/etc/authprobe/edge.htpasswd:ro",
      ],
      healthcheck: tcpHealth(8080),
    };
  } else {
    service = {
      ...node,
      command: ["serve", "proxy", "--config", "/etc/authprobe/proxy.json"],
      environment: env,
      volumes: [`../proxy-configs/${s.config}:/etc/authprobe/proxy.json:ro`],
      healthcheck: nodeHealth(8080),
    };
  }
  services[s.id] = {
    ...service,
    ports: [`${hostPort}:8080`],
    ...(deps.length ? { depends_on: healthy(deps) } : { depends_on: healthy(["app"]) }),
    labels: { "authprobe.scenario": s.id, "authprobe.config": s.config },
    profiles: PROFILES[s.server],
  };
  const says = s.findings.length ? s.findings.join(", ") : "nothing (exit 0)";
  // The flags the lab itself passes (src/lab/matrix.ts runDoctor), so the table says what you will see.
  const flags = [
    `--token-size ${s.send?.tokenBytes ?? 4096}`,
    ...(s.send?.header ? [`--token-header ${s.send.header}`] : []),
    ...(s.send?.preflight ? ["--origin http://lab.authprobe.test"] : []),
  ].join(" ");
  rows.push(`| ${s.id} | ${s.server} | ${hostPort} | ${s.expect} | \`${flags}\` | ${says} |`);
}

const header = `# Generated by scripts/gen-compose.mjs from proxy-configs/scenarios.yaml: edit those, then npm run compose.
# Every proxy mounts its scenario's config file from proxy-configs/ unchanged.
`;
const { stringify } = await import("yaml");
writeFileSync(new URL("docker/compose.yaml", root), header + stringify({ services }, { lineWidth: 0, aliasDuplicateObjects: false }));

const labPath = new URL("docs/lab.md", root);
const lab = readFileSync(labPath, "utf8");
const table = [
  "| scenario (service) | proxy | host port | token at the app | `authprobe doctor http://localhost:PORT/__authprobe/lab` with | reports |",
  "|---|---|---|---|---|---|",
  ...rows,
].join("\n");
writeFileSync(labPath, lab.replace(/<!-- ports:start -->[\s\S]*<!-- ports:end -->/, `<!-- ports:start -->\n${table}\n<!-- ports:end -->`));
