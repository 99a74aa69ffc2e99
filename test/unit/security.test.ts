import { createHmac, generateKeyPairSync } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadAppConfig } from "../../src/app/config.js";
import { createApp } from "../../src/app/create-app.js";
import { signToken } from "../../src/app/jwt-config.js";
import { ConfigError } from "../../src/errors.js";
import { sendInternalError } from "../../src/internal-error.js";
import { probeRouter } from "../../src/probe/express.js";
import { createProbeHandler } from "../../src/probe/handler.js";
import { buildProbeReport } from "../../src/probe/report.js";
import { renderProbeHtml } from "../../src/probe/html.js";
import type { ProbeReport } from "../../src/probe/types.js";
import jwt from "jsonwebtoken";
import { makeApp, rsaKeyFiles } from "../support/app.js";
import { confusedHs256, hs256, RSA, rs256, SECRET_KEY } from "../support/tokens.js";

const b64 = (s: string) => Buffer.from(s).toString("base64url");
/** The reported crash: claims nested 4,300 levels deep, an 11 KB header under Node's 16 KB. */
const DEEP = `${b64("{\"alg\":\"HS256\"}")}.${b64(`{"sub":${"[".repeat(4300)}${"]".repeat(4300)}}`)}.x`;
const JWT_IN_PATH = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXNlY3JldC0wMTIz";

let probeUrl = "";
let server: Server;
beforeAll(async () => {
  server = createServer({ maxHeaderSize: 65536 }, createProbeHandler());
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  probeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const { app, config } = makeApp();

describe("one request never crashes anything", () => {
  it("a JWT nested 4,300 levels deep: the probe answers JSON and HTML, and keeps serving", async () => {
    for (const accept of ["application/json", "text/html"]) {
      const res = await fetch(`${probeUrl}/`, { headers: { Authorization: `Bearer ${DEEP}`, Accept: accept } });
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/nested deeper than 4 levels/);
    }
    expect((await fetch(`${probeUrl}/`)).status).toBe(200);
  });

  it("the same token against the app: 401, never 500", async () => {
    const res = await request(app).get("/protected").set("Authorization", `Bearer ${DEEP}`);
    expect(res.status).toBe(401);
    const viaProbe = await request(app).get("/__authprobe/x").set("Authorization", `Bearer ${DEEP}`);
    expect(viaProbe.status).toBe(200);
  });

  it("a 500 names an id that the server log names too, and nothing of the request", () => {
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const res = { headersSent: false, statusCode: 0, headers: {} as Record<string, unknown>, body: "" } as never as import("node:http").ServerResponse;
    type Fake = { setHeader(n: string, v: unknown): void; end(b: string): void; headers: Record<string, unknown>; body: string };
    const fake = res as unknown as Fake;
    fake.setHeader = (n, v) => {
      fake.headers[n] = v;
    };
    fake.end = (b) => {
      fake.body = b;
    };
    sendInternalError(res, new Error("boom"), "a test");
    const logged = String(write.mock.calls[0]?.[0]);
    write.mockRestore();
    const body = JSON.parse(fake.body) as { id: string; error: string };
    expect(res.statusCode).toBe(500);
    expect(body.error).toBe("internal_error");
    expect(logged).toContain(body.id);
    expect(logged).toMatch(/boom/);
  });
});

describe("no credential is echoed", () => {
  it("a token in the URL path: fingerprinted in the probe's JSON and HTML, and in the app's 404", async () => {
    const json = await (await fetch(`${probeUrl}/t/${JWT_IN_PATH}`)).text();
    const html = await (await fetch(`${probeUrl}/t/${JWT_IN_PATH}`, { headers: { Accept: "text/html" } })).text();
    const notFound = await request(app).get(`/t/${JWT_IN_PATH}`);
    for (const body of [json, html, JSON.stringify(notFound.body)]) {
      expect(body).not.toContain("c2lnbmF0dXJlLXNlY3JldC0wMTIz");
      expect(body).toMatch(/redacted/);
    }
    expect(JSON.parse(json).alternatives).toContainEqual(expect.objectContaining({ where: "path", name: "segment 2" }));
  });

  it("a first word that is not an auth scheme is never shown as a scheme: probe, app body, WWW-Authenticate", async () => {
    const report = (await (await fetch(`${probeUrl}/`, { headers: { Authorization: "s3cr3tTok3n x" } })).json()) as ProbeReport;
    expect(report.authorization.scheme).toBeNull();
    expect(report.authorization.problems.map((p: { code: string }) => p.code)).toContain("unknown_scheme");
    const res = await request(app).get("/protected").set("Authorization", "s3cr3tTok3n x");
    expect(res.status).toBe(401);
    expect(JSON.stringify(res.body) + res.headers["www-authenticate"]).not.toContain("s3cr3tTok3n");
    expect(JSON.stringify(report)).not.toContain("s3cr3tTok3n");
  });

  it.each(["key", "sig", "signature", "code", "pass", "password", "secret", "apikey", "api_key", "client_secret", "%74oken"])(
    "query parameter %s is fingerprinted",
    async (name) => {
      const report = await (await fetch(`${probeUrl}/x?${name}=hunter2-value-0123`)).json();
      expect(JSON.stringify(report)).not.toContain("hunter2-value-0123");
    },
  );

  it.each(["Ocp-Apim-Subscription-Key", "X-Functions-Key", "X-Access-Key", "Key", "X-Amz-Security-Token"])("header %s is fingerprinted", async (name) => {
    const report = await (await fetch(`${probeUrl}/x`, { headers: { [name]: "hunter2-value-0123" } })).json();
    expect(JSON.stringify(report)).not.toContain("hunter2-value-0123");
  });

  it("Host, X-Forwarded-Host and Forwarded are never redacted by the shape of their value", () => {
    const report = buildProbeReport({
      method: "GET",
      url: "/",
      rawHeaders: ["Host", "api.example.com", "X-Forwarded-Host", "auth.example.com", "Forwarded", "host=eyJ.example.com"],
      httpVersion: "1.1",
    });
    expect(report.headers).toEqual([
      ["Host", "api.example.com"],
      ["X-Forwarded-Host", "auth.example.com"],
      ["Forwarded", "host=eyJ.example.com"],
    ]);
  });
});

type RawAnswer = { status: number; challenge: string };
async function rawGet(handler: express.Express, path: string, authorization: string[]): Promise<RawAnswer> {
  const srv = createServer({ maxHeaderSize: 65536 }, handler);
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const { request: httpRequest } = await import("node:http");
  try {
    return await new Promise((resolve, reject) => {
      const req = httpRequest(
        { host: "127.0.0.1", port: (srv.address() as AddressInfo).port, path, headers: { Authorization: authorization }, agent: false },
        (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode ?? 0, challenge: String(res.headers["www-authenticate"] ?? "") }));
        },
      );
      req.on("error", reject);
      req.end();
    });
  } finally {
    await new Promise<void>((r) => srv.close(() => r()));
  }
}

