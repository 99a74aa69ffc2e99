import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/errors.js";
import { CATALOG_PATH, loadCatalog, PROXY_CONFIGS_DIR, parseCatalog } from "../../src/lab/catalog.js";
import { placeholders } from "../../src/proxy/render-template.js";

const ok = `scenarios:
  - id: a-ok
    title: fine
    server: nginx
    config: nginx/proxy-pass.conf.template
    upstream: app
    expect: intact
    docs: troubleshooting.md#x
    findings: []
`;

describe("scenario catalog", () => {
  const catalog = loadCatalog();

  it("has at least 20 scenarios across nginx, Apache and Node", () => {
    expect(catalog.length).toBeGreaterThanOrEqual(20);
    expect(new Set(catalog.map((s) => s.server))).toEqual(new Set(["nginx", "apache", "node"]));
  });

  it("pairs every broken scenario with a fix that expects the token intact", () => {
    for (const s of catalog.filter((x) => x.expect.outcome !== "intact")) {
      const fix = catalog.find((x) => x.id === s.fixedBy);
      expect(fix?.expect.outcome, s.id).toBe("intact");
    }
  });

  it("uses only placeholders the runners and compose provide", () => {
    const known = new Set([
      "LISTEN_HOST",
      "LISTEN_PORT",
      "UPSTREAM_HOST",
      "UPSTREAM_PORT",
      "HOP_ECHO_HOST",
      "HOP_ECHO_PORT",
      "PROBES_DIR",
      "HTPASSWD_FILE",
    ]);
    for (const s of catalog) {
      for (const file of [s.config, s.gateway].filter(Boolean) as string[]) {
        for (const name of placeholders(readFileSync(join(PROXY_CONFIGS_DIR, file), "utf8"))) {
          expect(known.has(name), `${file} uses \${${name}}`).toBe(true);
        }
      }
    }
  });

  it("parses a minimal valid catalog", () => {
    expect(parseCatalog(ok, "x.yaml")[0]).toMatchObject({
      id: "a-ok",
      send: {},
      expect: { outcome: "intact" },
    });
  });

  const bad: [string, string, RegExp][] = [
    [
      "an unknown server",
      ok.replace("server: nginx", "server: caddy"),
      /scenario 'a-ok': 'server' must be one of/,
    ],
    [
      "a missing config file",
      ok.replace("proxy-pass.conf", "nope.conf"),
      /'config' names 'nginx\/nope.conf.template'/,
    ],
    ["an unknown outcome", ok.replace("expect: intact", "expect: lost"), /'expect' must be one of/],
    [
      "a broken scenario without fixedBy",
      ok.replace("expect: intact", "expect: missing"),
      /'fixedBy' is required/,
    ],
    [
      "rejected without a status",
      ok.replace("expect: intact", "expect: rejected\n    fixedBy: a-ok"),
      /'status' is required/,
    ],
    [
      "an unknown send field",
      ok.replace("upstream: app", "upstream: app\n    send: { size: 3 }"),
      /'send.size' is not a known field/,
    ],
    ["a duplicate id", ok + ok.replace("scenarios:\n", ""), /'id' is used twice/],
    [
      "fixedBy naming nothing",
      ok.replace("expect: intact", "expect: missing\n    fixedBy: ghost"),
      /unknown 'ghost'/,
    ],
    ["not YAML", "scenarios: [", /not valid YAML/],
    ["no scenarios", "other: 1", /non-empty 'scenarios' list/],
    ["an unknown finding code", ok.replace("findings: []", "findings: [AUTH_GONE]"), /'findings' must be a list of finding codes/],
    ["no findings list", ok.replace("    findings: []\n", ""), /'findings' must be a list/],
  ];
  it.each(bad)("rejects %s, naming the file, the entry and the field", (_n, text, message) => {
    expect(() => parseCatalog(text, "my.yaml")).toThrow(ConfigError);
    expect(() => parseCatalog(text, "my.yaml")).toThrow(/^my\.yaml: /);
    expect(() => parseCatalog(text, "my.yaml")).toThrow(message);
  });

  it("runs every config file under proxy-configs/ (no orphan that nothing tests)", () => {
    const used = new Set(catalog.flatMap((s) => [s.config, s.gateway].filter(Boolean)));
    for (const dir of ["nginx", "apache", "node"]) {
      for (const file of readdirSync(join(PROXY_CONFIGS_DIR, dir)).filter((f) => !f.endsWith(".htpasswd"))) {
        expect(used.has(`${dir}/${file}`), `${dir}/${file}`).toBe(true);
      }
    }
  });

  it("lives where the docs say", () => {
    expect(existsSync(CATALOG_PATH)).toBe(true);
  });
});
