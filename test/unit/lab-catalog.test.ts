import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/errors.js";
import { CATALOG_PATH, loadCatalog, PROXY_CONFIGS_DIR, parseCatalog } from "../../src/lab/catalog.js";
import { TEMPLATE_VARIABLES } from "../../src/lab/constants.js";
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

  it("has at least 50 scenarios; every server has a correct and a broken row; stacks reach the app servers", () => {
    expect(catalog.length).toBeGreaterThanOrEqual(50);
    const servers = ["nginx", "apache", "node", "haproxy", "caddy", "varnish"];
    expect(new Set(catalog.map((s) => s.server))).toEqual(new Set(servers));
    for (const server of [...servers, "gunicorn", "uwsgi", "php-fpm"]) {
      const rows = catalog.filter((s) => s.stack.includes(server as never));
      expect(rows.some((s) => s.expect.outcome === "intact"), `${server} has a correct row`).toBe(true);
      expect(rows.some((s) => s.expect.outcome !== "intact"), `${server} has a broken row`).toBe(true);
    }
  });

  it("names the component each broken scenario breaks, and none for a correct one", () => {
    for (const s of catalog) expect(Boolean(s.blame), s.id).toBe(s.expect.outcome !== "intact");
  });

  it("pairs every broken scenario with a fix that expects the token intact", () => {
    for (const s of catalog.filter((x) => x.expect.outcome !== "intact")) {
      const fix = catalog.find((x) => x.id === s.fixedBy);
      expect(fix?.expect.outcome, s.id).toBe("intact");
    }
  });

  it("uses only placeholders the runners and compose provide", () => {
    const known = new Set<string>(TEMPLATE_VARIABLES);
    for (const s of catalog) {
      for (const file of s.hops.map((h) => h.config)) {
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
      ok.replace("server: nginx", "server: lighttpd"),
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
      ok.replace("expect: intact", "expect: missing\n    blame: nginx"),
      /'fixedBy' is required/,
    ],
    [
      "rejected without a status",
      ok.replace("expect: intact", "expect: rejected\n    rejectedBy: nginx\n    blame: nginx\n    fixedBy: a-ok"),
      /'status' is required/,
    ],
    [
      "a broken scenario without blame",
      ok.replace("expect: intact", "expect: missing\n    fixedBy: a-ok"),
      /'blame' is required/,
    ],
    [
      "an app server without its config",
      ok.replace("upstream: app", "upstream: gunicorn"),
      /'upstreamConfig' is required/,
    ],
    [
      "an unknown send field",
      ok.replace("upstream: app", "upstream: app\n    send: { size: 3 }"),
      /'send.size' is not a known field/,
    ],
    ["a duplicate id", ok + ok.replace("scenarios:\n", ""), /'id' is used twice/],
    [
      "fixedBy naming nothing",
      ok.replace("expect: intact", "expect: missing\n    blame: nginx\n    fixedBy: ghost"),
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
    const filesOf = (s: (typeof catalog)[number]) => [
      ...s.hops.map((h) => h.config),
      ...(s.upstreamConfig ? [s.upstreamConfig] : []),
    ];
    const used = new Set(catalog.flatMap(filesOf));
    for (const dir of ["nginx", "apache", "node", "haproxy", "caddy", "varnish", "gunicorn", "uwsgi", "php-fpm"]) {
      // .htpasswd and Varnish's .params are read beside the config that names them.
      for (const file of readdirSync(join(PROXY_CONFIGS_DIR, dir)).filter((f) => !/\.(htpasswd|params)$/.test(f))) {
        expect(used.has(`${dir}/${file}`), `${dir}/${file}`).toBe(true);
      }
    }
  });

  it("lives where the docs say", () => {
    expect(existsSync(CATALOG_PATH)).toBe(true);
  });
});
