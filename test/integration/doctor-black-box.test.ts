import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAppConfig } from "../../src/app/config.js";
import { createApp } from "../../src/app/create-app.js";
import { signToken } from "../../src/app/jwt-config.js";
import { diagnose } from "../../src/doctor/diagnose.js";
import type { DoctorResult } from "../../src/doctor/types.js";
import { exitCodeFor } from "../../src/doctor/verdict.js";
import { findBinary } from "../../src/lab/binaries.js";
import { PROXY_CONFIGS_DIR } from "../../src/lab/catalog.js";
import { freePort } from "../../src/lab/ports.js";
import { startApache } from "../../src/lab/runners/apache.js";
import { startNginx } from "../../src/lab/runners/nginx.js";
import type { RunningHop } from "../../src/lab/runners/types.js";
import { makeWorkdir, removeWorkdir } from "../../src/lab/workdirs.js";
import { isolateTmpdir, leftoverServers } from "../support/leftovers.js";
import { useServers } from "../support/servers.js";

/**
 * The doctor without a probe, against small real apps with their own error answers, behind real
 * nginx and Apache with their stock proxy configs: what it may claim from answers alone.
 */
const scope = isolateTmpdir();
const SECRET = "black-box-secret-that-is-long-enough-0123456789";
const env = { NODE_ENV: "test", JWT_SECRET: SECRET };
const validToken = signToken(loadAppConfig(env).jwt, { sub: "1", role: "user", ttlSeconds: 600 });
const otherToken = signToken(loadAppConfig({ ...env, JWT_SECRET: "another-secret-that-is-long-enough-9876543210" }).jwt, {
  sub: "1",
  role: "user",
  ttlSeconds: 600,
});

/** An API that wants the bare token, no scheme: "Authorization: <jwt>". Any other value: 401. */
function bareTokenApp(req: IncomingMessage, res: ServerResponse): void {
  const value = req.headers.authorization ?? "";
  const ok = value === validToken;
  res.writeHead(ok ? 200 : 401, { "Content-Type": "application/json" });
  res.end(JSON.stringify(ok ? { ok: true } : { message: value ? "invalid token" : "token required" }));
}

const { serve } = useServers();
const hops: RunningHop[] = [];
const dirs: string[] = [];
const apps: Record<string, string> = {};
const fronts: Record<string, Record<string, string>> = { nginx: {}, apache: {} };

async function front(kind: "nginx" | "apache", upstream: string): Promise<string> {
  const binary = findBinary(kind);
  if (!binary.path) throw new Error(`${kind} is not installed: ${binary.install}`);
  const dir = makeWorkdir();
  dirs.push(dir);
  const config = kind === "nginx" ? "nginx/proxy-pass.conf.template" : "apache/proxy-pass.conf";
  const vars = {
    LISTEN_HOST: "127.0.0.1",
    LISTEN_PORT: String(await freePort()),
    UPSTREAM_HOST: "127.0.0.1",
    UPSTREAM_PORT: new URL(upstream).port,
    PROBES_DIR: join(PROXY_CONFIGS_DIR, "probes"),
  };
  const start = kind === "nginx" ? startNginx : startApache;
  const hop = await start(binary.path, join(PROXY_CONFIGS_DIR, config), vars, dir);
  hops.push(hop);
  return hop.url;
}

beforeAll(async () => {
  apps.express = await serve(createApp(loadAppConfig(env)));
  apps.jwtOnly = await serve(createApp(loadAppConfig({ ...env, AUTH_SCHEMES: "JWT" })));
  apps.bare = await serve(bareTokenApp);
  for (const kind of ["nginx", "apache"] as const) {
    for (const [name, url] of Object.entries(apps)) (fronts[kind] as Record<string, string>)[name] = await front(kind, url);
  }
}, 60_000);

afterAll(async () => {
  for (const hop of hops) await hop.stop();
  for (const dir of dirs) removeWorkdir(dir);
  expect(leftoverServers(scope)).toEqual([]);
});

const codes = (r: DoctorResult) => r.findings.map((f) => f.code).sort();

describe.each(["nginx", "apache"] as const)("black box behind %s", (kind) => {
  const url = (app: string) => `${fronts[kind]?.[app]}/protected`;

  it("an Express API with its own JSON 401 and Bearer challenge: no proxy challenge, no stripping; exit 0", async () => {
    const without = await diagnose({ target: url("express") });
    expect(codes(without)).toEqual(["HEADER_TOO_LARGE", "PROBE_NOT_FOUND"]);
    expect(without.findings.find((f) => f.code === "HEADER_TOO_LARGE")?.severity).toBe("notice");
    expect(without.findings.find((f) => f.code === "HEADER_TOO_LARGE")?.server).toBe(kind);
    expect(exitCodeFor(without)).toBe(0);
    const withToken = await diagnose({ target: url("express"), token: validToken });
    expect(codes(withToken)).toEqual(["PROBE_NOT_FOUND"]);
    expect(exitCodeFor(withToken)).toBe(0);
  });

  it("an app that accepts only 'JWT <token>': the canary gets through as JWT (clean); the user's Bearer token gets SCHEME_MISMATCH", async () => {
    const without = await diagnose({ target: url("jwtOnly") });
    expect(codes(without)).toEqual(["HEADER_TOO_LARGE", "PROBE_NOT_FOUND"]);
    expect(exitCodeFor(without)).toBe(0);
    const asItShould = await diagnose({ target: url("jwtOnly"), token: `JWT ${validToken}` });
    expect(codes(asItShould)).toEqual(["PROBE_NOT_FOUND"]);
    const withToken = await diagnose({ target: url("jwtOnly"), token: validToken });
    expect(codes(withToken)).toEqual(["PROBE_NOT_FOUND", "SCHEME_MISMATCH"]);
    const mismatch = withToken.findings.find((f) => f.code === "SCHEME_MISMATCH");
    expect(mismatch?.evidence.data).toMatchObject({ acceptedAs: "'JWT <token>'" });
    expect(mismatch?.fix.steps[0]).toContain("`Authorization: JWT <token>` (the form the app accepted)");
    expect(JSON.stringify(withToken)).not.toContain(validToken);
  });

  it("an app that wants no scheme: SCHEME_MISMATCH with --token (the bare token is accepted); nothing claimed without", async () => {
    const without = await diagnose({ target: url("bare") });
    expect(codes(without)).toEqual(["HEADER_TOO_LARGE", "PROBE_NOT_FOUND"]);
    const withToken = await diagnose({ target: url("bare"), token: validToken });
    expect(codes(withToken)).toEqual(["PROBE_NOT_FOUND", "SCHEME_MISMATCH"]);
    expect(withToken.findings.find((f) => f.code === "SCHEME_MISMATCH")?.evidence.data).toMatchObject({ acceptedAs: "the bare token (no scheme)" });
    const exact = await diagnose({ target: url("bare"), authorization: validToken });
    expect(codes(exact)).toEqual(["PROBE_NOT_FOUND"]);
    expect(exitCodeFor(exact)).toBe(0);
  });

  it("an app that refuses a valid-looking token: TOKEN_REJECTED with --token, never a proxy finding", async () => {
    const withToken = await diagnose({ target: url("express"), token: otherToken });
    expect(codes(withToken)).toEqual(["PROBE_NOT_FOUND", "TOKEN_REJECTED"]);
    expect(withToken.findings.find((f) => f.code === "TOKEN_REJECTED")?.server).not.toBe(kind);
    expect(JSON.stringify(withToken)).not.toContain(otherToken);
  });
});