describe("a JWT attack table against the app (HS256)", () => {
  const good = { iss: "authprobe", aud: "authprobe-api", sub: "1" };
  const now = Math.floor(Date.now() / 1000);
  const enc = (o: unknown) => b64(JSON.stringify(o));
  const token = signToken(config.jwt, { sub: "1" });
  const attacks: [string, string | string[]][] = [
    ["alg none", `Bearer ${enc({ alg: "none" })}.${enc(good)}.`],
    ["expired", `Bearer ${hs256({ ...good, exp: now - 60 })}`],
    ["nbf in the future", `Bearer ${hs256({ ...good, nbf: now + 600 })}`],
    ["wrong issuer", `Bearer ${hs256({ ...good, iss: "evil" })}`],
    ["wrong audience", `Bearer ${hs256({ ...good, aud: "other" })}`],
    ["kid path traversal", `Bearer ${enc({ alg: "HS256", kid: "../../../../dev/null" })}.${enc(good)}.${"A".repeat(43)}`],
    ["an unknown crit extension", `Bearer ${signWithHeader({ crit: ["exp-ext"], "exp-ext": true })}`],
    ["huge", `Bearer ${"A".repeat(12_000)}.${"B".repeat(100)}.C`],
    ["deeply nested", `Bearer ${DEEP}`],
    ["two Authorization headers", [`Bearer ${token}`, `Bearer ${token}`]],
    ["an empty Bearer", "Bearer "],
    ["two spaces", `Bearer  ${token.slice(0, 10)}x`],
    ["another secret", `Bearer ${hs256(good, "some-other-secret-that-is-long-enough-000")}`],
  ];

  function signWithHeader(extra: Record<string, unknown>): string {
    const head = `${enc({ alg: "HS256", typ: "JWT", ...extra })}.${enc({ ...good, exp: now + 600 })}`;
    return `${head}.${createHmac("sha256", SECRET_KEY.export()).update(head).digest("base64url")}`;
  }

  it.each(attacks)("%s: refused with 401 or 400 and a Bearer error, never 500", async (_name, value) => {
    // A real socket: supertest would fold two Authorization headers into one.
    const res = await rawGet(app, "/protected", Array.isArray(value) ? value : [value]);
    expect([400, 401]).toContain(res.status);
    expect(res.challenge).toMatch(/^Bearer /);
  });

  it("the same app still accepts a good token (the table is not refusing everything)", async () => {
    expect((await request(app).get("/protected").set("Authorization", `Bearer ${token}`)).status).toBe(200);
  });
});

