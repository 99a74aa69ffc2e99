import { request, type IncomingMessage, type ServerResponse } from "node:http";
import { beforeAll, describe, expect, it } from "vitest";
import { loadAppConfig } from "../../src/app/config.js";
import { createApp } from "../../src/app/create-app.js";
import { diagnose } from "../../src/doctor/diagnose.js";
import { exitCodeFor } from "../../src/doctor/verdict.js";
import { createProbeHandler } from "../../src/probe/handler.js";
import { useServers } from "../support/servers.js";

const { serve: listen } = useServers();
let probe = "";

/** A deliberately bad hop: rewrites the client's Authorization before passing the request on. */
function rewritingProxy(rewrite: (value: string) => string[]) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = value;
    if (typeof req.headers.authorization === "string") headers.authorization = rewrite(req.headers.authorization);
    const up = request(`${probe}${req.url}`, { method: req.method, headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    req.pipe(up);
  };
}

/** A probe whose preflight (OPTIONS) answer carries exactly these headers. */
function preflightAnsweredWith(headers: Record<string, string>) {
  const probeHandler = createProbeHandler();
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== "OPTIONS") return probeHandler(req, res);
    res.writeHead(204, headers);
    res.end();
  };
}

beforeAll(async () => {
  probe = await listen(createProbeHandler());
});

