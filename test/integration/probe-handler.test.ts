import { describe, expect, it } from "vitest";
import { createProbeHandler, hasProbeKey } from "../../src/probe/handler.js";
import { parseProbeReport } from "../../src/probe/parse-report.js";
import { buildProbeReport } from "../../src/probe/report.js";
import { useServers } from "../support/servers.js";

// The probe's HTTP answers, header by header: what a proxy in front sees and what a browser gets.

const { serve } = useServers();

async function get(url: string, init: RequestInit = {}) {
  const res = await fetch(url, init);
  return { status: res.status, headers: res.headers, body: await res.text() };
}

describe("the probe's answers", () => {
  it("JSON: not cached, not sniffed, with its length, compact for programs, with a final newline", async () => {
    const url = await serve(createProbeHandler());
    const r = await get(`${url}/x`);
    expect(r.body).toMatch(/^\{"probe":"authprobe","version":1,/);
    expect(r.body.endsWith("}\n")).toBe(true);
    expect(r.body.slice(0, -1)).not.toContain("\n");
    expect(r.headers.get("content-length")).toBe(String(Buffer.byteLength(r.body)));
    expect(parseProbeReport(r.body)?.request.path).toBe("/x");
  });

  it("JSON pretty-printed when a person asks (?pretty) or reads it in a terminal (curl's User-Agent)", async () => {
    const url = await serve(createProbeHandler());
    const pretty = (body: string) => body.includes("\n  \"probe\": \"authprobe\"");
    expect(pretty((await get(`${url}/x?a=1&pretty`)).body)).toBe(true);
    expect(pretty((await get(`${url}/x?pretty=1`)).body)).toBe(true);
    expect(pretty((await get(`${url}/x`, { headers: { "User-Agent": "curl/8.5.0" } })).body)).toBe(true);
    expect(pretty((await get(`${url}/x`, { headers: { "User-Agent": "HTTPie/3.2.2" } })).body)).toBe(true);
    expect(pretty((await get(`${url}/x?pretty=0`, { headers: { "User-Agent": "curl/8.5.0" } })).body)).toBe(false);
    expect(pretty((await get(`${url}/x?prettyish=1`)).body)).toBe(false);
    expect(pretty((await get(`${url}/pretty`)).body)).toBe(false);
    expect(pretty((await get(`${url}/x`, { headers: { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) curl/8" } })).body)).toBe(false);
  });

  it("JSON: pretty-printed with a final newline for curl", async () => {
    const url = await serve(createProbeHandler());
    const r = await get(`${url}/x`, { headers: { "User-Agent": "curl/8.5.0" } });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(r.headers.get("cache-control")).toBe("no-store");
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    expect(r.headers.get("content-length")).toBe(String(Buffer.byteLength(r.body)));
    expect(r.headers.get("content-security-policy")).toBeNull();
    expect(r.headers.get("access-control-allow-origin")).toBeNull();
    expect(r.body.endsWith("}\n")).toBe(true);
    expect(r.body).toContain("\n  \"probe\": \"authprobe\"");
    expect(parseProbeReport(r.body)?.request.path).toBe("/x");
  });

  it("HTML only for a browser that asks for it, locked down by CSP", async () => {
    const url = await serve(createProbeHandler());
    const html = await get(url, { headers: { Accept: "text/html,application/xhtml+xml" } });
    expect(html.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(html.headers.get("content-security-policy")).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(html.body).toMatch(/^<!doctype html>/i);
    expect((await get(url, { headers: { Accept: "application/json, text/htmlx" } })).headers.get("content-type")).toMatch(/json/);
    expect((await get(url, { headers: { Accept: "TEXT/HTML" } })).headers.get("content-type")).toMatch(/html/);
  });

  it("HEAD: the same headers and length, no body", async () => {
    const url = await serve(createProbeHandler());
    const head = await get(url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
    expect(Number(head.headers.get("content-length"))).toBeGreaterThan(100);
  });

  it("a preflight from an origin: 204 allowing what was asked, cached ten minutes", async () => {
    const url = await serve(createProbeHandler());
    const r = await get(url, {
      method: "OPTIONS",
      headers: { Origin: "https://app.example", "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "authorization, x-trace" },
    });
    expect(r.status).toBe(204);
    expect(r.body).toBe("");
    expect(r.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect(r.headers.get("vary")).toBe("Origin");
    expect(r.headers.get("access-control-allow-methods")).toBe("PUT");
    expect(r.headers.get("access-control-allow-headers")).toBe("authorization, x-trace");
    expect(r.headers.get("access-control-max-age")).toBe("600");
  });

  it("a preflight that asks for no headers gets no Allow-Headers", async () => {
    const url = await serve(createProbeHandler());
    const r = await get(url, { method: "OPTIONS", headers: { Origin: "https://a.example", "Access-Control-Request-Method": "GET" } });
    expect(r.status).toBe(204);
    expect(r.headers.get("access-control-allow-headers")).toBeNull();
  });

  it("OPTIONS without a preflight's method, or a GET from an origin: a report, with the origin allowed", async () => {
    const url = await serve(createProbeHandler());
    const options = await get(url, { method: "OPTIONS", headers: { Origin: "https://a.example" } });
    expect(options.status).toBe(200);
    expect(parseProbeReport(options.body)?.request.method).toBe("OPTIONS");
    expect(options.headers.get("access-control-allow-methods")).toBeNull();
    const cross = await get(url, { headers: { Origin: "https://a.example" } });
    expect(cross.status).toBe(200);
    expect(cross.headers.get("access-control-allow-origin")).toBe("https://a.example");
    expect(cross.headers.get("access-control-max-age")).toBeNull();
    const plainOptions = await get(url, { method: "OPTIONS", headers: { "Access-Control-Request-Method": "GET" } });
    expect(plainOptions.status).toBe(200);
  });

  it("a keyed probe: a bare JSON 404 to anyone without the key, before any CORS answer", async () => {
    const url = await serve(createProbeHandler({ accessKey: "k-123456" }));
    const attempts: Record<string, string>[] = [
      {},
      { "X-Authprobe-Key": "k-12345" },
      { "X-Authprobe-Key": "k-1234567" },
      { Origin: "https://a.example", "Access-Control-Request-Method": "GET" },
    ];
    for (const headers of attempts) {
      const r = await get(url, { method: "Origin" in headers ? "OPTIONS" : "GET", headers });
      expect(r.status).toBe(404);
      expect(r.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(JSON.parse(r.body)).toEqual({ error: "not_found" });
      expect(r.headers.get("access-control-allow-origin")).toBeNull();
    }
    expect((await get(url, { headers: { "X-Authprobe-Key": "k-123456" } })).status).toBe(200);
  });

  it("the key must be one header, the exact bytes", () => {
    const req = (v: string | string[] | undefined) => ({ headers: { "x-authprobe-key": v } }) as never;
    expect(hasProbeKey(req("abc"), "abc")).toBe(true);
    expect(hasProbeKey(req("abd"), "abc")).toBe(false);
    expect(hasProbeKey(req(["abc", "abc"]), "abc")).toBe(false);
    expect(hasProbeKey(req(undefined), "abc")).toBe(false);
    expect(hasProbeKey(req("ab"), "abc")).toBe(false);
  });
});

describe("parseProbeReport: only version 1 of the contract, and only a report that follows its schema", () => {
  it.each([
    [JSON.stringify(buildProbeReport({ method: "GET", url: "/", rawHeaders: [], httpVersion: "1.1" })), true],
    // Says it is a report and has none of the fields: invalid (issue 24, item 7), not a report.
    ["{\"probe\":\"authprobe\",\"version\":1}", false],
    ["{\"probe\":\"authprobe\",\"version\":2}", false],
    ["{\"probe\":\"other\",\"version\":1}", false],
    ["{\"version\":1}", false],
    ["null", false],
    ["[]", false],
    ["<html>", false],
    ["", false],
  ])("%s", (body, isReport) => {
    expect(parseProbeReport(body) !== null).toBe(isReport);
  });
});
