import { spawnSync } from "node:child_process";
import { join } from "node:path";
import jwt from "jsonwebtoken";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diagnose } from "../../src/doctor/diagnose.js";
import type { DoctorOptions, DoctorResult, Finding } from "../../src/doctor/types.js";
import { exitCodeFor } from "../../src/doctor/verdict.js";
import { findBinary, hasModWsgi, INSTALL_HINT } from "../../src/lab/binaries.js";
import { PROXY_CONFIGS_DIR } from "../../src/lab/catalog.js";
import { freePort } from "../../src/lab/ports.js";
import { startApache } from "../../src/lab/runners/apache.js";
import { startNginx } from "../../src/lab/runners/nginx.js";
import { spawnAndWait, type SpawnedServer } from "../../src/lab/runners/spawned.js";
import type { RunningHop } from "../../src/lab/runners/types.js";
import { makeWorkdir, removeWorkdir } from "../../src/lab/workdirs.js";
import { BLACK_BOX_SECRET, SCHEMES, type Scheme, VARIANTS, blackBoxExpressApp } from "../fixtures/black-box-apps/express-app.js";
import { isolateTmpdir, leftoverServers } from "../support/leftovers.js";
import { useServers } from "../support/servers.js";

/**
 * Issue 20's acceptance tables, on real servers: small Flask (gunicorn, Apache mod_wsgi) and
 * Express apps with the error answers real apps give, behind real nginx and Apache, healthy and
 * stripping. The doctor runs without a probe (black box): it may say "nothing wrong" only when the
 * token demonstrably got through.
 */
const scope = isolateTmpdir();
const FIXTURES = join(import.meta.dirname, "../fixtures/black-box-apps");
const FLASK_DEPS = "apt-get install -y python3-flask python3-jwt gunicorn";
const validToken = jwt.sign({ sub: "1" }, BLACK_BOX_SECRET, { algorithm: "HS256", expiresIn: 600 });

type Proxy = "nginx" | "apache";
type Condition = "healthy" | "stripped";
interface Stack {
  name: string;
  condition: Condition;
  /** The server that strips the header in the stripped stack, and the words of its fix. */
  proxy: Proxy;
  fix: string;
  url: string;
}

const { serve } = useServers();
const hops: RunningHop[] = [];
const appServers: SpawnedServer[] = [];
const dirs: string[] = [];
const stacks: Stack[] = [];

const FIX = {
  nginx: "proxy_set_header Authorization \"\";",
  apache: "RequestHeader unset Authorization",
  mod_wsgi: "WSGIPassAuthorization On",
};

function binary(kind: "nginx" | "apache" | "gunicorn"): string {
  const found = findBinary(kind);
  if (!found.path) throw new Error(`${kind} is not installed: ${found.install}${kind === "gunicorn" ? ` (and ${FLASK_DEPS})` : ""}`);
  return found.path;
}

function workdir(): string {
  const dir = makeWorkdir();
  dirs.push(dir);
  return dir;
}

async function front(kind: Proxy, config: string, vars: Record<string, string>): Promise<string> {
  const start = kind === "nginx" ? startNginx : startApache;
  const hop = await start(binary(kind), config, { LISTEN_HOST: "127.0.0.1", LISTEN_PORT: String(await freePort()), ...vars }, workdir());
  hops.push(hop);
  return hop.url;
}

/** nginx and Apache in front of an app, each with its stock healthy config and one that removes Authorization. */
async function proxiedStacks(app: string, upstream: string): Promise<void> {
  const vars = { UPSTREAM_HOST: "127.0.0.1", UPSTREAM_PORT: new URL(upstream).port, PROBES_DIR: join(PROXY_CONFIGS_DIR, "probes") };
  const configs: Record<Proxy, Record<Condition, string>> = {
    nginx: { healthy: "nginx/proxy-pass.conf.template", stripped: "nginx/auth-blanked.conf.template" },
    apache: { healthy: "apache/proxy-pass.conf", stripped: "apache/requestheader-unset.conf" },
  };
  for (const proxy of ["nginx", "apache"] as const) {
    for (const condition of ["healthy", "stripped"] as const) {
      const url = await front(proxy, join(PROXY_CONFIGS_DIR, configs[proxy][condition]), vars);
      stacks.push({ name: `${app} behind ${proxy}`, condition, proxy, fix: FIX[proxy], url });
    }
  }
}