describe("a JWT attack table against the app (RS256)", () => {
  const keys = rsaKeyFiles();
  const rs = makeApp({ JWT_ALGORITHM: "RS256", JWT_PUBLIC_KEY_FILE: keys.publicPath, JWT_PRIVATE_KEY_FILE: keys.privatePath });
  const good = { iss: "authprobe", aud: "authprobe-api", sub: "1" };
  const now = Math.floor(Date.now() / 1000);
  const enc = (o: unknown) => b64(JSON.stringify(o));
  const token = signToken(rs.config.jwt, { sub: "1" });
  const otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const attacks: [string, string | string[]][] = [
    ["alg none", `Bearer ${enc({ alg: "none" })}.${enc(good)}.`],
    ["HS256 signed with the RS256 public key (algorithm confusion)", `Bearer ${confusedHs256({ ...good, exp: now + 600 })}`],
    ["expired", `Bearer ${rs256({ ...good, exp: now - 60 })}`],
    ["nbf in the future", `Bearer ${rs256({ ...good, nbf: now + 600 })}`],
    ["wrong issuer", `Bearer ${rs256({ ...good, iss: "evil" })}`],
    ["wrong audience", `Bearer ${rs256({ ...good, aud: "other" })}`],
    ["kid path traversal", `Bearer ${enc({ alg: "RS256", kid: "../../../../dev/null" })}.${enc(good)}.${"A".repeat(342)}`],
    ["an unknown crit extension", `Bearer ${jwt.sign({ ...good, exp: now + 600 }, RSA.privateKey, { algorithm: "RS256", header: { alg: "RS256", crit: ["exp-ext"] } as never })}`],
    ["huge", `Bearer ${"A".repeat(12_000)}.${"B".repeat(100)}.C`],
    ["deeply nested", `Bearer ${DEEP}`],
    ["two Authorization headers", [`Bearer ${token}`, `Bearer ${token}`]],
    ["an empty Bearer", "Bearer "],
    ["two spaces", `Bearer  ${token.slice(0, 10)}x`],
    ["another key", `Bearer ${jwt.sign({ ...good, exp: now + 600 }, otherKey, { algorithm: "RS256" })}`],
  ];

  it.each(attacks)("%s: refused with 401 or 400 and a Bearer error, never 500", async (_name, value) => {
    const res = await rawGet(rs.app, "/protected", Array.isArray(value) ? value : [value]);
    expect([400, 401]).toContain(res.status);
    expect(res.challenge).toMatch(/^Bearer /);
  });

  it("the same app still accepts a good RS256 token", async () => {
    expect((await request(rs.app).get("/protected").set("Authorization", `Bearer ${token}`)).status).toBe(200);
  });
});

describe("production mode", () => {
  const secret = "r4nd0m-S3cret-with-enough-entropy-Xy9!";
  it.each(["Production", " production", "PRODUCTION\n"])("NODE_ENV=%j is production: no default secret, no demo users", (value) => {
    expect(() => loadAppConfig({ NODE_ENV: value })).toThrow(ConfigError);
    expect(() => loadAppConfig({ NODE_ENV: value, JWT_SECRET: secret })).toThrow(/demo users|USERS/i);
  });

  it.each([["one repeated character", "a".repeat(40)], ["only spaces", " ".repeat(40)], ["two characters", "ab".repeat(20)]])(
    "a 32-byte secret of %s is refused",
    (_name, weak) => {
      expect(() => loadAppConfig({ NODE_ENV: "production", JWT_SECRET: weak, USERS_FILE: "x" })).toThrow(/JWT_SECRET/);
    },
  );

  it("probeRouter() in production without a key falls through to the app's 404; with a key or public it answers", async () => {
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try {
      const make = (opts: Parameters<typeof probeRouter>[0]) => express().use("/p", probeRouter(opts)).use((_q, r) => r.status(404).end());
      expect((await request(make({})).get("/p/x")).status).toBe(404);
      expect((await request(make({ accessKey: "k" })).get("/p/x").set("X-Authprobe-Key", "k")).status).toBe(200);
      expect((await request(make({ public: true })).get("/p/x")).status).toBe(200);
    } finally {
      process.env.NODE_ENV = before;
    }
  });
});

describe("the HTML page stays static", () => {
  it("markup in header names, values, the path and claims is escaped", () => {
    const evil = "<script>alert(1)</script>";
    const claims = `${b64("{\"alg\":\"HS256\"}")}.${b64(JSON.stringify({ sub: evil }))}.x`;
    const html = renderProbeHtml(
      buildProbeReport({
        method: "GET",
        url: `/${encodeURIComponent(evil)}?q=${encodeURIComponent(evil)}`,
        rawHeaders: ["X-Evil", evil, "Authorization", `Bearer ${claims}`],
        httpVersion: "1.1",
      }),
    );
    expect(html).not.toContain("<script>");
    expect(createApp).toBeDefined();
  });
});
