import { request, type IncomingMessage, type ServerResponse } from "node:http";
import { beforeAll, describe, expect, it } from "vitest";
import { CHECKS } from "../../src/doctor/checks/index.js";
import { diagnose } from "../../src/doctor/diagnose.js";
import { freePort } from "../../src/lab/ports.js";
import { exitCodeFor } from "../../src/doctor/verdict.js";
import express from "express";
import { probeRouter } from "../../src/probe/express.js";
import { createProbeHandler } from "../../src/probe/handler.js";
import { buildProbeReport } from "../../src/probe/report.js";
import { useServers } from "../support/servers.js";

// The doctor's reasoning from evidence, check by check, against small Node hops in front of the
// real probe. Each hop does one thing a real server does (the lab proves those with the real
// servers); the error pages are byte-exact copies of the servers' own, as in attribution.test.ts.

const { serve } = useServers();
let probe = "";

const NGINX_400 =
  "<html>\r\n<head><title>400 Request Header Or Cookie Too Large</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<center>Request Header Or Cookie Too Large</center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n";
const NGINX_301 =
  "<html>\r\n<head><title>301 Moved Permanently</title></head>\r\n<body>\r\n<center><h1>301 Moved Permanently</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n";
const NGINX_502 =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n";

interface Hop {
  /** The Server header it puts on every answer. */
  server?: string;
  /** Other headers it puts on every answer it passes on (a Via, say). */
  answerHeaders?: Record<string, string>;
  /** Request headers it does not pass on. */
  drops?: (name: string) => boolean;
  /** Removes the headers that Connection names (RFC 9110 section 7.6.1). */
  honoursConnection?: boolean;
  /** Refuses a request whose Authorization is longer than this, with its own page. */
  refuseAbove?: { bytes: number; status: number; body: string };
  /** Answers this path itself with what it received (a hop echo). */
  echo?: string;
  /** Changes the headers it passes on (adds, replaces or rewrites Authorization). */
  rewrite?: (headers: Record<string, string | string[]>) => void;
}

/** A hop in front of `upstream` that behaves as described and otherwise passes everything on. */
function hop(upstream: string, behaviour: Hop) {
  const echo = behaviour.echo ? createProbeHandler({ hop: "edge" }) : null;
  return (req: IncomingMessage, res: ServerResponse) => {
    const own = behaviour.server ? { server: behaviour.server } : {};
    const auth = req.headers.authorization ?? "";
    if (behaviour.refuseAbove && auth.length > behaviour.refuseAbove.bytes) {
      res.writeHead(behaviour.refuseAbove.status, { "content-type": "text/html", ...own });
      res.end(behaviour.refuseAbove.body);
      return;
    }
    if (echo && req.url?.startsWith(behaviour.echo as string)) {
      echo(req, res);
      return;
    }
    const named = behaviour.honoursConnection ? (req.headers.connection ?? "").toLowerCase().split(",").map((s) => s.trim()) : [];
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || name === "connection" || named.includes(name)) continue;
      if (behaviour.drops?.(name) && name !== "host") continue;
      headers[name] = value;
    }
    behaviour.rewrite?.(headers);
    const up = request(`${upstream}${req.url}`, { method: req.method, headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, { ...r.headers, ...own, ...behaviour.answerHeaders });
      r.pipe(res);
    });
    up.on("error", () => {
      // nginx's answer when the server behind it drops the request.
      res.writeHead(502, { "content-type": "text/html", ...own });
      res.end(NGINX_502);
    });
    req.pipe(up);
  };
}

/**
 * A WSGI app server's probe (what the Python twin reports, see python-probes.test.ts) that refuses
 * or drops a request whose Authorization is longer than `limit`, as gunicorn and uWSGI do.
 */
function appServer(runtimeServer: "gunicorn" | "uwsgi", limit: number, refusal: "gunicorn-400" | "drop") {
  return (req: IncomingMessage, res: ServerResponse) => {
    if ((req.headers.authorization ?? "").length > limit) {
      if (refusal === "drop") {
        req.socket.destroy();
        return;
      }
      res.writeHead(400, { "content-type": "text/html", connection: "close" });
      res.end(GUNICORN_400);
      return;
    }
    const report = buildProbeReport(
      { method: req.method ?? "GET", url: req.url ?? "/", httpVersion: req.httpVersion, rawHeaders: req.rawHeaders, remoteAddress: req.socket.remoteAddress },
      { runtime: "wsgi" },
    );
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ...report, runtimeServer }));
  };
}

const GUNICORN_400 =
  "<html>\n  <head>\n    <title>Bad Request</title>\n  </head>\n  <body>\n    <h1><p>Bad Request</p></h1>\n    Error parsing headers: &#x27;limit request headers fields size&#x27;\n  </body>\n</html>\n";

/** Tomcat's refusal of an over-long header: a page no rule here knows. */
const TOMCAT_400 =
  "<!doctype html><html lang=\"en\"><head><title>HTTP Status 400 – Bad Request</title></head><body><h1>HTTP Status 400 – Bad Request</h1><hr class=\"line\" /><p><b>Type</b> Exception Report</p><p><b>Message</b> Request header is too large</p><hr class=\"line\" /><h3>Apache Tomcat/9.0.83</h3></body></html>";

beforeAll(async () => {
  probe = await serve(createProbeHandler());
});

