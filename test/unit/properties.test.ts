import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearerAuth } from "../../src/app/bearer-auth.js";
import { createApp } from "../../src/app/create-app.js";
import { describeValue, findValueProblems, parseAuthorization } from "../../src/probe/authorization.js";
import { renderProbeHtml } from "../../src/probe/html.js";
import { buildProbeReport } from "../../src/probe/report.js";
import { makeApp } from "../support/app.js";

/**
 * Properties over the probe and the app's auth: never throw, never 5xx, never echo a secret marker
 * placed anywhere in a request. FUZZ_RUNS sets the cases per property (npm run fuzz: 25,000 x 4);
 * FUZZ_SEED replays a run. The seed is printed so a failure in CI can be replayed.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
process.stdout.write(`properties: ${RUNS} runs per property, FUZZ_SEED=${SEED}\n`);
const params = { numRuns: RUNS, seed: SEED };

/** A credential-like marker: base64url, 24 to 40 characters, letters and digits. */
const marker = fc
  .string({ unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"), minLength: 22, maxLength: 38 })
  .map((s) => `k7${s}Q`);

/** Every way the marker could leak: itself, any 8-character piece, and its common encodings. */
function forms(m: string): string[] {
  const pieces = Array.from({ length: m.length - 7 }, (_, i) => m.slice(i, i + 8));
  const buf = Buffer.from(m);
  return [m, ...pieces, buf.toString("base64"), buf.toString("base64url"), buf.toString("hex"), encodeURIComponent(m)];
}

function leaks(output: string, m: string): string | undefined {
  return forms(m).find((f) => output.includes(f));
}

const where = fc.constantFrom("method", "path", "query-name", "query-value", "header-name", "header-value", "cookie-name", "cookie-value", "authorization");
const filler = fc.string({ unit: fc.constantFrom(..."abcxyz-. "), maxLength: 6 });

interface Placed {
  method: string;
  url: string;
  rawHeaders: string[];
}

function place(m: string, at: string, pre: string): Placed {
  const base: Placed = { method: "GET", url: "/api/items?page=2", rawHeaders: ["Host", "api.example.com", "Accept", "*/*"] };
  const p = pre.trim().replace(/[ .]/g, "-") || "x";
  switch (at) {
    case "method":
      return { ...base, method: m };
    case "path":
      return { ...base, url: `/api/${p}${m}/items` };
    case "query-name":
      return { ...base, url: `/api?${m}=1` };
    case "query-value":
      return { ...base, url: `/api?q=${encodeURIComponent(`${pre}${m}`)}` };
    case "header-name":
      return { ...base, rawHeaders: [...base.rawHeaders, `X-${p}-${m}`, "1"] };
    case "header-value":
      return { ...base, rawHeaders: [...base.rawHeaders, "X-Trace", `${pre}${m}`] };
    case "cookie-name":
      return { ...base, rawHeaders: [...base.rawHeaders, "Cookie", `theme=dark; ${m}=1`] };
    case "cookie-value":
      return { ...base, rawHeaders: [...base.rawHeaders, "Cookie", `sid=${m}`] };
    default:
      return { ...base, rawHeaders: [...base.rawHeaders, "Authorization", `${pre}${m}`] };
  }
}

describe("the probe's report and page", () => {
  it("never throw and never echo a marker, wherever it is placed", () => {
    fc.assert(
      fc.property(marker, where, filler, (m, at, pre) => {
        const input = place(m, at, pre);
        const report = buildProbeReport({ ...input, httpVersion: "1.1" });
        const output = `${JSON.stringify(report)}\n${renderProbeHtml(report)}`;
        expect(leaks(output, m), `${at}`).toBeUndefined();
      }),
      params,
    );
  });

  const headerPairs = fc.array(fc.tuple(fc.string(), fc.string()), { maxLength: 8 });
  it("never throw on arbitrary methods, URLs and headers", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), headerPairs, (method, url, pairs) => {
        const report = buildProbeReport({ method, url: `/${url}`, rawHeaders: pairs.flat(), httpVersion: "1.1" });
        JSON.stringify(report);
        renderProbeHtml(report);
      }),
      params,
    );
  });

  it("the Authorization parser never throws", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (value) => {
        parseAuthorization(value);
        findValueProblems(value);
        describeValue("Authorization", value);
      }),
      params,
    );
  });
});

describe("the app's auth middleware", () => {
  const { config } = makeApp();
  const auth = bearerAuth(config);

  it("answers any Authorization with 401 or 400, never 5xx, never the marker", () => {
    fc.assert(
      fc.property(marker, fc.constantFrom("", "Bearer ", "bearer ", "JWT ", "Basic ", "s3 "), fc.integer({ min: 1, max: 2 }), (m, scheme, count) => {
        const value = `${scheme}${m}`;
        let status = 0;
        let out = "";
        const res = {
          setHeader: (n: string, v: string) => {
            out += `${n}: ${v}\n`;
          },
          status(code: number) {
            status = code;
            return this;
          },
          json(body: unknown) {
            out += JSON.stringify(body);
          },
        };
        const req = { headers: { authorization: value }, rawHeaders: Array.from({ length: count }, () => ["Authorization", value]).flat() };
        let passed = false;
        auth(req as never, res as never, () => {
          passed = true;
        });
        expect(passed).toBe(false);
        expect([400, 401]).toContain(status);
        expect(leaks(out, m)).toBeUndefined();
      }),
      params,
    );
  });
});

describe("the app over a real socket", () => {
  let server: Server;
  let base = "";
  beforeAll(async () => {
    server = createServer(createApp(makeApp().config));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("a marker in the path, the query, a header or the body: never a 5xx, never echoed", async () => {
    await fc.assert(
      fc.asyncProperty(marker, fc.constantFrom("path", "query", "header", "body", "auth"), async (m, at) => {
        const url = at === "path" ? `${base}/users/${m}` : at === "query" ? `${base}/protected?token=${m}` : `${base}/protected`;
        const res = await fetch(url, {
          method: at === "body" ? "POST" : "GET",
          headers: {
            ...(at === "header" ? { "X-Api-Key": m } : {}),
            ...(at === "auth" ? { Authorization: `Bearer ${m}` } : {}),
            ...(at === "body" ? { "Content-Type": "application/json" } : {}),
          },
          ...(at === "body" ? { body: JSON.stringify({ username: m, password: m }) } : {}),
        });
        const text = `${[...res.headers].map(([n, v]) => `${n}: ${v}`).join("\n")}\n${await res.text()}`;
        expect(res.status).toBeLessThan(500);
        expect(leaks(text, m)).toBeUndefined();
      }),
      { ...params, numRuns: Math.min(RUNS, 2_000) },
    );
  });
});