describe("diagnose() on hops the lab does not have", () => {
  it("AUTH_ALTERED says the scheme was re-cased", async () => {
    const url = await listen(rewritingProxy((v) => [v.replace(/^Bearer/, "bearer")]));
    const result = await diagnose({ target: url, tokenSize: 1024 });
    const altered = result.findings.find((f) => f.code === "AUTH_ALTERED");
    expect(altered?.evidence.notes?.[0]).toMatch(/scheme re-cased to 'bearer'/);
    expect(exitCodeFor(result)).toBe(1);
  });

  it("AUTH_ALTERED says the whitespace after the scheme changed", async () => {
    const url = await listen(rewritingProxy((v) => [v.replace(" ", "  ")]));
    const result = await diagnose({ target: url, tokenSize: 1024 });
    expect(result.findings.find((f) => f.code === "AUTH_ALTERED")?.evidence.notes?.[0]).toMatch(/whitespace changed after the scheme/);
  });

  it("AUTH_ALTERED says the scheme was removed", async () => {
    const url = await listen(rewritingProxy((v) => [v.slice(v.indexOf(" ") + 1)]));
    const result = await diagnose({ target: url, tokenSize: 1024 });
    expect(result.findings.find((f) => f.code === "AUTH_ALTERED")?.evidence.notes?.[0]).toMatch(/the scheme was removed/);
  });

  it("AUTH_ALTERED says the value was truncated", async () => {
    const url = await listen(rewritingProxy((v) => [v.slice(0, 100)]));
    const result = await diagnose({ target: url, tokenSize: 1024 });
    expect(result.findings.find((f) => f.code === "AUTH_ALTERED")?.evidence.notes?.[0]).toMatch(/truncated to 100 of/);
  });

  it("AUTH_DUPLICATED when a hop appends a second Authorization", async () => {
    const url = await listen(rewritingProxy((v) => [v, "Bearer service-token"]));
    const result = await diagnose({ target: url, tokenSize: 1024 });
    expect(result.findings.map((f) => f.code)).toContain("AUTH_DUPLICATED");
  });

  it("SCHEME_MISMATCH in black-box mode when the app wants another scheme", async () => {
    const app = createApp(loadAppConfig({ NODE_ENV: "test", JWT_SECRET: "y".repeat(40), AUTH_SCHEMES: "JWT" }));
    const url = await listen((req, res) => app(req, res));
    const result = await diagnose({ target: `${url}/protected`, token: "Bearer abc.def.ghi", tokenSize: 1024 });
    expect(result.mode).toBe("black-box");
    expect(result.findings.map((f) => f.code)).toEqual(["PROBE_NOT_FOUND", "SCHEME_MISMATCH"]);
  });

  it("AUTH_STRIPPED in black-box mode when the app answers the same with and without the token", async () => {
    const app = createApp(loadAppConfig({ NODE_ENV: "test", JWT_SECRET: "y".repeat(40) }));
    const appUrl = await listen((req, res) => app(req, res));
    const stripping = await listen((req, res) => {
      delete req.headers.authorization;
      const up = request(`${appUrl}${req.url}`, { method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      req.pipe(up);
    });
    const result = await diagnose({ target: `${stripping}/protected`, token: "Bearer abc.def.ghi", tokenSize: 1024 });
    expect(result.findings.map((f) => f.code)).toEqual(["PROBE_NOT_FOUND", "AUTH_STRIPPED"]);
  });

  it("CORS_AUTH_NOT_ALLOWED when the preflight does not list authorization", async () => {
    const url = await listen(preflightAnsweredWith({ "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "content-type" }));
    const result = await diagnose({ target: url, origin: "https://app.example", tokenSize: 1024 });
    expect(result.findings.map((f) => f.code)).toEqual(["CORS_AUTH_NOT_ALLOWED"]);
  });

  it("Access-Control-Allow-Headers: * is a warning that says what browsers do, not an error", async () => {
    const url = await listen(preflightAnsweredWith({ "Access-Control-Allow-Origin": "https://app.example", "Access-Control-Allow-Headers": "*" }));
    const result = await diagnose({ target: url, origin: "https://app.example", tokenSize: 1024 });
    const finding = result.findings.find((f) => f.code === "CORS_AUTH_NOT_ALLOWED");
    expect(finding?.severity).toBe("warning");
    expect(finding?.evidence.notes?.join(" ")).toMatch(/Chromium and Firefox still let it through/);
  });

  it("without --hop, a loss behind the first of two named hops is not blamed on the front", async () => {
    // A front that names itself, then a second hop that names itself in Via and drops the token.
    const dropping = await listen(rewritingProxy(() => []));
    const front = await listen((req, res) => {
      const up = request(`${dropping}${req.url}`, { method: req.method, headers: { ...req.headers, via: "1.1 cache-7 (Varnish/7.1)" } }, (r) => {
        res.writeHead(r.statusCode ?? 502, { ...r.headers, server: "nginx/1.22.1" });
        r.pipe(res);
      });
      req.pipe(up);
    });
    const result = await diagnose({ target: front, tokenSize: 1024 });
    const stripped = result.findings.find((f) => f.code === "AUTH_STRIPPED");
    expect(stripped?.server).toBe("unknown");
    expect(stripped?.candidates).toEqual(["nginx", "varnish"]);
  });

  it("a Basic challenge with no error page, from the one proxy in the path: PROXY_AUTH_CHALLENGE blamed on it", async () => {
    const url = await listen((_req, res) => {
      res.writeHead(401, { "WWW-Authenticate": "Basic realm=\"restricted\"", Server: "Caddy" });
      res.end();
    });
    const result = await diagnose({ target: url });
    const challenge = result.findings.find((f) => f.code === "PROXY_AUTH_CHALLENGE");
    expect(challenge?.server).toBe("caddy");
    expect(challenge?.fix.steps.join(" ")).toMatch(/basicauth/);
  });

  it("an app's own Bearer challenge behind nginx is not a proxy challenge", async () => {
    const url = await listen((req, res) => {
      const error = req.headers.authorization ? ", error=\"invalid_token\"" : "";
      res.writeHead(401, { "WWW-Authenticate": `Bearer realm="api"${error}`, Server: "nginx/1.22.1", "Content-Type": "application/json" });
      res.end("{\"error\":\"unauthorized\"}");
    });
    const result = await diagnose({ target: url });
    expect(result.findings.map((f) => f.code)).not.toContain("PROXY_AUTH_CHALLENGE");
  });

  it("never sends more requests than allowed, and says the run stopped there", async () => {
    const url = await listen(rewritingProxy(() => []));
    const result = await diagnose({ target: url, maxRequests: 2 });
    expect(result.requests).toBe(2);
    expect(result.notes.join("\n")).toMatch(/request budget \(2 requests\)/);
    expect(result.summary).toMatch(/incomplete/);
  });
});

describe("what the doctor sends and shows", () => {
  it("never shows the user's token, even when the app echoes it", async () => {
    const token = "user-secret-token-0123456789";
    const url = await listen((req, res) => {
      res.writeHead(401, { "WWW-Authenticate": `Bearer error="invalid_token"`, "Content-Type": "text/plain" });
      res.end(`bad token: ${req.headers.authorization ?? "none"}`);
    });
    const result = await diagnose({ target: url, token, tokenSize: 1024 });
    expect(result.findings.map((f) => f.code)).toContain("TOKEN_REJECTED");
    expect(JSON.stringify(result)).not.toContain(token);
  });

  it("--probe-key reaches a keyed probe; without it the doctor falls back to black-box", async () => {
    const url = await listen(createProbeHandler({ accessKey: "probe-key-123" }));
    expect((await diagnose({ target: url, probeKey: "probe-key-123", tokenSize: 1024 })).mode).toBe("probe");
    expect((await diagnose({ target: url, tokenSize: 1024 })).mode).toBe("black-box");
  });
});