describe("Authorization lost on the way: who is blamed, from what", () => {
  it("a proxy that names itself strips only Authorization: blamed on it, with its fix", async () => {
    const url = await serve(hop(probe, { server: "nginx/1.22.1", drops: (n) => n === "authorization" }));
    const result = await diagnose({ target: url, tokenSize: 1024 });
    expect(result.mode).toBe("probe");
    expect(result.server).toBe("nginx");
    expect(result.runtime).toBe("node");
    expect(result.verdict).toBe("problems");
    expect(exitCodeFor(result)).toBe(1);
    const stripped = result.findings.find((f) => f.code === "AUTH_STRIPPED");
    expect(stripped?.server).toBe("nginx");
    expect(stripped?.severity).toBe("error");
    expect(stripped?.evidence.received).toBe("no Authorization header at the app");
    expect(stripped?.evidence.data).toMatchObject({ controlArrived: true, redirectPrefix: false, runtimeServer: "node" });
    const notes = stripped?.evidence.notes ?? [];
    expect(notes[0]).toMatch(/^X-Authprobe-Control arrived: only Authorization was hidden/);
    expect(notes).toContain("Other schemes: Basic: missing, JWT: missing.");
    expect(notes.at(-1)).toMatch(/^Blamed on nginx: /);
    expect(stripped?.fix.steps.join("\n")).toMatch(/proxy_set_header Authorization ""/);
    expect(stripped?.fix.steps.join("\n")).not.toMatch(/proxy_pass_request_headers/);
    expect(result.summary).toMatch(/nginx/);
    // The canary, then Basic and JWT: no size or hop-by-hop check once the token is lost.
    expect(result.requests).toBe(3);
  });

  it("a proxy that drops every client header: said so, and the fix is the one for that", async () => {
    const url = await serve(hop(probe, { server: "nginx/1.22.1", drops: () => true }));
    const result = await diagnose({ target: url, tokenSize: 1024 });
    const stripped = result.findings.find((f) => f.code === "AUTH_STRIPPED");
    expect(stripped?.evidence.data).toMatchObject({ controlArrived: false });
    expect(stripped?.evidence.notes?.[0]).toMatch(/^X-Authprobe-Control did not arrive either/);
    expect(stripped?.fix.steps[0]).toMatch(/proxy_pass_request_headers off/);
  });

  it("a proxy that names nobody: unknown, with the way to find the hop, never a server's fix", async () => {
    const url = await serve(hop(probe, { drops: (n) => n === "authorization" }));
    const result = await diagnose({ target: url, tokenSize: 1024 });
    const stripped = result.findings.find((f) => f.code === "AUTH_STRIPPED");
    expect(stripped?.server).toBe("unknown");
    expect(result.server).toBe("unknown");
    expect(stripped?.evidence.notes?.at(-1)).toBe("Which component did it is not certain: no proxy names itself in the answer.");
    expect(stripped?.fix.steps[0]).toMatch(/--hop NAME=URL/);
    expect(stripped?.fix.steps.join("\n")).not.toMatch(/proxy_set_header|RequestHeader|http-request|header_up/);
  });

  it("a hop echo that still had the token blames that hop, whatever the Server header says", async () => {
    const inner = await serve(hop(probe, { drops: (n) => n === "authorization" }));
    const url = await serve(hop(inner, { server: "Apache/2.4.62", echo: "/__hop/edge" }));
    const result = await diagnose({ target: url, tokenSize: 1024, hops: [{ name: "edge", url: `${url}/__hop/edge` }] });
    const stripped = result.findings.find((f) => f.code === "AUTH_STRIPPED");
    expect(stripped?.evidence.notes).toContain("Lost between hop 'edge' (unknown) and the app: edge=intact, app=not intact.");
    expect(stripped?.server).toBe("unknown");
  });

  it("a proxy that adds a second Authorization: duplicated, and the original value is still judged", async () => {
    const url = await serve(hop(probe, { server: "HAProxy", rewrite: (h) => (h.authorization = [String(h.authorization), "Bearer service-token"]) }));
    const result = await diagnose({ target: url, tokenSize: 1024 });
    const dup = result.findings.find((f) => f.code === "AUTH_DUPLICATED");
    expect(dup?.evidence.data).toMatchObject({ count: 2 });
    expect(dup?.evidence.received).toMatch(/^2 Authorization value\(s\); problems: /);
  });

  it("a proxy that replaces the token with its own: replaced, with the length that arrived", async () => {
    const url = await serve(hop(probe, { server: "Caddy", rewrite: (h) => (h.authorization = "Basic c2VydmljZTpzZWNyZXQ=") }));
    const result = await diagnose({ target: url, tokenSize: 1024 });
    const replaced = result.findings.find((f) => f.code === "AUTH_REPLACED");
    expect(replaced?.server).toBe("caddy");
    expect(replaced?.evidence.data).toEqual({ receivedLength: 26 });
    expect(replaced?.evidence.received).toMatch(/^Authorization: Basic <26 bytes, sha256 [0-9a-f]{12}>$/);
    expect(replaced?.fix.steps.join("\n")).toMatch(/header_up Authorization/);
  });
});

describe("headers that other rules drop", () => {
  it("underscores: a notice by default, an error when the user's clients send that header", async () => {
    const url = await serve(hop(probe, { server: "nginx/1.22.1", drops: (n) => n.includes("_") }));
    const plain = await diagnose({ target: url, tokenSize: 1024 });
    const notice = plain.findings.find((f) => f.code === "UNDERSCORE_HEADER_DROPPED");
    expect(notice?.severity).toBe("notice");
    expect(notice?.server).toBe("nginx");
    expect(notice?.evidence.sent).toBe("X_Authprobe_Token: <canary token>");
    expect(notice?.evidence.received).toBe("no X_Authprobe_Token header at the app (X-Authprobe-Control arrived)");
    expect(plain.verdict).toBe("ok");
    expect(exitCodeFor(plain)).toBe(0);
    const asked = await diagnose({ target: url, tokenSize: 1024, tokenHeader: "X_Api_Key" });
    const error = asked.findings.find((f) => f.code === "UNDERSCORE_HEADER_DROPPED");
    expect(error?.severity).toBe("error");
    expect(error?.evidence.data).toMatchObject({ header: "X_Api_Key" });
    expect(exitCodeFor(asked)).toBe(1);
  });

  it.each([
    ["Caddy in front of gunicorn (22+ drops such names)", "Caddy", "gunicorn", ["gunicorn"]],
    ["HAProxy in front of a Node app", "HAProxy", null, []],
    ["Apache mod_proxy in front of gunicorn", "Apache/2.4.71 (Debian)", "gunicorn", ["gunicorn"]],
  ] as const)("underscores lost behind a proxy that passes them on: not that proxy (%s)", async (_name, server, runtime, candidates) => {
    const app = runtime ? await serve(appServer(runtime, 1_000_000, "drop")) : probe;
    const dropping = await serve(hop(app, { drops: (n) => n.includes("_") }));
    const result = await diagnose({ target: await serve(hop(dropping, { server })), tokenSize: 1024 });
    const f = result.findings.find((x) => x.code === "UNDERSCORE_HEADER_DROPPED");
    expect(f?.server).toBe("unknown");
    expect(f?.candidates ?? []).toEqual(candidates);
    expect((f?.evidence.data as { basis: { detail: string }[] }).basis[0]?.detail).toMatch(/is in the path, but it passes header names with underscores on/);
  });

  it("underscores lost in nginx then a Node gateway (which passes them on): nginx, the other proxy in the path", async () => {
    const gateway = await serve(
      hop(probe, {
        answerHeaders: { via: "1.1 gateway (authprobe)" },
        rewrite: (h) => {
          h.via = "1.1 gateway (authprobe)";
          h["x-forwarded-for"] = "10.0.0.1, 127.0.0.1";
        },
      }),
    );
    const front = await serve(hop(gateway, { server: "nginx/1.22.1", drops: (n) => n.includes("_") }));
    const f = (await diagnose({ target: front, tokenSize: 1024 })).findings.find((x) => x.code === "UNDERSCORE_HEADER_DROPPED");
    expect(f?.server).toBe("nginx");
    expect((f?.evidence.data as { basis: { detail: string }[] }).basis[0]?.detail).toBe(
      "Node passes header names with underscores on; the other proxy in the path is nginx",
    );
    expect(f?.fix.steps.join("\n")).toMatch(/underscores_in_headers on/);
  });

  it("underscores already lost at the first hop echo: not that hop, the proxy in front of it", async () => {
    const inner = await serve(hop(probe, { echo: "/__hop/haproxy" }));
    const front = await serve(hop(inner, { server: "nginx/1.22.1", drops: (n) => n.includes("_") }));
    const result = await diagnose({ target: front, tokenSize: 1024, hops: [{ name: "haproxy", url: `${front}/__hop/haproxy` }] });
    expect(result.findings.find((x) => x.code === "UNDERSCORE_HEADER_DROPPED")?.server).toBe("nginx");
  });

  it("an underscore header that arrives: no finding", async () => {
    const result = await diagnose({ target: probe, tokenSize: 1024 });
    expect(result.findings).toEqual([]);
    expect(result.verdict).toBe("ok");
  });

  it("Connection: ..., Authorization removed by a conforming proxy (Caddy, as in the lab): a notice-level finding blamed on it", async () => {
    const url = await serve(hop(probe, { server: "Caddy", honoursConnection: true }));
    const result = await diagnose({ target: url, tokenSize: 1024 });
    const hbh = result.findings.find((f) => f.code === "HOP_BY_HOP_STRIPPED");
    expect(hbh?.server).toBe("caddy");
    expect(hbh?.evidence.sent).toMatch(/with Connection: keep-alive, Authorization$/);
    expect(hbh?.evidence.notes?.[0]).toMatch(/RFC 9110 section 7\.6\.1/);
  });

  it("removed where HAProxy is the only proxy named, but HAProxy passes such headers on (as in the lab): not HAProxy", async () => {
    // An unnamed hop in front of it honours Connection and passes HAProxy's answers back unchanged.
    const haproxy = await serve(hop(probe, { server: "HAProxy" }));
    const result = await diagnose({ target: await serve(hop(haproxy, { honoursConnection: true })), tokenSize: 1024 });
    const hbh = result.findings.find((f) => f.code === "HOP_BY_HOP_STRIPPED");
    expect(hbh?.server).toBe("unknown");
    expect(hbh?.candidates).toBeUndefined();
    expect((hbh?.evidence.data as { basis: { detail: string }[] }).basis[0]?.detail).toBe(
      "HAProxy is in the path, but it passes the headers that Connection names on: the app server or a hop the answer does not name dropped it",
    );
  });

  it("a proxy that ignores Connection: no hop-by-hop finding", async () => {
    const url = await serve(hop(probe, { server: "HAProxy" }));
    const result = await diagnose({ target: url, tokenSize: 1024 });
    expect(result.findings.map((f) => f.code)).toEqual([]);
  });
});

