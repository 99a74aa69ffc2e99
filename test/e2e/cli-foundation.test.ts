import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { runCli, startCli, stopChild } from "../support/cli.js";

const ENV = { JWT_SECRET: "e2e-secret-that-is-long-enough-0123456789abcdef" };

describe("authprobe serve app + token (the issue's acceptance)", () => {
  it("accepts its own token, refuses none/garbage, and forbids another user's record", async () => {
    const app = await startCli(["serve", "app", "--port", "0"], ENV);
    const token = runCli(["token", "--sub", "1"], ENV).stdout.trim();
    expect(token.split(".")).toHaveLength(3);
    const get = (path: string, auth?: string) =>
      fetch(`${app.url}${path}`, { headers: auth ? { Authorization: auth } : {} });

    expect((await get("/protected", `Bearer ${token}`)).status).toBe(200);
    const none = await get("/protected");
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await get("/protected", "Bearer garbage")).status).toBe(401);
    expect((await get("/users/2", `Bearer ${token}`)).status).toBe(403);
    expect(await stopChild(app.child)).toBe(0);
  });

  it("a token from another secret is refused", async () => {
    const app = await startCli(["serve", "app", "--port", "0"], ENV);
    const other = runCli(["token", "--sub", "1"], {
      JWT_SECRET: "a-different-secret-that-is-long-enough-000",
    }).stdout.trim();
    expect(
      (await fetch(`${app.url}/protected`, { headers: { Authorization: `Bearer ${other}` } })).status,
    ).toBe(401);
  });
});

describe("authprobe serve probe", () => {
  it("fingerprints the token and never echoes it", async () => {
    const probe = await startCli(["serve", "probe", "--port", "0"]);
    const t = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXZhbHVl";
    const res = await fetch(`${probe.url}/whatever`, { headers: { Authorization: `Bearer ${t}` } });
    const body = await res.text();
    // Not the doctor's canary: a keyed hash (HMAC with a per-process key), never the plain sha256.
    const authorization = JSON.parse(body).authorization;
    expect(authorization.hash).toBe("hmac-sha256");
    expect(authorization.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(authorization.sha256).not.toBe(createHash("sha256").update(`Bearer ${t}`).digest("hex"));
    expect(authorization.length).toBe(`Bearer ${t}`.length);
    expect(body).not.toContain(t);
    expect(body).not.toContain("c2lnbmF0dXJlLXZhbHVl");
    expect(await stopChild(probe.child)).toBe(0);
  });
});

describe("usage errors", () => {
  it.each([
    [["serve", "app", "--port", "99999"], /--port/],
    [["serve", "nothing"], /unknown target 'nothing'/],
    [["token", "--ttl", "soon"], /--ttl/],
    [["token", "--role", "god"], /--role/],
    [["--bogus"], /unknown option '--bogus'/],
    [["frobnicate"], /unknown command 'frobnicate'/],
    [["serve", "proxy"], /--config/],
    [["serve", "probe", "--host", "garbage.invalid", "--port", "0"], /--host: cannot listen on 'garbage.invalid'/],
    [["lab", "up", "unknown"], /lab up: no scenario 'unknown'/],
    [["lab", "down", "x"], /use 'authprobe lab' to run the matrix/],
  ])("authprobe %j: one line naming the problem, exit 2", (args, message) => {
    const r = runCli(args as string[]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stdout).toBe("");
  });

  it("serve probe in production: a key, or --public, or exit 2 saying so", async () => {
    const r = runCli(["serve", "probe", "--port", "0"], { NODE_ENV: " Production" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/AUTHPROBE_PROBE_KEY.*--public/);
    const open = await startCli(["serve", "probe", "--port", "0", "--public"], { NODE_ENV: "production" });
    expect((await fetch(open.url)).status).toBe(200);
    await stopChild(open.child);
    const keyed = await startCli(["serve", "probe", "--port", "0"], { NODE_ENV: "production", AUTHPROBE_PROBE_KEY: "k-0123456789" });
    expect((await fetch(keyed.url)).status).toBe(404);
    expect((await fetch(keyed.url, { headers: { "X-Authprobe-Key": "k-0123456789" } })).status).toBe(200);
    await stopChild(keyed.child);
  });

  it("a bad environment is exit 2 naming the variable", () => {
    const r = runCli(["serve", "app", "--port", "0"], { NODE_ENV: "production", JWT_SECRET: "" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/JWT_SECRET/);
  });

  it("--version and --help exit 0", () => {
    expect(runCli(["--version"]).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = runCli(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/serve/);
  });
});

describe("serve: signals and config errors", () => {
  it("SIGINT closes the probe cleanly (exit 0)", async () => {
    const probe = await startCli(["serve", "probe", "--port", "0"]);
    probe.child.kill("SIGINT");
    expect(await new Promise((r) => probe.child.once("exit", (code) => r(code)))).toBe(0);
  });

  it("serve proxy with a missing config file: one line naming it, exit 2", () => {
    const r = runCli(["serve", "proxy", "--config", "nope.json"]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^authprobe: nope\.json: cannot read \(ENOENT\)$/);
  });

  it("serve proxy runs a gateway config with ${VAR}s from the environment", async () => {
    const gw = await startCli(["serve", "proxy", "--config", "proxy-configs/node/forward.json", "--port", "0"], {
      UPSTREAM_HOST: "127.0.0.1",
      UPSTREAM_PORT: "9",
    });
    expect(gw.output()).toMatch(/proxy 'gateway' listening on http:\/\/127\.0\.0\.1:\d+ -> http:\/\/127\.0\.0\.1:9/);
    expect((await fetch(`${gw.url}/x`)).status).toBe(502);
  });
});
