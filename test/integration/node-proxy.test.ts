import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/errors.js";
import { mintCanary } from "../../src/doctor/canary.js";
import { PROXY_CONFIGS_DIR } from "../../src/lab/catalog.js";
import { freePort } from "../../src/lab/ports.js";
import { closeServer } from "../../src/listen.js";
import { createProbeHandler } from "../../src/probe/handler.js";
import type { ProbeReport } from "../../src/probe/types.js";
import { loadNodeProxyConfig, parseNodeProxyConfig } from "../../src/proxy/config.js";
import { createNodeProxy } from "../../src/proxy/node-proxy.js";

const servers: Server[] = [];
let probePort = 0;

async function start(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function gateway(file: string, upstreamPort: number): Promise<string> {
  const vars = { UPSTREAM_HOST: "127.0.0.1", UPSTREAM_PORT: String(upstreamPort) };
  return start(createNodeProxy(loadNodeProxyConfig(join(PROXY_CONFIGS_DIR, "node", file), vars)));
}

beforeAll(async () => {
  const url = await start(createServer(createProbeHandler()));
  probePort = Number(new URL(url).port);
});
afterAll(async () => {
  await Promise.all(servers.map(closeServer));
});

describe("the Node gateway (proxy-configs/node/forward.json)", () => {
  it("forwards Authorization intact and adds X-Forwarded-* and Via, both ways", async () => {
    const url = await gateway("forward.json", probePort);
    const canary = mintCanary();
    const res = await fetch(`${url}/x`, { headers: { Authorization: canary.value } });
    const report = (await res.json()) as ProbeReport;
    expect(report.authorization.sha256).toBe(canary.sha256);
    expect(report.forwarding.xForwardedFor).toEqual(["127.0.0.1"]);
    expect(report.forwarding.xForwardedProto).toEqual(["http"]);
    expect(report.forwarding.via).toEqual(["1.1 gateway (authprobe)"]);
    expect(res.headers.get("via")).toBe("1.1 gateway (authprobe)");
  });

  it("appends itself to the Via of the hops before it", async () => {
    const url = await gateway("forward.json", probePort);
    const res = await fetch(`${url}/x`, { headers: { Via: "1.1 edge (nginx)" } });
    const report = (await res.json()) as ProbeReport;
    expect(report.headers.filter(([n]) => n.toLowerCase() === "via").map(([, v]) => v)).toEqual(["1.1 edge (nginx), 1.1 gateway (authprobe)"]);
  });

  it("answers its hop-echo path itself, naming the hop", async () => {
    const url = await gateway("forward.json", probePort);
    const report = (await (await fetch(`${url}/__hop/gateway`)).json()) as ProbeReport;
    expect(report.hop).toBe("gateway");
    expect(report.forwarding.via).toEqual([]);
  });

  it("answers 502 with a JSON body when the upstream is down, and keeps serving", async () => {
    const url = await gateway("forward.json", await freePort());
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${url}/x`);
      expect(res.status).toBe(502);
      expect(await res.json()).toMatchObject({ error: "bad_gateway", proxy: "gateway" });
    }
  });

  it("answers 504 naming the timeout when the upstream accepts and never answers; 502 stays for resets", async () => {
    const silent = await start(createServer(() => {})); // accepts, reads, never answers
    const config = parseNodeProxyConfig(
      JSON.stringify({ name: "gw", target: `http://127.0.0.1:${new URL(silent).port}`, timeoutMs: 300 }),
      {},
      "gw.json",
    );
    const url = await start(createNodeProxy(config));
    const res = await fetch(`${url}/x`);
    expect(res.status).toBe(504);
    expect(await res.json()).toMatchObject({ error: "gateway_timeout", error_description: expect.stringMatching(/did not answer within 300 ms \(timeoutMs\)/) });
    const resetting = await start(createServer((req) => req.socket.destroy()));
    const reset = await fetch(`${await gateway("forward.json", Number(new URL(resetting).port))}/x`);
    expect(reset.status).toBe(502);
  });

  it("an upstream killed and restarted: 502 while it is down, then it recovers", async () => {
    const port = await freePort();
    const url = await gateway("forward.json", port);
    const up = createServer(createProbeHandler());
    await new Promise<void>((r) => up.listen(port, "127.0.0.1", r));
    expect((await fetch(`${url}/x`)).status).toBe(200);
    await closeServer(up);
    const whileDown = await Promise.all(Array.from({ length: 8 }, () => fetch(`${url}/x`).then((r) => r.status)));
    expect(new Set(whileDown)).toEqual(new Set([502]));
    const again = createServer(createProbeHandler());
    servers.push(again);
    await new Promise<void>((r) => again.listen(port, "127.0.0.1", r));
    const after = await Promise.all(Array.from({ length: 8 }, () => fetch(`${url}/x`).then((r) => r.status)));
    expect(new Set(after)).toEqual(new Set([200]));
  });

  it("an allowlist without authorization drops it; the service credential replaces it", async () => {
    const canary = mintCanary();
    const allow = (await (await fetch(`${await gateway("allowlist-without-authorization.json", probePort)}/x`, {
      headers: { Authorization: canary.value },
    })).json()) as ProbeReport;
    expect(allow.authorization.present).toBe(false);
    const over = (await (await fetch(`${await gateway("overwrite-authorization.json", probePort)}/x`, {
      headers: { Authorization: canary.value },
    })).json()) as ProbeReport;
    expect(over.authorization).toMatchObject({ present: true, count: 1, scheme: "Basic" });
  });
});

describe("gateway config errors name the file and the field", () => {
  it.each([
    ["{", /not valid JSON/],
    ["{\"name\":\"g\",\"target\":\"ftp://x\"}", /'target' must be http:\/\/host:port/],
    ["{\"target\":\"http://h:1\"}", /'name' must be a non-empty string/],
    ["{\"name\":\"g\",\"target\":\"http://h:1\",\"headers\":{\"mode\":\"strip\"}}", /'headers.mode' must be forward or allowlist/],
    ["{\"name\":\"g\",\"target\":\"http://h:1\",\"maxHeaderSize\":5}", /'maxHeaderSize' must be a whole number/],
    ["{\"name\":\"g\",\"target\":\"http://${NOPE}:1\"}", /placeholder \$\{NOPE\} has no value/],
  ])("%s", (text, message) => {
    expect(() => parseNodeProxyConfig(text, {}, "gw.json")).toThrow(ConfigError);
    expect(() => parseNodeProxyConfig(text, {}, "gw.json")).toThrow(message);
    expect(() => parseNodeProxyConfig(text, {}, "gw.json")).toThrow(/^gw\.json: /);
  });
});
