import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAppConfig } from "../../src/app/config.js";
import { createApp } from "../../src/app/create-app.js";
import { PROXY_CONFIGS_DIR } from "../../src/lab/catalog.js";
import { freePort } from "../../src/lab/ports.js";
import { createProbeHandler } from "../../src/probe/handler.js";
import { loadNodeProxyConfig } from "../../src/proxy/config.js";
import { createNodeProxy } from "../../src/proxy/node-proxy.js";
import { runCliAsync } from "../support/cli.js";

const servers: Server[] = [];
const urls: Record<string, string> = {};

async function listen(server: Server, port = 0): Promise<string> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function gateway(config: string, upstream: string): Promise<string> {
  const port = await freePort();
  const url = new URL(upstream);
  const vars = { LISTEN_HOST: "127.0.0.1", LISTEN_PORT: String(port), UPSTREAM_HOST: url.hostname, UPSTREAM_PORT: url.port };
  return listen(createNodeProxy(loadNodeProxyConfig(join(PROXY_CONFIGS_DIR, "node", config), vars)), port);
}

beforeAll(async () => {
  const probe = await listen(createServer({ maxHeaderSize: 65536 }, createProbeHandler()));
  urls.healthy = `${probe}/__authprobe`;
  urls.stripped = `${await gateway("allowlist-without-authorization.json", probe)}/__authprobe`;
  urls.tooLarge = `${await gateway("header-limit-default.json", probe)}/__authprobe`;
  urls.unreachable = `http://127.0.0.1:${await freePort()}/__authprobe`;
  const app = createApp(loadAppConfig({ NODE_ENV: "test", JWT_SECRET: "x".repeat(40) }));
  urls.blackBox = `${await listen(createServer(app))}/protected`;
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => {
    s.close(r);
    s.closeAllConnections();
  })));
});

/** Ports and timings change from run to run; nothing else may. */
function normalise(text: string): string {
  return text.replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:PORT").replace(/in \d+\.\d+s/g, "in X.XXs");
}

async function doctor(args: string[]) {
  const r = await runCliAsync(["doctor", ...args]);
  return { exit: r.status, stdout: normalise(r.stdout), stderr: normalise(r.stderr) };
}

describe("authprobe doctor (built CLI, colour off)", () => {
  it("healthy: exit 0, verdict first", async () => {
    const r = await doctor([urls.healthy as string]);
    expect(r.exit).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe("Authorization reached the app intact (server: unknown, runtime: node)");
    expect(r).toMatchSnapshot();
  });

  it("stripped by a Node gateway: exit 1, AUTH_STRIPPED with the gateway's fix", async () => {
    const r = await doctor([urls.stripped as string]);
    expect(r.exit).toBe(1);
    expect(r.stdout).toMatch(/^Authorization was stripped between the client and the app \(server: Node, runtime: node\)/);
    expect(r).toMatchSnapshot();
  });

  it("too large for the gateway: exit 1, HEADER_TOO_LARGE with the measured limit", async () => {
    const r = await doctor([urls.tooLarge as string, "--token-size", "20480"]);
    expect(r.exit).toBe(1);
    expect(r.stdout).toMatch(/HEADER_TOO_LARGE {2}error/);
    expect(r.stdout).toMatch(/larger got 431 from Node/);
    expect(r).toMatchSnapshot();
  });

  it("unreachable: exit 3", async () => {
    const r = await doctor([urls.unreachable as string]);
    expect(r.exit).toBe(3);
    expect(r).toMatchSnapshot();
  });

  it("black-box: PROBE_NOT_FOUND, and TOKEN_REJECTED for a token the app refuses", async () => {
    const r = await doctor([urls.blackBox as string, "--token", "garbage-token-value"]);
    expect(r.exit).toBe(1);
    expect(r.stdout).not.toContain("garbage-token-value");
    expect(r).toMatchSnapshot();
  });

  it("--json prints exactly {target, verdict, findings}", async () => {
    const r = await doctor([urls.stripped as string, "--json"]);
    const parsed = JSON.parse(r.stdout);
    expect(Object.keys(parsed)).toEqual(["target", "verdict", "findings", "notes"]);
    expect(parsed.verdict).toBe("problems");
    expect(parsed.findings[0]).toMatchObject({ code: "AUTH_STRIPPED", severity: "error", server: "node" });
    expect(Object.keys(parsed.findings[0]).sort()).toEqual(["code", "evidence", "fix", "server", "severity", "title"]);
  });

  it.each([
    [["not a url"], /<url>: 'not a url' is not a URL/],
    [["ftp://example.com/"], /must be an http:\/\/ or https:\/\/ URL/],
    [["http://127.0.0.1:1/", "--hop", "nohop"], /--hop.*must be NAME=URL/],
    [["http://127.0.0.1:1/", "--timeout", "0"], /--timeout.*seconds/],
    [["http://127.0.0.1:1/", "--token-size", "-5"], /--token-size/],
    [["http://127.0.0.1:1/", "--frobnicate"], /unknown option '--frobnicate'/],
    [[], /missing required argument 'url'/],
  ])("bad usage %j: one line, exit 2", async (args, message) => {
    const r = await doctor(args as string[]);
    expect(r.exit, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stdout).toBe("");
    expect(r).toMatchSnapshot();
  });
});