describe("size limits: measured by bisection, refused by whom", () => {
  it("nginx's page above 7,000 bytes: a notice (common tokens fit), the limit within 256 bytes", async () => {
    const url = await serve(hop(probe, { server: "nginx/1.22.1", refuseAbove: { bytes: 7000, status: 400, body: NGINX_400 } }));
    const result = await diagnose({ target: url });
    const large = result.findings.find((f) => f.code === "HEADER_TOO_LARGE");
    expect(large?.severity).toBe("notice");
    expect(large?.server).toBe("nginx");
    const data = large?.evidence.data as { largestPassed: number; needed: number; status: string; precision: number };
    expect(data.largestPassed).toBeLessThanOrEqual(7000);
    expect(data.largestPassed).toBeGreaterThan(7000 - 256);
    expect(data).toMatchObject({ needed: 16000, status: "400", precision: 256 });
    expect(large?.evidence.notes?.[0]).toMatch(/^Measured up to 16000 bytes; pass --token-size/);
    expect(large?.evidence.received).toMatch(/larger got 400 from nginx$/);
    expect(result.requests).toBeLessThanOrEqual(40);
    expect(exitCodeFor(result)).toBe(0);
  });

  it("a limit below 6,000 bytes is a warning; with the user's size it is an error", async () => {
    const url = await serve(hop(probe, { server: "nginx/1.22.1", refuseAbove: { bytes: 4000, status: 400, body: NGINX_400 } }));
    const measured = await diagnose({ target: url });
    expect(measured.findings.find((f) => f.code === "HEADER_TOO_LARGE")?.severity).toBe("warning");
    const needed = await diagnose({ target: url, tokenSize: 5000 });
    const error = needed.findings.find((f) => f.code === "HEADER_TOO_LARGE");
    expect(error?.severity).toBe("error");
    expect(error?.evidence.notes?.[0]).toBe("Your tokens need 5000 bytes (--token/--token-size).");
    expect(error?.evidence.sent).toBe("Authorization values of growing size, up to 5000 bytes");
    expect(exitCodeFor(needed)).toBe(1);
  });

  it("a size that fits: one request at that size, no finding", async () => {
    const url = await serve(hop(probe, { server: "nginx/1.22.1", refuseAbove: { bytes: 7000, status: 400, body: NGINX_400 } }));
    const result = await diagnose({ target: url, tokenSize: 6000 });
    expect(result.findings.map((f) => f.code)).toEqual([]);
  });

  it("Node's own bare 431, nothing in front: blamed on Node", async () => {
    const small = await serve(createProbeHandler(), { maxHeaderSize: 8192 });
    const result = await diagnose({ target: small });
    const large = result.findings.find((f) => f.code === "HEADER_TOO_LARGE");
    expect(large?.server).toBe("node");
    expect((large?.evidence.data as { status: string }).status).toBe("431");
    expect(large?.fix.steps.join("\n")).toMatch(/maxHeaderSize/);
  });

  it("a front's 502 only above a size: the server behind refused it, not the front", async () => {
    const url = await serve(hop(probe, { server: "nginx/1.22.1", refuseAbove: { bytes: 9000, status: 502, body: NGINX_502 } }));
    const result = await diagnose({ target: url });
    const large = result.findings.find((f) => f.code === "HEADER_TOO_LARGE");
    expect(large?.server).toBe("unknown");
    expect(large?.evidence.notes).toContain("Refused by: the front answered 502 only above this size: the server behind it refused the request.");
  });
});

