import { createHash } from "node:crypto";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProbeHandler } from "../../src/probe/handler.js";
import { assertValidReport } from "../support/schema.js";

let server: Server;
let keyed: Server;
let base: string;
let keyedBase: string;

async function start(s: Server): Promise<string> {
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  server = createServer(createProbeHandler());
  keyed = createServer(createProbeHandler({ accessKey: "the-key-1234" }));
  base = await start(server);
  keyedBase = await start(keyed);
});
afterAll(async () => {
  await Promise.all([server, keyed].map((s) => new Promise((r) => s.close(r))));
});

/** Raw request: fetch would merge duplicate headers, we need them on the wire as sent. */
function raw(
  url: string,
  method: string,
  headers: [string, string][],
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    // An array value goes on the wire as one header line per element, duplicates kept.
    const grouped: Record<string, string[]> = {};
    for (const [name, value] of headers) grouped[name] = [...(grouped[name] ?? []), value];
    const req = httpRequest(url, { method, headers: grouped }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => {
        body += d.toString();
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("standalone probe over HTTP", () => {
  it.each(["GET", "POST", "PUT", "DELETE", "PATCH"])(
    "answers %s on any path with a valid report",
    async (method) => {
      const res = await raw(`${base}/any/path?x=1`, method, [["Authorization", "Bearer t0k3n"]]);
      expect(res.status).toBe(200);
      const report = JSON.parse(res.body);
      assertValidReport(report);
      expect(report.request).toMatchObject({ method, path: "/any/path?x=1" });
      // Not a canary: keyed, so the plain sha256 of a short token is nowhere in the report.
      expect(report.authorization).toMatchObject({ hash: "hmac-sha256" });
      expect(res.body).not.toContain(createHash("sha256").update("Bearer t0k3n").digest("hex").slice(0, 12));
      expect(res.body).not.toContain("t0k3n");
    },
  );

  it("keeps two Authorization headers apart: count 2 and a duplicate problem", async () => {
    const res = await raw(base, "GET", [
      ["Authorization", "Bearer first-token-value"],
      ["Authorization", "Bearer second-token-value"],
    ]);
    const report = JSON.parse(res.body);
    expect(report.authorization.count).toBe(2);
    expect(report.authorization.problems.map((p: { code: string }) => p.code)).toContain("duplicate");
    expect(res.body).not.toMatch(/first-token-value|second-token-value/);
  });

  it("answers HEAD with headers and no body", async () => {
    const res = await raw(base, "HEAD", []);
    expect(res.status).toBe(200);
    expect(res.body).toBe("");
  });

  it("serves escaped HTML without script to a browser", async () => {
    const res = await raw(`${base}/<script>alert(1)</script>`, "GET", [
      ["Accept", "text/html"],
      ["X-Evil", "<img src=x onerror=alert(1)>"],
      ["Authorization", "Bearer html-secret-token"],
    ]);
    expect(res.headers["content-type"]).toMatch(/text\/html/);
    expect(res.body).not.toContain("<script>alert");
    expect(res.body).not.toContain("<img src=x");
    expect(res.body).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(res.body).not.toMatch(/<script/i);
    expect(res.body).not.toContain("html-secret-token");
  });

  it("answers a CORS preflight like a permissive app, so a failing one is the proxy's doing", async () => {
    const res = await raw(base, "OPTIONS", [
      ["Origin", "https://app.example"],
      ["Access-Control-Request-Method", "GET"],
      ["Access-Control-Request-Headers", "authorization"],
    ]);
    expect(res.status).toBe(204);
    expect(res.headers["access-control-allow-headers"]).toBe("authorization");
  });

  it("with an access key: 404 without it, 404 with a wrong one, the report with the right one", async () => {
    expect((await raw(keyedBase, "GET", [])).status).toBe(404);
    expect((await raw(keyedBase, "GET", [["X-Authprobe-Key", "wrong"]])).status).toBe(404);
    const ok = await raw(keyedBase, "GET", [["X-Authprobe-Key", "the-key-1234"]]);
    expect(ok.status).toBe(200);
    expect(ok.body).not.toContain("the-key-1234");
  });
});