async function startGunicorn(): Promise<string> {
  const port = await freePort();
  const dir = workdir();
  const server = await spawnAndWait({
    label: "gunicorn",
    binary: binary("gunicorn"),
    args: ["--bind", `127.0.0.1:${port}`, "--workers", "2", "--chdir", FIXTURES, "flask_app:app"],
    port,
    dir,
    env: { PYTHONDONTWRITEBYTECODE: "1" },
  });
  appServers.push(server);
  return `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  // gunicorn and mod_wsgi run the system Python: the Flask apps need its flask and jwt modules.
  const flask = spawnSync("/usr/bin/python3", ["-c", "import flask, jwt"]);
  if (flask.status !== 0) throw new Error(`Flask or PyJWT is missing: ${FLASK_DEPS}`);
  if (!hasModWsgi()) throw new Error(`mod_wsgi is not installed: ${INSTALL_HINT.wsgi}`);
  await proxiedStacks("Flask under gunicorn", await startGunicorn());
  await proxiedStacks("Express", await serve(blackBoxExpressApp()));
  for (const condition of ["healthy", "stripped"] as const) {
    const config = join(FIXTURES, `wsgi-flask-passauth-${condition === "healthy" ? "on" : "off"}.conf`);
    // PROBES_DIR is the folder of the WSGI script: the runner stages it where Apache's workers can read it.
    const url = await front("apache", config, { PROBES_DIR: FIXTURES });
    stacks.push({ name: "Flask under Apache mod_wsgi", condition, proxy: "apache", fix: FIX.mod_wsgi, url });
  }
}, 60_000);

afterAll(async () => {
  for (const hop of hops) await hop.stop();
  for (const server of appServers) await server.stop();
  for (const dir of dirs) removeWorkdir(dir);
  expect(leftoverServers(scope)).toEqual([]);
});

const problems = (r: DoctorResult) => r.findings.filter((f) => f.severity === "error" || f.severity === "warning");
const summary = (r: DoctorResult) => r.findings.map((f) => `${f.code}(${f.severity}, server=${f.server}, candidates=${(f.candidates ?? []).join("/")})`);
const named = (f: Finding, proxy: Proxy) => f.server === proxy || (f.candidates ?? []).includes(proxy);
const stack = (name: string, condition: Condition) => {
  const found = stacks.find((s) => s.name === name && s.condition === condition);
  if (!found) throw new Error(`no stack ${name} (${condition})`);
  return found;
};
const run = (s: Stack, path: string, options: Omit<DoctorOptions, "target"> = {}) => diagnose({ target: `${s.url}${path}`, ...options });

const STACKS = [
  "Flask under gunicorn behind nginx",
  "Flask under gunicorn behind apache",
  "Express behind nginx",
  "Express behind apache",
  "Flask under Apache mod_wsgi",
];

describe.each(STACKS)("%s", (name) => {
  describe.each(VARIANTS)("an app that answers a missing token with %s", (variant) => {
    it("stripped: never exit 0; the stripping server is named, with its fix", async () => {
      const s = stack(name, "stripped");
      const result = await run(s, `/${variant}/protected`, { token: validToken });
      expect(exitCodeFor(result), summary(result).join(", ")).not.toBe(0);
      const blaming = problems(result).filter((f) => named(f, s.proxy));
      expect(blaming.map((f) => f.code), summary(result).join(", ")).not.toEqual([]);
      const steps = blaming.map((f) => f.fix.steps);
      expect(steps.some((each) => each.some((step) => step.includes(s.fix))), JSON.stringify(steps)).toBe(true);
      expect(result.findings.map((f) => f.code)).not.toContain("SCHEME_MISMATCH");
      expect(JSON.stringify(result)).not.toContain(validToken);
    });

    it("broken at the app (every token refused): never exit 0, neither the proxy nor the scheme blamed", async () => {
      const result = await run(stack(name, "healthy"), `/broken/${variant}/protected`, { token: validToken });
      expect(exitCodeFor(result), summary(result).join(", ")).not.toBe(0);
      expect(problems(result).map((f) => f.code), summary(result).join(", ")).not.toEqual([]);
      // The client sends the Bearer form the app wants: neither a proxy nor the scheme is to blame.
      expect(result.findings.map((f) => f.code), summary(result).join(", ")).not.toContain("AUTH_STRIPPED");
      expect(result.findings.map((f) => f.code), summary(result).join(", ")).not.toContain("SCHEME_MISMATCH");
    });

    it("healthy with the valid token: exit 0, no problem", async () => {
      const result = await run(stack(name, "healthy"), `/${variant}/protected`, { token: validToken });
      expect(problems(result).map((f) => f.code), summary(result).join(", ")).toEqual([]);
      expect(exitCodeFor(result)).toBe(0);
    });
  });

  /** How a client sends the token in the wrong form for an app that wants `scheme`, and the form it accepts. */
  const misSchemed: Record<Scheme, { options: Omit<DoctorOptions, "target">; accepted: string }> = {
    Bearer: { options: { authorization: validToken }, accepted: "`Authorization: Bearer <token>` (the form the app accepted)" },
    JWT: { options: { token: validToken }, accepted: "`Authorization: JWT <token>` (the form the app accepted)" },
    Token: { options: { token: `JWT ${validToken}` }, accepted: "`Authorization: Token <token>` (the form the app accepted)" },
    bare: { options: { token: validToken }, accepted: "the token alone, no scheme (`Authorization: <token>`) (the form the app accepted)" },
  };
  const rightlySchemed: Record<Scheme, Omit<DoctorOptions, "target">> = {
    Bearer: { token: validToken },
    JWT: { token: `JWT ${validToken}` },
    Token: { token: `Token ${validToken}` },
    bare: { authorization: validToken },
  };

  describe.each(SCHEMES)("an app that wants the %s form", (scheme) => {
    it("a mis-schemed client behind a healthy front: SCHEME_MISMATCH with the accepted form in the first step", async () => {
      const result = await run(stack(name, "healthy"), `/scheme/${scheme}/protected`, misSchemed[scheme].options);
      const mismatch = result.findings.find((f) => f.code === "SCHEME_MISMATCH");
      expect(mismatch, summary(result).join(", ")).toBeDefined();
      expect(mismatch?.fix.steps[0]).toContain(misSchemed[scheme].accepted);
      expect(exitCodeFor(result)).not.toBe(0);
      expect(JSON.stringify(result)).not.toContain(validToken);
    });

    it("a rightly schemed client behind a healthy front: exit 0", async () => {
      const result = await run(stack(name, "healthy"), `/scheme/${scheme}/protected`, rightlySchemed[scheme]);
      expect(problems(result).map((f) => f.code), summary(result).join(", ")).toEqual([]);
      expect(exitCodeFor(result)).toBe(0);
    });

    it("a rightly schemed client through a stripping front: never SCHEME_MISMATCH, never exit 0", async () => {
      const s = stack(name, "stripped");
      const result = await run(s, `/scheme/${scheme}/protected`, rightlySchemed[scheme]);
      expect(result.findings.map((f) => f.code), summary(result).join(", ")).not.toContain("SCHEME_MISMATCH");
      expect(exitCodeFor(result)).not.toBe(0);
      expect(problems(result).some((f) => named(f, s.proxy)), summary(result).join(", ")).toBe(true);
    });
  });
});