describe("size limits of the app server behind a proxy", () => {
  const sizeFinding = async (target: string, extra: { token?: string } = {}) => {
    const result = await diagnose({ target, ...extra });
    return { result, large: result.findings.find((f) => f.code === "HEADER_TOO_LARGE") };
  };

  it("gunicorn's own 400 page passed on by nginx: gunicorn, by its page, with its fix", async () => {
    const app = await serve(appServer("gunicorn", 7000, "gunicorn-400"));
    const { result, large } = await sizeFinding(await serve(hop(app, { server: "nginx/1.22.1" })));
    expect(result.runtime).toBe("gunicorn");
    expect(large?.server).toBe("gunicorn");
    expect(large?.evidence.notes).toContain("Refused by: gunicorn's error page.");
    expect(large?.fix.steps[0]).toMatch(/limit-request-field_size/);
  });

  it("uWSGI drops the request and nginx answers 502: uWSGI, because only large requests fail", async () => {
    const app = await serve(appServer("uwsgi", 4000, "drop"));
    const { large } = await sizeFinding(await serve(hop(app, { server: "nginx/1.22.1" })));
    expect(large?.server).toBe("uwsgi");
    expect(large?.severity).toBe("warning");
    expect(large?.evidence.notes).toContain("Refused by: nginx answered 502 only above this size: uWSGI behind it dropped the request.");
    expect(large?.evidence.received).toMatch(/larger got 502 from uWSGI$/);
    expect(large?.fix.steps[0]).toMatch(/buffer-size = 32768/);
  });

  it("uWSGI's http-socket with nothing in front closes the connection: uWSGI", async () => {
    const { large } = await sizeFinding(await serve(appServer("uwsgi", 4000, "drop")));
    expect(large?.server).toBe("uwsgi");
    expect(large?.evidence.notes).toContain("Refused by: nothing in front of uWSGI, which closed the connection.");
    expect((large?.evidence.data as { status: string }).status).toMatch(/^connection closed \((ECONNRESET|EPIPE|socket hang up)\)$/);
  });

  it("a named proxy that closes the connection on large requests: a candidate, not certain", async () => {
    const url = await serve((req, res) => {
      if ((req.headers.authorization ?? "").length > 5000) {
        req.socket.destroy();
        return;
      }
      hop(probe, { server: "HAProxy" })(req, res);
    });
    const { large } = await sizeFinding(url);
    expect(large?.server).toBe("unknown");
    expect(large?.candidates).toEqual(["haproxy"]);
  });

  it("an unnamed proxy (it only adds X-Forwarded-For) that closes the connection: unknown, and says why", async () => {
    const url = await serve((req, res) => {
      if ((req.headers.authorization ?? "").length > 5000) {
        req.socket.destroy();
        return;
      }
      req.headers["x-forwarded-for"] = "10.0.0.9";
      hop(probe, {})(req, res);
    });
    const { large } = await sizeFinding(url);
    expect(large?.server).toBe("unknown");
    expect(large?.candidates).toBeUndefined();
    expect(large?.evidence.notes).toContain("Refused by: 1 proxy hop(s) in front of the app, none names its product.");
  });

  it("a server that stops answering large requests is no size limit: a timeout says nothing about size", async () => {
    const url = await serve((req, res) => {
      if ((req.headers.authorization ?? "").length > 5000) return; // never answers
      createProbeHandler()(req, res);
    });
    const result = await diagnose({ target: url, timeoutMs: 300 });
    expect(result.findings.map((f) => f.code)).toEqual([]);
    expect(result.notes).toEqual([]);
  });

  it("the size the user's token needs is its length plus the scheme", async () => {
    const url = await serve(hop(probe, { server: "nginx/1.22.1", refuseAbove: { bytes: 4000, status: 400, body: NGINX_400 } }));
    const { large } = await sizeFinding(url, { token: "t".repeat(5000) });
    expect(large?.severity).toBe("error");
    expect(large?.evidence.sent).toBe("Authorization values of growing size, up to 5007 bytes");
    expect(large?.evidence.data).toMatchObject({ needed: 5007 });
  });

  it("Node's bare 431 passed on by nginx (which refuses with 400, never 431): Node, not nginx", async () => {
    const small = await serve(createProbeHandler(), { maxHeaderSize: 8192 });
    const { large } = await sizeFinding(await serve(hop(small, { server: "nginx/1.22.1" })));
    expect(large?.server).toBe("node");
    expect(large?.evidence.received).toMatch(/larger got 431 from Node$/);
    expect(large?.candidates).toBeUndefined();
    expect(large?.evidence.notes).toContain("Refused by: nginx refuses an over-long header with 400, never 431: the 431 came from behind.");
    expect(large?.evidence.notes).toContain("Refused by: behind it is only the app's Node server, which answers an over-long head with 431.");
    expect((large?.evidence.data as { basis: { kind: string }[] }).basis.map((b) => b.kind)).toEqual(["server", "status", "runtime"]);
    expect(large?.fix.steps.join("\n")).toMatch(/maxHeaderSize/);
    expect(large?.fix.steps.join("\n")).not.toMatch(/large_client_header_buffers/);
  });

  describe("a 431 that comes back through proxies: who is left once those that never answer 431 are out", () => {
    interface Path {
      /** What the refusing server behind writes. */
      refusal: { headers?: Record<string, string>; body?: string };
      /** What the front puts on every answer. */
      front: Record<string, string>;
      /** An X-Forwarded-For the front adds (an unnamed hop before it adds another). */
      xff?: string;
      /** The probe's runtimeServer. */
      runtimeServer?: string;
    }
    const deploy = async ({ refusal, front, xff, runtimeServer }: Path) => {
      const app = createProbeHandler();
      const inner = await serve((req, res) => {
        if ((req.headers.authorization ?? "").length > 7000) {
          res.writeHead(431, { connection: "close", ...refusal.headers });
          res.end(refusal.body ?? "");
          return;
        }
        if (!runtimeServer) return app(req, res);
        const report = buildProbeReport(
          { method: req.method ?? "GET", url: req.url ?? "/", httpVersion: req.httpVersion, rawHeaders: req.rawHeaders, remoteAddress: req.socket.remoteAddress },
          { runtime: "wsgi" },
        );
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ ...report, runtimeServer }));
      });
      return serve(hop(inner, { answerHeaders: front, rewrite: (h) => (xff ? (h["x-forwarded-for"] = xff) : undefined) }));
    };

    it.each([
      ["nginx and Varnish both out (no 400 page): Node, the only one left", { refusal: {}, front: { server: "nginx/1.22.1", via: "1.1 varnish (Varnish/7.1)" }, xff: "10.0.0.1, 10.0.0.2" }, "node", [], "Varnish and nginx refuse"],
      ["an unnamed hop between: Node only a candidate", { refusal: {}, front: { server: "nginx/1.22.1" }, xff: "10.0.0.1, 10.0.0.2" }, "unknown", ["node"], "nginx refuses"],
      ["a 431 with a body is not Node's bare one: Node only a candidate", { refusal: { body: "Request Header Fields Too Large" }, front: { server: "nginx/1.22.1" } }, "unknown", ["node"], "nginx refuses"],
      ["Caddy answers 431 itself: it stays a candidate", { refusal: {}, front: { server: "Caddy", via: "1.1 nginx" } }, "unknown", ["caddy", "node"], "nginx refuses"],
      ["an app server that is not one we know: no candidate for it", { refusal: {}, front: { server: "nginx/1.22.1" }, runtimeServer: "waitress" }, "unknown", [], "nginx refuses"],
    ] as const)("%s", async (_name, path, server, candidates, relayedNote) => {
      const { large } = await sizeFinding(await deploy(path as Path));
      expect(large?.server).toBe(server);
      expect(large?.candidates ?? []).toEqual(candidates);
      expect(large?.evidence.notes?.some((n) => n.startsWith(`Refused by: ${relayedNote} an over-long header with 400, never 431`))).toBe(true);
    });
  });

  it("a page that is not nginx's, under nginx's Server header: nginx only a candidate (Node, behind, would answer 431)", async () => {
    const inner = await serve((req, res) => {
      if ((req.headers.authorization ?? "").length > 7000) {
        res.writeHead(400, { "content-type": "text/html;charset=utf-8" });
        res.end(TOMCAT_400);
        return;
      }
      hop(probe, {})(req, res);
    });
    const { large } = await sizeFinding(await serve(hop(inner, { server: "nginx/1.22.1" })));
    expect(large?.server).toBe("unknown");
    expect(large?.candidates).toEqual(["nginx"]);
    expect(large?.evidence.received).toMatch(/larger got 400 from nginx \(not certain\)$/);
    expect(large?.evidence.notes).toContain(
      "Refused by: Server: nginx/1.22.1, but the answer is not nginx's own error page: written there, or passed on from a server behind.",
    );
    const steps = large?.fix.steps.join("\n") ?? "";
    expect(steps).toMatch(/If it is nginx: .*large_client_header_buffers/);
    expect(steps).not.toMatch(/maxHeaderSize/);
  });

  it("a 400 that is no one's page, with gunicorn behind (it refuses with 400 itself): nginx and gunicorn are candidates", async () => {
    const gunicorn = appServer("gunicorn", 1_000_000, "drop");
    const inner = await serve((req, res) => {
      if ((req.headers.authorization ?? "").length > 7000) {
        res.writeHead(400, { "content-type": "text/plain" });
        res.end("Bad Request");
        return;
      }
      gunicorn(req, res);
    });
    const { large } = await sizeFinding(await serve(hop(inner, { server: "nginx/1.22.1" })));
    expect(large?.server).toBe("unknown");
    expect(large?.candidates).toEqual(["nginx", "gunicorn"]);
  });

  it("a 431 with a Server header we have no rules for, behind Varnish: unknown, and neither Varnish nor the app", async () => {
    const kestrel = await serve((req, res) => {
      if ((req.headers.authorization ?? "").length > 7000) {
        res.writeHead(431, { server: "Kestrel", "content-length": "0" });
        res.end();
        return;
      }
      hop(probe, {})(req, res);
    });
    const varnish = await serve(hop(kestrel, { answerHeaders: { via: "1.1 varnish (Varnish/7.1)" }, rewrite: (h) => (h["x-varnish"] = "32770") }));
    const { large } = await sizeFinding(varnish);
    expect(large?.server).toBe("unknown");
    expect(large?.candidates).toBeUndefined();
    expect(large?.evidence.notes).toContain("Refused by: Varnish refuses an over-long header with 400, never 431: the 431 came from behind.");
    expect(large?.evidence.notes?.join("\n")).toMatch(/Server: Kestrel/);
    expect(large?.fix.steps.join("\n")).not.toMatch(/http_req_hdr_len|maxHeaderSize/);
  });

  it("Tomcat (Server: Apache-Coyote) is not Apache httpd: no Apache blame, no Apache fix", async () => {
    const url = await serve((req, res) => {
      const status = (req.headers.authorization ?? "").length > 7000 ? 400 : 401;
      res.writeHead(status, { server: "Apache-Coyote/1.1", "content-type": status === 400 ? "text/html" : "application/json" });
      res.end(status === 400 ? TOMCAT_400 : "{\"error\":\"Full authentication is required to access this resource\"}");
    });
    const result = await diagnose({ target: url });
    expect(result.server).toBe("unknown");
    for (const f of result.findings) {
      expect(f.server).not.toBe("apache");
      expect(f.candidates ?? []).not.toContain("apache");
      expect(f.fix.steps.join("\n")).not.toMatch(/LimitRequestFieldSize|CGIPassAuth|RequestHeader/);
    }
    const large = result.findings.find((f) => f.code === "HEADER_TOO_LARGE");
    expect(large?.evidence.notes).toContain("Refused by: Server: Apache-Coyote/1.1, a server authprobe has no rules for.");
  });

  it("without a probe: a refusal status only above a size, named by its page", async () => {
    const app = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{\"ok\":true}");
    });
    const { result, large } = await sizeFinding(await serve(hop(app, { server: "nginx/1.22.1", refuseAbove: { bytes: 7000, status: 400, body: NGINX_400 } })));
    expect(result.mode).toBe("black-box");
    expect(large?.server).toBe("nginx");
  });

  it("without a probe: an app that answers 400 to everything has no size limit to find", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(400, { "content-type": "application/json" });
      res.end("{\"error\":\"bad\"}");
    });
    const { large } = await sizeFinding(url);
    expect(large).toBeUndefined();
  });

  it("not measured behind a gate the token cannot pass, nor when the canary did not arrive intact", async () => {
    const gate = await serve((_req, res) => {
      res.writeHead(401, { "www-authenticate": "Basic realm=\"x\"" });
      res.end();
    });
    const blocked = await diagnose({ target: gate });
    expect(blocked.requests).toBe(2);
    const stripping = await serve(hop(probe, { server: "nginx/1.22.1", drops: (n) => n === "authorization", refuseAbove: { bytes: 4000, status: 400, body: NGINX_400 } }));
    const stripped = await diagnose({ target: stripping });
    expect(stripped.findings.map((f) => f.code)).not.toContain("HEADER_TOO_LARGE");
  });
});

