import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadCatalog } from "../../src/lab/catalog.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dockerDir = join(root, "docker");
const composeFile = join(dockerDir, "compose.yaml");
const PROFILES = ["nginx", "apache", "node", "haproxy", "caddy", "varnish", "python", "php", "all"];

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string; target?: string; network?: string };
  command?: string[];
  entrypoint?: string[];
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  labels?: Record<string, string>;
  profiles?: string[];
}

const services = (parse(readFileSync(composeFile, "utf8")) as { services: Record<string, Service> }).services;
const entries = Object.entries(services);
/** Published ports as 127.0.0.1:HOST:CONTAINER; the host port of each. */
const hostPort = (s: Service) => s.ports?.map((p) => Number(p.split(":").at(-2)));

describe("docker/compose.yaml, checked without a Docker engine", () => {
  it.each(PROFILES)("docker-compose --profile %s config -q succeeds", (profile) => {
    const r = spawnSync("docker-compose", ["-f", composeFile, "--profile", profile, "config", "-q"], { encoding: "utf8" });
    if (r.error) throw new Error("docker-compose is missing: apt-get install -y docker-compose");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("every profile has services and every service names known profiles", () => {
    for (const p of PROFILES) expect(entries.some(([, s]) => s.profiles?.includes(p)), p).toBe(true);
    for (const [name, s] of entries) {
      expect(s.profiles?.length, name).toBeGreaterThan(0);
      for (const p of s.profiles ?? []) expect(PROFILES, name).toContain(p);
    }
  });

  it("depends_on names existing services, healthy, active in every profile of the dependent", () => {
    for (const [name, s] of entries) {
      for (const [dep, cond] of Object.entries(s.depends_on ?? {})) {
        expect(services[dep], `${name} -> ${dep}`).toBeDefined();
        expect(cond.condition).toBe("service_healthy");
        for (const p of s.profiles ?? []) expect(services[dep]?.profiles, `${name} -> ${dep} in ${p}`).toContain(p);
      }
    }
  });

  it("every mounted path, build context and Dockerfile exists", () => {
    for (const [name, s] of entries) {
      for (const v of s.volumes ?? []) expect(existsSync(resolve(dockerDir, v.split(":")[0] as string)), `${name}: ${v}`).toBe(true);
      if (s.build) {
        expect(existsSync(resolve(dockerDir, s.build.context)), name).toBe(true);
        expect(existsSync(resolve(dockerDir, s.build.context, s.build.dockerfile)), name).toBe(true);
      }
      expect(s.build || s.image, name).toBeTruthy();
    }
  });

  it("publishes every port on 127.0.0.1 only", () => {
    for (const [name, s] of entries) for (const p of s.ports ?? []) expect(p, name).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });

  it(".dockerignore keeps node_modules, .git and env files out of the build context", () => {
    const ignored = readFileSync(join(root, ".dockerignore"), "utf8").split("\n").map((l) => l.trim());
    for (const entry of ["node_modules", ".git", ".env"]) expect(ignored).toContain(entry);
  });

  it("names the compose project authprobe in a way docker-compose 1.29 and Compose v2 both read", () => {
    expect(readFileSync(join(dockerDir, ".env"), "utf8")).toMatch(/^COMPOSE_PROJECT_NAME=authprobe$/m);
  });

  it("host ports are unique", () => {
    const ports = entries.flatMap(([, s]) => hostPort(s) ?? []);
    expect(new Set(ports).size).toBe(ports.length);
  });

  it("every image is built from this repository's Dockerfiles, with the host's network", () => {
    // No registry image: what compose runs is Debian bookworm's packages, the versions the tests prove.
    for (const [name, s] of entries) {
      expect(s.image, name).toMatch(/^authprobe\/[a-z-]+:local$/);
      expect(s.build?.dockerfile, name).toMatch(/^docker\/[a-z]*\.?Dockerfile$/);
      expect(s.build?.network, name).toBe("host");
    }
  });

  it("nothing is installed or fetched when a container starts", () => {
    for (const [name, s] of entries) {
      const startup = [...(s.command ?? []), ...(s.entrypoint ?? [])].join(" ");
      expect(startup, name).not.toMatch(/\b(apk|apt-get|wget|curl|npm (ci|install))\b/);
    }
  });

  it("every service has a healthcheck", () => {
    for (const [name, s] of entries) expect(s.healthcheck?.test.length, name).toBeGreaterThan(0);
  });

  it.each(loadCatalog().map((s) => [s.id, s] as const))("scenario %s has a service per hop mounting its very config file", (id, scenario) => {
    const service = services[id];
    expect(service?.labels?.["authprobe.scenario"]).toBe(id);
    const ofScenario = entries.filter(([, s]) => s.labels?.["authprobe.scenario"] === id);
    for (const config of [...scenario.hops.map((h) => h.config), ...(scenario.upstreamConfig ? [scenario.upstreamConfig] : [])]) {
      expect(ofScenario.some(([, s]) => s.volumes?.some((v) => v.startsWith(`../proxy-configs/${config}:`))), config).toBe(true);
    }
    expect(hostPort(service ?? {})?.length).toBe(scenario.tls === "redirect" ? 2 : 1);
  });

  it("docs/lab.md's port table matches compose.yaml", () => {
    const lab = readFileSync(join(root, "docs/lab.md"), "utf8");
    const rows = [...lab.matchAll(/^\| ([a-z0-9-]+) \| (nginx|apache|node|haproxy|caddy|varnish) \| (\d+) \|/gm)];
    expect(rows.length).toBe(loadCatalog().length);
    for (const [, id, server, port] of rows) {
      expect(hostPort(services[id as string] ?? {})?.[0], id).toEqual(Number(port));
      expect(services[id as string]?.profiles, id).toContain(server);
    }
  });
});

describe("generated files", () => {
  it("docker/compose.yaml and docs/lab.md are what scripts/gen-compose.mjs makes from the catalog", () => {
    const r = spawnSync(process.execPath, [join(root, "scripts/gen-compose.mjs"), "--check"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
