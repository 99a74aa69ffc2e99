import type { RequestListener } from "node:http";
import express from "express";
import { beforeAll, describe, expect, it } from "vitest";
import { createProbeHandler } from "../../src/probe/handler.js";
import { probeRouter } from "../../src/probe/express.js";
import { makeApp } from "../support/app.js";
import { runCliAsync } from "../support/cli.js";
import { useServers } from "../support/servers.js";

// The built CLI against the sample app on a free port: what a user running the doctor sees.
const { serve } = useServers();
const ALLOWED = "https://app.example.com";
const EVIL = "https://evil.test";

interface Outcome {
  exit: number | null;
  verdict: string;
  cors: { code: string; received: string }[];
}

async function doctor(url: string, origin: string, credentials: boolean): Promise<Outcome> {
  const args = ["doctor", url, "--origin", origin, "--json", "--token-size", "1024", ...(credentials ? ["--credentials"] : [])];
  const r = await runCliAsync(args);
  const out = JSON.parse(r.stdout) as { verdict: string; findings: { code: string; evidence: { received: string } }[] };
  return {
    exit: r.status,
    verdict: out.verdict,
    cors: out.findings.filter((f) => f.code.startsWith("CORS_")).map((f) => ({ code: f.code, received: f.evidence.received })),
  };
}

describe("the probe inside the sample app answers CORS as the app does", () => {
  let base: string;
  beforeAll(async () => {
    base = await serve(makeApp({ CORS_ORIGINS: ALLOWED }).app as unknown as RequestListener);
  });

  it.each([
    [EVIL, false],
    [EVIL, true],
    [ALLOWED, false],
    [ALLOWED, true],
  ])("doctor --origin %s (credentials %s): the verdict through /__authprobe is the one on /protected", async (origin, credentials) => {
    const [probe, route] = await Promise.all([doctor(`${base}/__authprobe`, origin, credentials), doctor(`${base}/protected`, origin, credentials)]);
    expect(probe.cors).toEqual(route.cors);
    expect(probe.verdict).toBe(route.verdict);
    expect(probe.exit).toBe(route.exit);
    // The app refuses another origin, and never answers Allow-Credentials: a browser gets nothing.
    const refused = origin === EVIL || credentials;
    expect(probe.cors.map((c) => c.code)).toEqual(refused ? ["CORS_PREFLIGHT_FAILED"] : []);
    expect(probe.exit).toBe(refused ? 1 : 0);
  });

  it("a cross-origin GET of the report carries the app's CORS headers, not the origin reflected", async () => {
    for (const [origin, allowOrigin] of [
      [EVIL, null],
      [ALLOWED, ALLOWED],
    ] as const) {
      const probe = await fetch(`${base}/__authprobe`, { headers: { Origin: origin } });
      const route = await fetch(`${base}/`, { headers: { Origin: origin } });
      expect(probe.status).toBe(200);
      expect(probe.headers.get("access-control-allow-origin")).toBe(allowOrigin);
      expect(route.headers.get("access-control-allow-origin")).toBe(allowOrigin);
      expect(probe.headers.get("access-control-allow-methods")).toBeNull();
    }
  });

  it("a preflight the app refuses gets the app's own answer, with no CORS header", async () => {
    const ask = { Origin: EVIL, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization" };
    const probe = await fetch(`${base}/__authprobe`, { method: "OPTIONS", headers: ask });
    expect(probe.status).toBe(404);
    expect([...probe.headers.keys()].filter((h) => h.startsWith("access-control-"))).toEqual([]);
    const allowed = await fetch(`${base}/__authprobe`, { method: "OPTIONS", headers: { ...ask, Origin: ALLOWED } });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    expect(allowed.headers.get("access-control-allow-headers")).toBe("Authorization, Content-Type");
  });

  it("an app without CORS origins: the probe gives no CORS header either", async () => {
    const plain = await serve(makeApp().app as unknown as RequestListener);
    const get = await fetch(`${plain}/__authprobe`, { headers: { Origin: EVIL } });
    expect(get.status).toBe(200);
    expect(get.headers.get("access-control-allow-origin")).toBeNull();
    const pre = await fetch(`${plain}/__authprobe`, { method: "OPTIONS", headers: { Origin: EVIL, "Access-Control-Request-Method": "GET" } });
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("probeRouter() in someone's Express app", () => {
  it("leaves CORS to the app's own middleware: an origin it refuses is not reflected", async () => {
    const app = express()
      .use((req, res, next) => {
        if (req.headers.origin === ALLOWED) res.setHeader("Access-Control-Allow-Origin", ALLOWED);
        next();
      })
      .use("/__authprobe", probeRouter());
    const url = await serve(app as unknown as RequestListener);
    expect((await fetch(`${url}/__authprobe`, { headers: { Origin: EVIL } })).headers.get("access-control-allow-origin")).toBeNull();
    expect((await fetch(`${url}/__authprobe`, { headers: { Origin: ALLOWED } })).headers.get("access-control-allow-origin")).toBe(ALLOWED);
  });
});

describe("the standalone probe (serve probe)", () => {
  it("still answers every origin, by design: a failing preflight in front of it is a proxy's", async () => {
    const url = await serve(createProbeHandler());
    const pre = await fetch(url, { method: "OPTIONS", headers: { Origin: EVIL, "Access-Control-Request-Method": "GET" } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe(EVIL);
    const r = await doctor(url, EVIL, false);
    expect(r.cors).toEqual([]);
    expect(r.exit).toBe(0);
  });
});