describe("redirects, reachability and what answered", () => {
  it("a redirect to another origin: a finding on the server that sent it, and the run goes on there", async () => {
    const url = await serve((req, res) => {
      res.writeHead(301, { location: `${probe}${req.url}`, server: "nginx/1.22.1", "content-type": "text/html" });
      res.end(NGINX_301);
    });
    const result = await diagnose({ target: `${url}/api`, tokenSize: 1024 });
    const redirect = result.findings.find((f) => f.code === "REDIRECT_CROSS_ORIGIN");
    expect(redirect?.server).toBe("nginx");
    expect(redirect?.evidence.data).toMatchObject({ status: 301, from: new URL(url).origin, to: new URL(probe).origin });
    expect(redirect?.evidence.notes?.[0]).toMatch(/^Clients that then drop Authorization: curl -L without --location-trusted/);
    expect(result.mode).toBe("probe");
    expect(result.findings.map((f) => f.code)).toEqual(["REDIRECT_CROSS_ORIGIN"]);
  });

  it("a redirect the app wrote, passed on by nginx: the app by its X-Powered-By, else nginx only a candidate", async () => {
    const redirecting = (poweredBy: boolean) =>
      serve((req, res) => {
        res.writeHead(301, { location: `${probe}${req.url}`, server: "nginx/1.22.1", ...(poweredBy ? { "x-powered-by": "Express" } : {}) });
        res.end();
      });
    const byApp = (await diagnose({ target: `${await redirecting(true)}/api`, tokenSize: 1024 })).findings.find((f) => f.code === "REDIRECT_CROSS_ORIGIN");
    expect(byApp?.server).toBe("node");
    const unsigned = (await diagnose({ target: `${await redirecting(false)}/api`, tokenSize: 1024 })).findings.find((f) => f.code === "REDIRECT_CROSS_ORIGIN");
    expect(unsigned?.server).toBe("unknown");
    expect(unsigned?.candidates).toEqual(["nginx"]);
    expect(unsigned?.fix.steps.join("\n")).toMatch(/If it is nginx: /);
  });

  it("a redirect on the same origin is followed without a finding", async () => {
    const probeHandler = createProbeHandler();
    const url = await serve((req, res) => {
      if (req.url === "/api") {
        res.writeHead(301, { location: "/api/" });
        res.end();
        return;
      }
      probeHandler(req, res);
    });
    const result = await diagnose({ target: `${url}/api`, tokenSize: 1024 });
    expect(result.findings).toEqual([]);
    expect(result.mode).toBe("probe");
  });

  it("only a 3xx with a Location is a redirect", async () => {
    const probeHandler = createProbeHandler();
    const answering = (status: number, location: string | null) =>
      serve((req, res) => {
        if (req.url === "/next") return probeHandler(req, res);
        res.writeHead(status, location ? { location } : {});
        res.end();
      });
    expect((await diagnose({ target: await answering(300, "/next"), tokenSize: 1024 })).mode).toBe("probe");
    expect((await diagnose({ target: await answering(399, "/next"), tokenSize: 1024 })).mode).toBe("probe");
    for (const [status, location] of [[400, "/next"], [299, "/next"], [302, null]] as const) {
      const result = await diagnose({ target: await answering(status, location), tokenSize: 1024 });
      expect(result.mode, `${status} ${location}`).toBe("black-box");
    }
  });

  it("endless redirects stop after five, in black-box mode", async () => {
    let n = 0;
    const url = await serve((_req, res) => {
      n += 1;
      res.writeHead(302, { location: `/r${n}` });
      res.end();
    });
    const result = await diagnose({ target: url, tokenSize: 1024, maxRequests: 40 });
    expect(n).toBeGreaterThanOrEqual(6);
    expect(result.mode).toBe("black-box");
    expect(result.findings.map((f) => f.code)).toContain("PROBE_NOT_FOUND");
  });

  it("nothing listening: unreachable after one request, exit 3", async () => {
    const url = `http://127.0.0.1:${await freePort()}/`;
    const result = await diagnose({ target: url, timeoutMs: 2000 });
    expect(result.verdict).toBe("unreachable");
    expect(result.requests).toBe(1);
    expect(result.findings.map((f) => f.code)).toEqual(["UPSTREAM_UNREACHABLE"]);
    expect(result.findings[0]?.evidence).toEqual({ sent: `GET ${url}`, received: "no answer: ECONNREFUSED", data: { error: "ECONNREFUSED" } });
    expect(result.findings[0]?.server).toBe("unknown");
    expect(exitCodeFor(result)).toBe(3);
  });

  it("a proxy's 502 page for an app that is down: unreachable, blamed on nothing but reported by that proxy", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(502, { server: "nginx/1.22.1", "content-type": "text/html" });
      res.end(NGINX_502);
    });
    const result = await diagnose({ target: url, tokenSize: 1024 });
    expect(result.mode).toBe("none");
    expect(result.findings.map((f) => f.code)).toEqual(["UPSTREAM_UNREACHABLE"]);
    expect(result.findings[0]?.evidence.received).toBe("502 from nginx");
    expect(result.requests).toBe(1);
  });

  it("no probe at the URL: black-box mode says what it can and cannot tell", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{\"ok\":true}");
    });
    const result = await diagnose({ target: url, tokenSize: 1024 });
    const notFound = result.findings.find((f) => f.code === "PROBE_NOT_FOUND");
    expect(notFound?.evidence.received).toBe("200 application/json, not a probe report");
    expect(notFound?.evidence.notes?.[1]).toMatch(/^Cannot tell for certain/);
    expect(notFound?.severity).toBe("notice");
  });
});

describe("without a probe: the fix follows what the answer says about how the app runs", () => {
  /** An app that never sees the token (a hop hid it): 401 "missing", whatever is sent. */
  const hidden = (headers: Record<string, string>) =>
    serve((_req, res) => {
      res.writeHead(401, { "content-type": "application/json", "www-authenticate": "Bearer", ...headers });
      res.end("{\"msg\":\"Missing Authorization Header\"}");
    });
  const stripped = async (headers: Record<string, string>) => {
    const result = await diagnose({ target: await hidden(headers) });
    expect(result.mode).toBe("black-box");
    const f = result.findings.find((x) => x.code === "AUTH_STRIPPED");
    expect(f?.server).toBe("unknown");
    return { f, steps: f?.fix.steps.join("\n") ?? "" };
  };

  it("Apache's Server tokens name mod_wsgi (as the lab's Apache sends them): WSGIPassAuthorization", async () => {
    const { f, steps } = await stripped({ server: "Apache/2.4.71 (Debian) mod_wsgi/4.9.4 Python/3.11" });
    expect(f?.candidates).toEqual(["apache"]);
    expect(steps).toMatch(/If it is Apache: Add `WSGIPassAuthorization On`/);
    expect(steps).not.toMatch(/RequestHeader|CGIPassAuth/);
  });

  it("PHP under Apache (X-Powered-By): CGIPassAuth, not a proxy rule", async () => {
    const { steps } = await stripped({ server: "Apache/2.4.71 (Debian)", "x-powered-by": "PHP/8.2.26" });
    expect(steps).toMatch(/If it is Apache: PHP under Apache .*`CGIPassAuth On`/);
    expect(steps).not.toMatch(/RequestHeader|WSGIPassAuthorization/);
  });

  it("PHP behind nginx: the fastcgi_param that blanks it, not proxy_set_header", async () => {
    const { steps } = await stripped({ server: "nginx/1.22.1", "x-powered-by": "PHP/8.2.26" });
    expect(steps).toMatch(/If it is nginx: Remove `fastcgi_param HTTP_AUTHORIZATION/);
    expect(steps).not.toMatch(/proxy_set_header/);
  });

  it("Apache and nothing about the app: each way Apache runs an app, with its own fix", async () => {
    const { steps } = await stripped({ server: "Apache/2.4.71 (Debian)" });
    expect(steps).toMatch(/mod_wsgi .*WSGIPassAuthorization On/);
    expect(steps).toMatch(/PHP .* or CGI: add `CGIPassAuth On`/);
    expect(steps).toMatch(/mod_proxy to an app server: remove `RequestHeader unset Authorization`/);
  });
});

describe("CORS preflights (--origin)", () => {
  const ORIGIN = "https://app.example";
  function preflight(status: number, headers: Record<string, string>) {
    const probeHandler = createProbeHandler();
    return (req: IncomingMessage, res: ServerResponse) => {
      if (req.method !== "OPTIONS") return probeHandler(req, res);
      res.writeHead(status, headers);
      res.end();
    };
  }
  const run = async (status: number, headers: Record<string, string>, credentials = false) =>
    diagnose({ target: await serve(preflight(status, headers)), origin: ORIGIN, credentials, tokenSize: 1024 });
  const cors = (r: Awaited<ReturnType<typeof diagnose>>) => r.findings.find((f) => f.code.startsWith("CORS_"));

  it("a preflight that names the origin and Authorization: no finding", async () => {
    const r = await run(204, { "Access-Control-Allow-Origin": ORIGIN, "Access-Control-Allow-Headers": "Content-Type, Authorization" });
    expect(r.findings).toEqual([]);
  });

  it("refused (401): a token the preflight can never carry", async () => {
    const f = cors(await run(401, { "WWW-Authenticate": "Bearer", Server: "nginx/1.22.1" }));
    expect(f?.code).toBe("CORS_PREFLIGHT_FAILED");
    // No nginx page: nginx wrote it, or passed on the app's answer and put its Server header on it.
    expect(f?.server).toBe("unknown");
    expect(f?.candidates).toEqual(["nginx"]);
    expect(f?.evidence.received).toBe("401, Access-Control-Allow-Origin: (none)");
    expect(f?.evidence.notes?.[0]).toMatch(/^The preflight got 401: a preflight never carries a token/);
    expect(f?.evidence.data).toMatchObject({ cause: "refused" });
    expect(f?.fix.steps.join("\n")).toMatch(/If it is nginx: .*if \(\$request_method = OPTIONS\)/);
  });

  it("the only proxy in front of the probe answers the preflight itself: that proxy, page or not", async () => {
    const front = hop(probe, { server: "nginx/1.22.1" });
    const url = await serve((req, res) => {
      if (req.method !== "OPTIONS") return front(req, res);
      res.writeHead(401, { server: "nginx/1.22.1", "content-type": "application/json" });
      res.end("{\"error\":\"missing_token\"}");
    });
    const r = await diagnose({ target: url, origin: ORIGIN, tokenSize: 1024 });
    const f = cors(r);
    expect(r.mode).toBe("probe");
    expect(f?.server).toBe("nginx");
    expect((f?.evidence.data as { answeredBy: { detail: string }[] }).answeredBy[0]?.detail).toBe(
      "the probe behind answers every request itself, and the only proxy in the path is nginx (Server header)",
    );
  });

  it("a probe inside an Express app whose own CORS middleware answers first: the app is a candidate too", async () => {
    // X-Powered-By off (as helmet does): nothing in the answer says Express wrote it.
    const app = express()
      .disable("x-powered-by")
      .use((req, res, next) => {
        if (req.method !== "OPTIONS") return next();
        res.writeHead(204, { "access-control-allow-origin": String(req.headers.origin), "access-control-allow-headers": "Content-Type" });
        res.end();
      })
      .use("/__authprobe", probeRouter());
    const inside = await serve(app);
    const report = (await (await fetch(`${inside}/__authprobe/x`)).json()) as { embedded?: boolean };
    expect(report.embedded).toBe(true);
    const front = await serve(hop(inside, { server: "nginx/1.22.1" }));
    const f = cors(await diagnose({ target: `${front}/__authprobe/x`, origin: ORIGIN, tokenSize: 1024 }));
    expect(f?.code).toBe("CORS_AUTH_NOT_ALLOWED");
    expect(f?.server).toBe("unknown");
    expect(f?.candidates).toEqual(["nginx", "node"]);
  });

  it("redirected: browsers do not follow it", async () => {
    const f = cors(await run(301, { Location: "https://elsewhere.example/", "Access-Control-Allow-Origin": ORIGIN }));
    expect(f?.code).toBe("CORS_PREFLIGHT_FAILED");
    expect(f?.evidence.notes?.[0]).toMatch(/never follow a redirect on a preflight/);
    expect(f?.fix.steps[0]).toMatch(/final URL/);
  });

  it("another origin allowed: failed", async () => {
    const f = cors(await run(204, { "Access-Control-Allow-Origin": "https://other.example", "Access-Control-Allow-Headers": "authorization" }));
    expect(f?.code).toBe("CORS_PREFLIGHT_FAILED");
    expect(f?.evidence.received).toBe("204, Access-Control-Allow-Origin: https://other.example");
  });

  it("with credentials: `*` is refused, and a missing Allow-Credentials too", async () => {
    const wildcard = cors(await run(204, { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Credentials": "true", "Access-Control-Allow-Headers": "authorization" }, true));
    expect(wildcard?.evidence.notes?.[0]).toMatch(/`\*` is refused/);
    expect(wildcard?.evidence.sent).toMatch(/\(credentials: include\)$/);
    const noCreds = cors(await run(204, { "Access-Control-Allow-Origin": ORIGIN, "Access-Control-Allow-Headers": "authorization" }, true));
    expect(noCreds?.evidence.notes?.[0]).toMatch(/must answer Access-Control-Allow-Credentials: true/);
    const fine = await run(204, { "Access-Control-Allow-Origin": ORIGIN, "Access-Control-Allow-Credentials": "true", "Access-Control-Allow-Headers": "authorization" }, true);
    expect(fine.findings).toEqual([]);
  });

  it("`*` without credentials is fine for the origin; Allow-Headers missing Authorization is an error", async () => {
    const f = cors(await run(204, { "Access-Control-Allow-Origin": "*" }));
    expect(f?.code).toBe("CORS_AUTH_NOT_ALLOWED");
    expect(f?.severity).toBe("error");
    expect(f?.evidence.received).toBe("204, Access-Control-Allow-Headers: (none)");
  });
});

describe("more of what each check sees", () => {
  it("the checks run in this order (a budget note names the one that stopped)", () => {
    expect(CHECKS.map((c) => c.name)).toEqual([
      "redirects",
      "unreachable",
      "proxy-challenge",
      "probe-not-found",
      "authorization",
      "probe-handler",
      "underscore",
      "black-box-token",
      "header-size",
      "hop-by-hop",
      "cors",
    ]);
  });

  it("an underscore header lost behind a hop echo that still had it: that hop, by its echo", async () => {
    const inner = await serve(hop(probe, { drops: (n) => n.includes("_") }));
    const front = await serve(hop(inner, { echo: "/__hop/edge" }));
    const result = await diagnose({ target: front, tokenSize: 1024, hops: [{ name: "nginx", url: `${front}/__hop/edge` }] });
    const f = result.findings.find((x) => x.code === "UNDERSCORE_HEADER_DROPPED");
    expect(f?.server).toBe("nginx");
    expect(f?.evidence.data).toEqual({ header: "X_Authprobe_Token", basis: [{ kind: "hop", detail: "the last hop echo that still had X_Authprobe_Token is nginx" }] });
  });

  it("a preflight that gets no answer at all: failed, with the error", async () => {
    const probeHandler = createProbeHandler();
    const url = await serve((req, res) => {
      if (req.method === "OPTIONS") {
        req.socket.destroy();
        return;
      }
      probeHandler(req, res);
    });
    const result = await diagnose({ target: url, origin: "https://app.example", tokenSize: 1024 });
    const f = result.findings.find((x) => x.code === "CORS_PREFLIGHT_FAILED");
    expect(f?.evidence.received).toMatch(/^no answer \((ECONNRESET|socket hang up)\)$/);
    expect(f?.server).toBe("unknown");
  });

  it("the preflight asks for GET with Authorization, from the page's origin, at the URL the page calls", async () => {
    const seen: Record<string, string | undefined>[] = [];
    const probeHandler = createProbeHandler();
    const url = await serve((req, res) => {
      if (req.method !== "OPTIONS") return probeHandler(req, res);
      const h = req.headers;
      seen.push({ url: req.url, origin: h.origin, method: h["access-control-request-method"], headers: h["access-control-request-headers"], auth: h.authorization });
      res.writeHead(204, { "access-control-allow-origin": "https://app.example", "access-control-allow-headers": "authorization" });
      res.end();
    });
    await diagnose({ target: `${url}/api/x`, origin: "https://app.example", tokenSize: 1024 });
    expect(seen).toEqual([{ url: "/api/x", origin: "https://app.example", method: "GET", headers: "authorization", auth: undefined }]);
  });

  it("a hop echo URL that answers no report: said so in the trail, and nothing blamed on it", async () => {
    const url = await serve(hop(probe, { server: "nginx/1.22.1", drops: (n) => n === "authorization" }));
    const notEcho = await serve((_req, res) => res.end("hello"));
    const result = await diagnose({ target: url, tokenSize: 1024, hops: [{ name: "edge", url: notEcho }] });
    const stripped = result.findings.find((f) => f.code === "AUTH_STRIPPED");
    expect(stripped?.evidence.notes).toContain(
      "Already lost at the first hop echo ('edge'): something in front of it, or its own config before the echo, drops it (edge=no hop-echo answer, app=not intact).",
    );
    expect(stripped?.server).toBe("unknown");
    expect(stripped?.candidates).toBeUndefined();
  });

  it("other schemes that do arrive are listed as they arrived", async () => {
    const bearerOnly = await serve(
      hop(probe, {
        server: "nginx/1.22.1",
        rewrite: (h) => {
          if (/^Bearer /.test(String(h.authorization))) delete h.authorization;
        },
      }),
    );
    const result = await diagnose({ target: bearerOnly, tokenSize: 1024 });
    expect(result.findings.find((f) => f.code === "AUTH_STRIPPED")?.evidence.notes).toContain("Other schemes: Basic: intact, JWT: intact.");
  });

  it("golden evidence: what each finding says, for the scenarios above", async () => {
    const scenarios: Record<string, string> = {
      "nginx strips Authorization": await serve(hop(probe, { server: "nginx/1.22.1", drops: (n) => n === "authorization" })),
      "a proxy drops every header": await serve(hop(probe, { server: "Apache/2.4.62", drops: () => true })),
      "nginx drops underscores": await serve(hop(probe, { server: "nginx/1.22.1", drops: (n) => n.includes("_") })),
      "Caddy honours Connection": await serve(hop(probe, { server: "Caddy", honoursConnection: true })),
      "nginx refuses above 4000 bytes": await serve(hop(probe, { server: "nginx/1.22.1", refuseAbove: { bytes: 4000, status: 400, body: NGINX_400 } })),
      "nginx 502 page": await serve((_req, res) => {
        res.writeHead(502, { server: "nginx/1.22.1", "content-type": "text/html" });
        res.end(NGINX_502);
      }),
      "no probe, JSON 200": await serve((_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end("{}");
      }),
    };
    const passOn = (rewrite: Hop["rewrite"], server: string) => serve(hop(probe, { server, rewrite }));
    const withOptions: Record<string, { url: string; options: Partial<Parameters<typeof diagnose>[0]> }> = {
      "nginx redirects to another origin": {
        url: await serve((req, res) => {
          res.writeHead(301, { location: `${probe}${req.url}`, server: "nginx/1.22.1", "content-type": "text/html" });
          res.end(NGINX_301);
        }),
        options: {},
      },
      "a preflight refused by nginx": {
        url: await serve((req, res) => {
          if (req.method === "OPTIONS") {
            res.writeHead(401, { server: "nginx/1.22.1", "www-authenticate": "Bearer" });
            res.end();
            return;
          }
          createProbeHandler()(req, res);
        }),
        options: { origin: "https://app.example", credentials: true },
      },
      "HAProxy adds a second Authorization": {
        url: await passOn((h) => (h.authorization = [String(h.authorization), "Bearer service"]), "HAProxy"),
        options: {},
      },
      "Caddy replaces the token": { url: await passOn((h) => (h.authorization = "Basic c2VydmljZQ=="), "Caddy"), options: {} },
      "a proxy re-cases the scheme": { url: await passOn((h) => (h.authorization = String(h.authorization).replace("Bearer", "BEARER")), "Caddy"), options: {} },
      "an app that wants JWT": {
        url: await serve((req, res) => {
          res.writeHead(401, { "www-authenticate": "JWT realm=\"api\"", "x-powered-by": "Express" });
          res.end(req.headers.authorization ? "{\"message\":\"Unsupported authorization type\"}" : "{\"message\":\"Missing Authorization Header\"}");
        }),
        options: { token: "Bearer abc.def.ghi" },
      },
      "Apache's Basic gate": {
        url: await serve((_req, res) => {
          res.writeHead(401, { "www-authenticate": "Basic realm=\"edge\"", "content-type": "text/html" });
          res.end("<address>Apache/2.4.62 (Debian) Server at x Port 80</address>");
        }),
        options: {},
      },
    };
    for (const [name, url] of Object.entries(scenarios)) withOptions[name] = { url, options: {} };
    const golden: Record<string, unknown> = {};
    for (const [name, { url, options }] of Object.entries(withOptions)) {
      const result = await diagnose({ target: url, ...options });
      golden[name] = result.findings.map(({ code, severity, server, candidates, evidence }) => ({
        code,
        severity,
        server,
        candidates,
        evidence,
      }));
    }
    // Ports and fingerprints change run to run; everything else is the doctor's words.
    const text = JSON.stringify(golden, null, 2).replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:PORT").replace(/\b[0-9a-f]{12,64}\b/g, "HEX");
    expect(JSON.parse(text)).toMatchSnapshot();
  });
});
