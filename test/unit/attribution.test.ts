import { describe, expect, it } from "vitest";
import { hopComponent, isAppServer, namedProxies, pathEvidence, proxyInPath, signatureOf, unlessItPasses, viaEntries, whoAnswered } from "../../src/doctor/attribution.js";
import { blameForMissing, blameFromHops } from "../../src/doctor/checks/authorization.js";
import { fixSteps } from "../../src/doctor/fixes.js";
import type { ServerName } from "../../src/components.js";
import type { ProbeReport } from "../../src/probe/types.js";

const answer = (status: number, headers: Record<string, string>, body = "") => ({ status, headers: new Headers(headers), body });

const NGINX_400 = "<html>\r\n<head><title>400 Request Header Or Cookie Too Large</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<center>Request Header Or Cookie Too Large</center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n";
const GUNICORN_400 = "<html>\n  <head>\n    <title>Bad Request</title>\n  </head>\n  <body>\n    <h1><p>Bad Request</p></h1>\n    Error parsing headers: &#x27;limit request headers fields size&#x27;\n  </body>\n</html>\n";
const APACHE_400 = "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>400 Bad Request</title>\n</head><body>\n<h1>Bad Request</h1>\n<p>Your browser sent a request that this server could not understand.<br />\nSize of a request header field exceeds server limit.<br />\n</p>\n</body></html>\n";
const HAPROXY_400 = "<html><body><h1>400 Bad request</h1>\nYour browser sent an invalid request.\n</body></html>\n";

describe("who answered a refusal: the body's signature first, Server last", () => {
  it.each([
    ["gunicorn's page behind nginx's Server header", answer(400, { server: "nginx/1.22.1" }, GUNICORN_400), "gunicorn", "signature"],
    ["nginx's page", answer(400, { server: "nginx" }, NGINX_400), "nginx", "signature"],
    ["Apache's page with no Server header", answer(400, {}, APACHE_400), "apache", "signature"],
    ["HAProxy's page", answer(400, {}, HAPROXY_400), "haproxy", "signature"],
    [
      "HAProxy's 401 for http-request auth (as the lab's HAProxy writes it)",
      answer(401, { "www-authenticate": "Basic realm=\"edge\"" }, "<html><body><h1>401 Unauthorized</h1>\nYou need a valid user and password to access this content.\n</body></html>\n"),
      "haproxy",
      "signature",
    ],
    ["Go's bare 431 (Caddy)", answer(431, { "content-type": "text/plain; charset=utf-8" }, "431 Request Header Fields Too Large"), "caddy", "signature"],
    ["a bare 400 with no headers at all (Varnish)", answer(400, {}, ""), "varnish", "signature"],
    ["Node's bare 431", answer(431, { connection: "close" }, ""), "node", "signature"],
    ["a Via product: only a candidate", answer(503, { via: "1.1 varnish (Varnish/7.1)" }, "oops"), "unknown", "via"],
    ["only a proxy's Server header: only a candidate", answer(403, { server: "Apache/2.4.71 (Debian)" }, "{}"), "unknown", "server"],
    ["an app server's Server header: it wrote the answer", answer(400, { server: "gunicorn" }, "{}"), "gunicorn", "server"],
    ["Tomcat's Server header is not Apache httpd", answer(400, { server: "Apache-Coyote/1.1" }, "{}"), "unknown", "server"],
    ["nothing to go on", answer(400, {}, "{\"error\":\"bad\"}"), "unknown", "server"],
    ["nginx's page with its version", answer(502, {}, "<hr><center>nginx/1.27.0</center>"), "nginx", "signature"],
    ["Apache's 401 page (HTML 4.01 doctype)", answer(401, {}, "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\" \"http://www.w3.org/TR/html4/strict.dtd\">\n<html><head>\n<title>401 Unauthorized</title>"), "apache", "signature"],
    ["Apache's address line", answer(404, {}, "<hr>\n<address>Apache/2.4.71 (Debian) Server at x Port 80</address>"), "apache", "signature"],
    ["Apache's 401 wording alone", answer(401, {}, "This server could not verify that you\nare authorized to access the document"), "apache", "signature"],
    ["Varnish's Guru Meditation", answer(503, {}, "<h1>Error 503 Backend fetch failed</h1><h3>Guru Meditation:</h3>"), "varnish", "signature"],
    ["Varnish's synthetic page", answer(503, {}, "<html><head><title>503 Backend fetch failed</title></head><body><hr><p>Varnish cache server</p>"), "varnish", "signature"],
    ["a 400 with headers is not Varnish's bare one", answer(400, { "content-length": "0" }, ""), "unknown", "server"],
    ["PHP-FPM's 'File not found.'", answer(404, {}, "File not found.\n"), "php-fpm", "signature"],
    ["PHP-FPM's 'No input file specified.'", answer(404, {}, "No input file specified."), "php-fpm", "signature"],
    ["the authprobe gateway's JSON error", answer(502, { via: "1.1 gateway (authprobe)" }, "{\"error\":\"bad_gateway\",\"proxy\":\"gateway\"}"), "node", "signature"],
    ["a JSON body with a proxy field but no authprobe Via", answer(502, {}, "{\"proxy\": \"x\"}"), "unknown", "server"],
    ["Express's default 404", answer(404, {}, "<pre>Cannot GET /x</pre>"), "node", "signature"],
    ["Express's error page", answer(500, {}, "<pre>TypeError: x is not a function"), "node", "signature"],
    ["a 431 with a body is not Node's bare one", answer(431, {}, "too big"), "unknown", "server"],
    ["a 431 with a Server header is not Node's bare one", answer(431, { server: "gunicorn" }, ""), "gunicorn", "server"],
    ["Go's 431 needs its exact body", answer(431, {}, "431 Request Header Fields Too Large but more"), "unknown", "server"],
    ["X-Powered-By: Express", answer(401, { "x-powered-by": "Express" }, "{}"), "node", "server"],
    ["X-Powered-By: Express behind nginx: the app wrote it", answer(401, { "x-powered-by": "Express", server: "nginx" }, "{}"), "node", "server"],
    ["two Via products: both candidates", answer(503, { via: "1.1 a (Varnish/7.1), 1.1 b (Apache/2.4)" }, "x"), "unknown", "via"],
  ])("%s", (_name, res, server, kind) => {
    const who = whoAnswered(res);
    expect(who.server).toBe(server);
    expect(who.basis[0]?.kind).toBe(kind);
  });
});

function report(fields: Partial<ProbeReport> & { xff?: string[]; via?: string[] }): ProbeReport {
  const { xff = [], via = [], ...rest } = fields;
  return {
    probe: "authprobe",
    version: 1,
    runtime: "node",
    request: { method: "GET", path: "/", httpVersion: "1.1", remoteAddress: null },
    headers: [],
    authorization: { present: false, count: 0, scheme: null, length: null, sha256: null, values: [], jwt: null, problems: [] },
    alternatives: [],
    forwarding: {
      via,
      forwarded: [],
      xForwardedFor: xff,
      xForwardedProto: [],
      xForwardedHost: [],
      xForwardedPort: [],
      xRealIp: [],
    },
    ...rest,
  };
}

describe("who hid Authorization from the app (no hop echoes)", () => {
  const ok = (headers: Record<string, string>) => answer(200, headers, "{}");
  it.each([
    ["mod_wsgi: Apache, whatever the Server header", report({ runtime: "wsgi", runtimeServer: "mod_wsgi" }), ok({ server: "nginx" }), "apache", []],
    ["PHP-FPM spoken to by nginx (SERVER_SOFTWARE)", report({ runtime: "php", runtimeServer: "php-fpm", serverSoftware: "nginx/1.22.1" }), ok({}), "nginx", []],
    ["PHP-FPM spoken to by Apache", report({ runtime: "php", runtimeServer: "php-fpm", serverSoftware: "Apache/2.4.71 (Debian)" }), ok({ server: "nginx" }), "apache", []],
    ["uWSGI behind nginx alone", report({ runtime: "wsgi", runtimeServer: "uwsgi" }), ok({ server: "nginx" }), "nginx", []],
    ["uWSGI with nothing to name its front", report({ runtime: "wsgi", runtimeServer: "uwsgi" }), ok({}), "unknown", ["apache", "nginx"]],
    ["gunicorn behind one nginx", report({ runtime: "wsgi", runtimeServer: "gunicorn", xff: ["10.0.0.1"] }), ok({ server: "nginx" }), "nginx", []],
    ["Node behind nginx and Varnish", report({ via: ["1.1 varnish (Varnish/7.1)"], xff: ["10.0.0.1, 10.0.0.2"] }), ok({ server: "nginx" }), "unknown", ["nginx", "varnish"]],
    ["Node behind nginx and an unnamed proxy", report({ xff: ["10.0.0.1, 10.0.0.2"] }), ok({ server: "nginx" }), "unknown", ["nginx"]],
    ["a pseudonym in Via is no product", report({ via: ["1.1 edge-7"] }), ok({}), "unknown", []],
    ["an old probe without runtimeServer behind Apache", report({ runtime: "wsgi" }), ok({ server: "Apache" }), "apache", []],
    [
      "gunicorn behind Apache mod_proxy, which passes gunicorn's Server header but adds X-Forwarded-Server",
      report({ runtime: "wsgi", runtimeServer: "gunicorn", xff: ["10.0.0.1"], headers: [["X-Forwarded-Server", "www"], ["X-Forwarded-Host", "api"]] }),
      ok({ server: "gunicorn/20.1.0" }),
      "apache",
      [],
    ],
    [
      "X-Forwarded-Server with X-Real-Ip (Traefik sends both) is not taken for Apache",
      report({ runtimeServer: "node", xff: ["10.0.0.1"], headers: [["X-Forwarded-Server", "traefik-1"], ["X-Real-Ip", "10.0.0.1"]] }),
      ok({}),
      "unknown",
      [],
    ],
    ["Varnish without Via still sends X-Varnish", report({ xff: ["10.0.0.1"], headers: [["X-Varnish", "32770"]] }), ok({}), "varnish", []],
  ])("%s", (_name, r, res, server, candidates) => {
    const blame = blameForMissing(r, pathEvidence(res, r), false);
    expect(blame.server).toBe(server);
    expect(blame.candidates).toEqual(candidates);
  });

  it("REDIRECT_HTTP_AUTHORIZATION with the token: Apache's internal redirect", () => {
    const r = report({ runtime: "php", runtimeServer: "php-fpm" });
    expect(blameForMissing(r, pathEvidence(answer(200, {}, ""), r), true).server).toBe("apache");
  });

  it("one named proxy and no sign of another: that proxy, and says why", () => {
    const blame = proxyInPath(pathEvidence(answer(200, { server: "Caddy" }), report({ xff: ["1.2.3.4"] })));
    expect(blame.server).toBe("caddy");
    expect(blame.basis).toEqual([{ kind: "server", detail: "the only proxy in the path is Caddy (Server header)" }]);
  });

  it("named by Via: says Via", () => {
    const blame = proxyInPath(pathEvidence(answer(200, { via: "1.1 v (Varnish/7.1)" }), report({})));
    expect(blame).toMatchObject({ server: "varnish", basis: [{ kind: "via", detail: "the only proxy in the path is Varnish (Via)" }] });
  });

  it("several proxies: says how many and that --hop tells which", () => {
    const blame = proxyInPath(pathEvidence(answer(200, { server: "nginx" }), report({ xff: ["a, b, c"] })));
    expect(blame.server).toBe("unknown");
    expect(blame.basis[0]?.detail).toBe("at least 3 proxies in front of the app (nginx and unnamed ones): run the doctor with --hop to tell which");
  });

  it("no proxy names itself: says so", () => {
    expect(proxyInPath(pathEvidence(answer(200, {}), report({}))).basis[0]?.detail).toBe("no proxy names itself in the answer");
    expect(proxyInPath(pathEvidence(answer(200, {}), report({ xff: ["a"] }))).basis[0]?.detail).toBe("1 proxy hop(s) in front of the app, none names its product");
  });

  it("counts proxies from X-Forwarded-For entries and distinct Via entries", () => {
    expect(pathEvidence(null, report({ xff: ["1.1.1.1, 2.2.2.2", " 3.3.3.3 "] })).minHops).toBe(3);
    expect(pathEvidence(null, report({ via: ["1.1 a, 1.1 b", "1.0 a"] })).minHops).toBe(2);
    expect(pathEvidence(answer(200, { server: "gunicorn" }), null).minHops).toBe(0);
    expect(pathEvidence(answer(200, { server: "nginx" }), null).minHops).toBe(1);
    expect(pathEvidence(answer(200, { via: "1.1 gw (authprobe)" }), null).via).toEqual(["node"]);
  });

  it("Server headers of each product", () => {
    for (const [value, server] of [
      ["openresty/1.21", "nginx"],
      ["Apache/2.4.71 (Debian)", "apache"],
      ["HAProxy", "haproxy"],
      ["Caddy", "caddy"],
      ["varnish", "varnish"],
      ["gunicorn/20.1.0", "gunicorn"],
      ["uWSGI", "uwsgi"],
      ["cloudflare", null],
    ] as const) {
      expect(pathEvidence(answer(200, { server: value }), null).serverHeader, value).toBe(server);
    }
  });
});

describe("why: each attribution's basis, as the finding shows it", () => {
  const ok = (headers: Record<string, string>) => answer(200, headers, "{}");
  const runtime = (detail: string) => [{ kind: "runtime", detail }];
  it.each([
    ["mod_wsgi", report({ runtimeServer: "mod_wsgi" }), ok({}), false, { server: "apache", candidates: [], basis: runtime("the probe ran under Apache mod_wsgi") }],
    [
      "REDIRECT_HTTP_AUTHORIZATION",
      report({ runtimeServer: "php-fpm" }),
      ok({ server: "nginx" }),
      true,
      { server: "apache", candidates: [], basis: runtime("the token arrived as REDIRECT_HTTP_AUTHORIZATION, which only Apache's internal redirects make") },
    ],
    [
      "PHP-FPM and SERVER_SOFTWARE",
      report({ runtimeServer: "php-fpm", serverSoftware: "nginx/1.22.1" }),
      ok({}),
      false,
      { server: "nginx", candidates: [], basis: runtime("the php-fpm app was spoken to by nginx/1.22.1 (SERVER_SOFTWARE)") },
    ],
    [
      "CGI with Apache alone in front",
      report({ runtimeServer: "cgi" }),
      ok({ server: "Apache/2.4.62" }),
      false,
      { server: "apache", candidates: [], basis: [{ kind: "server", detail: "Apache is the only server in front of the cgi app" }] },
    ],
    [
      "uWSGI behind nginx and another proxy: both web servers that speak uwsgi, nginx first",
      report({ runtimeServer: "uwsgi", xff: ["10.0.0.1, 10.0.0.2"] }),
      ok({ server: "nginx" }),
      false,
      { server: "unknown", candidates: ["nginx", "apache"], basis: runtime("a uwsgi app: the web server that speaks to it decides which variables it gets") },
    ],
    [
      "PHP-FPM behind Apache and another proxy: Apache first",
      report({ runtimeServer: "php-fpm", xff: ["10.0.0.1, 10.0.0.2"] }),
      ok({ server: "Apache" }),
      false,
      { server: "unknown", candidates: ["apache", "nginx"], basis: runtime("a php-fpm app: the web server that speaks to it decides which variables it gets") },
    ],
    [
      "PHP-FPM spoken to by a server that is neither (SERVER_SOFTWARE lighttpd), Caddy in front",
      report({ runtimeServer: "php-fpm", serverSoftware: "lighttpd/1.4.69" }),
      ok({ server: "Caddy" }),
      false,
      { server: "unknown", candidates: ["apache", "nginx"], basis: runtime("a php-fpm app: the web server that speaks to it decides which variables it gets") },
    ],
  ] as const)("%s", (_name, r, res, redirectPrefix, expected) => {
    expect(blameForMissing(r, pathEvidence(res, r), redirectPrefix)).toEqual(expected);
  });

  it("hop trail notes: unnamed culprit, lost before the first echo, lost between two", () => {
    expect(blameFromHops([])).toBeNull();
    const unnamed = blameFromHops([
      { name: "lb", arrival: "intact", server: "unknown" },
      { name: "gw", arrival: "missing", server: "node" },
    ]);
    expect(unnamed).toEqual({
      attribution: {
        server: "unknown",
        candidates: [],
        basis: [{ kind: "hop", detail: "Lost between hop 'lb' (unknown) and hop 'gw': lb=intact, gw=missing, app=not intact." }],
      },
      note: "Lost between hop 'lb' (unknown) and hop 'gw': lb=intact, gw=missing, app=not intact.",
    });
    const first = blameFromHops([
      { name: "edge", arrival: "replaced", server: "haproxy" },
      { name: "gw", arrival: "intact", server: "node" },
    ]);
    expect(first?.note).toBe("Already lost at the first hop echo ('edge'): something in front of it, or its own config before the echo, drops it (edge=replaced, gw=intact, app=not intact).");
    expect(first?.attribution.basis).toEqual([{ kind: "hop", detail: "lost before the first hop echo" }]);
    const between = blameFromHops([
      { name: "edge", arrival: "intact", server: "haproxy" },
      { name: "gw", arrival: "no hop-echo answer", server: "node" },
    ]);
    expect(between?.attribution).toEqual({
      server: "haproxy",
      candidates: [],
      basis: [{ kind: "hop", detail: "Lost between hop 'edge' (HAProxy) and hop 'gw': edge=intact, gw=no hop-echo answer, app=not intact." }],
    });
  });
});

describe("hop echoes", () => {
  it.each([
    ["edge", report({ hop: "edge", hopServer: "haproxy" }), "haproxy"],
    ["gateway", report({ hop: "gateway", hopServer: "node" }), "node"],
    ["front-nginx", null, "nginx"],
    ["lb", null, "unknown"],
    ["edge-httpd", null, "apache"],
    ["x", report({ hop: "Varnish-1" }), "varnish"],
  ])("hop %s is %s", (name, r, server) => {
    expect(hopComponent(name, r)).toBe(server);
  });

  it("blames the last hop that still had the token", () => {
    const blamed = blameFromHops([
      { name: "nginx", arrival: "intact", server: "nginx" },
      { name: "gateway", arrival: "intact", server: "node" },
    ]);
    expect(blamed?.attribution.server).toBe("node");
    expect(blamed?.note).toMatch(/Lost between hop 'gateway' \(Node\) and the app/);
  });

  it("lost before the first hop echo: unknown, the first hop a candidate", () => {
    const blamed = blameFromHops([{ name: "edge", arrival: "missing", server: "haproxy" }]);
    expect(blamed?.attribution).toMatchObject({ server: "unknown", candidates: ["haproxy"] });
  });
});

describe("fixes follow the evidence", () => {
  it("nginx in front of uWSGI: the uwsgi_param line, never a mod_wsgi directive", () => {
    const steps = fixSteps("AUTH_STRIPPED", { server: "nginx", runtimeServer: "uwsgi" }).join("\n");
    expect(steps).toContain("uwsgi_param HTTP_AUTHORIZATION");
    expect(steps).not.toContain("WSGIPassAuthorization");
  });

  it("Apache in front of PHP-FPM: both CGIPassAuth placements, no WSGIPassAuthorization", () => {
    const steps = fixSteps("AUTH_STRIPPED", { server: "apache", runtimeServer: "php-fpm" }).join("\n");
    expect(steps).toContain("<Proxy \"fcgi://HOST:PORT\">");
    expect(steps).toContain("<Directory>");
    expect(steps).not.toContain("WSGIPassAuthorization");
  });

  it("unknown with candidates: a step for each candidate, marked, and how to find out", () => {
    const steps = fixSteps("AUTH_STRIPPED", { server: "unknown", candidates: ["nginx", "varnish"] });
    expect(steps[0]).toMatch(/--hop/);
    expect(steps.some((s) => s.startsWith("If it is nginx:"))).toBe(true);
    expect(steps.some((s) => s.startsWith("If it is Varnish:"))).toBe(true);
    expect(steps.join("\n")).not.toMatch(/Apache|HAProxy|Caddy/);
  });

  it("a size limit refused by gunicorn: gunicorn's setting", () => {
    expect(fixSteps("HEADER_TOO_LARGE", { server: "gunicorn" }).join("\n")).toContain("limit_request_field_size");
  });
});

describe("signatures: each page's name, and the near misses", () => {
  it.each([
    ["gunicorn without the parsing message", answer(403, {}, "<html><body><h1><p>Forbidden</p></h1></body></html>"), "gunicorn", "gunicorn's error page"],
    ["gunicorn's parsing message alone", answer(400, {}, "Error parsing headers: 'x'"), "gunicorn", "gunicorn's error page"],
    ["nginx without a version", answer(400, {}, "<hr><center>nginx</center>"), "nginx", "nginx's error page"],
    ["OpenResty", answer(502, {}, "<hr><center>openresty/1.21.4.1</center>"), "nginx", "nginx's error page"],
    ["Apache's address line without a version", answer(404, {}, "<address>Apache Server at x Port 80</address>"), "apache", "Apache's error page"],
    ["Apache's address line with one", answer(404, {}, "<address>Apache/2.4.62 (Debian) Server at x Port 80</address>"), "apache", "Apache's error page"],
    ["HAProxy's 503", answer(503, {}, "<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>"), "haproxy", "HAProxy's error page"],
    ["Varnish's synthetic page across lines", answer(503, {}, "<title>503 Backend fetch failed</title>\n  <p>x</p>\n  <p>Varnish cache server</p>"), "varnish", "Varnish's error page"],
    ["a bare 400", answer(400, {}, ""), "varnish", "a bare 400 with no headers (Varnish's request-size refusal)"],
    ["PHP-FPM", answer(404, {}, "File not found.\n"), "php-fpm", "PHP-FPM's 'Primary script unknown' page"],
    ["the gateway's JSON, spaced", answer(502, { via: "1.1 gateway (authprobe)" }, "{\"proxy\" : \"gateway\"}"), "node", "the authprobe Node gateway's JSON error"],
    ["Express", answer(404, {}, "<pre>Cannot POST /x</pre>"), "node", "Express's default error page"],
    ["Node's 431", answer(431, {}, ""), "node", "Node's bare 431"],
    ["Go's 431 with a newline", answer(431, {}, "431 Request Header Fields Too Large\n"), "caddy", "Go net/http's bare 431 (Caddy, or another Go proxy)"],
  ])("%s", (_name, r, server, name) => {
    expect(signatureOf(r)).toEqual({ server, name });
  });

  it.each([
    ["a bare 404 with no headers", answer(404, {}, "")],
    ["PHP-FPM's words inside a sentence", answer(404, {}, "Error: File not found.")],
    ["PHP-FPM's words followed by more", answer(404, {}, "File not found. Try /index.php")],
    ["Go's words with a prefix", answer(431, {}, "Error: 431 Request Header Fields Too Large")],
    ["Go's words on a 400", answer(400, { "content-type": "text/plain" }, "431 Request Header Fields Too Large")],
    ["an Apache doctype not at the start", answer(404, {}, "x<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>404 Not Found")],
  ])("not a signature: %s", (_name, r) => {
    expect(signatureOf(r)).toBeNull();
  });
});

describe("what a path looks like, and why a proxy is or is not named", () => {
  const ok = (headers: Record<string, string>) => answer(200, headers, "{}");
  it("counts each proxy once: Via entries differing only in version, blanks in X-Forwarded-For", () => {
    expect(pathEvidence(ok({}), report({ via: ["1.1 edge, 1.0 edge"] })).minHops).toBe(1);
    expect(pathEvidence(ok({}), report({ xff: ["10.0.0.1, "] })).minHops).toBe(1);
    expect(pathEvidence(ok({}), report({ xff: ["10.0.0.1, 10.0.0.2"] })).minHops).toBe(2);
    expect(viaEntries([" 1.1 varnish ,1.1 x (authprobe)"])).toEqual([
      { entry: "1.1 varnish", product: "varnish" },
      { entry: "1.1 x (authprobe)", product: "node" },
    ]);
  });

  it("app servers are not proxies", () => {
    for (const s of ["gunicorn", "uwsgi", "php-fpm", "mod_wsgi", "cgi"] as const) expect(isAppServer(s), s).toBe(true);
    for (const s of ["nginx", "apache", "node", "varnish", "unknown"] as const) expect(isAppServer(s), s).toBe(false);
    expect(pathEvidence(ok({ server: "gunicorn" }), null).minHops).toBe(0);
  });

  it("names each proxy once, front first", () => {
    const path = pathEvidence(ok({ server: "Varnish" }), report({ headers: [["X-Varnish", "1"]], via: ["1.1 varnish (Varnish/7.1)"] }));
    expect(namedProxies(path)).toEqual(["varnish"]);
  });

  it.each([
    ["by Via", ok({}), report({ via: ["1.1 varnish (Varnish/7.1)"] }), { server: "varnish", kind: "via", detail: "the only proxy in the path is Varnish (Via)" }],
    ["by Server", ok({ server: "Caddy" }), report({}), { server: "caddy", kind: "server", detail: "the only proxy in the path is Caddy (Server header)" }],
    [
      "by a request header",
      ok({}),
      report({ headers: [["X-Varnish", "1"]] }),
      { server: "varnish", kind: "server", detail: "the only proxy in the path is Varnish (a request header only it adds)" },
    ],
    ["unnamed hops", ok({}), report({ xff: ["1.1.1.1, 2.2.2.2"] }), { server: "unknown", kind: "server", detail: "2 proxy hop(s) in front of the app, none names its product" }],
    ["nothing", ok({}), report({}), { server: "unknown", kind: "server", detail: "no proxy names itself in the answer" }],
    [
      "named and unnamed",
      ok({ server: "nginx" }),
      report({ xff: ["1.1.1.1, 2.2.2.2, 3.3.3.3"], via: ["1.1 varnish"] }),
      { server: "unknown", kind: "server", detail: "at least 3 proxies in front of the app (nginx, Varnish and unnamed ones): run the doctor with --hop to tell which" },
    ],
    [
      "two named",
      ok({ server: "nginx" }),
      report({ xff: ["1.1.1.1, 2.2.2.2"], via: ["1.1 varnish"] }),
      { server: "unknown", kind: "server", detail: "at least 2 proxies in front of the app (nginx, Varnish): run the doctor with --hop to tell which" },
    ],
  ])("proxyInPath %s", (_name, res, r, expected) => {
    const blame = proxyInPath(pathEvidence(res, r));
    expect(blame.server).toBe(expected.server);
    expect(blame.basis).toEqual([{ kind: expected.kind, detail: expected.detail }]);
  });

  it.each([
    [
      "Via",
      answer(503, { via: "1.1 a, 1.1 varnish (Varnish/7.1)" }, "x"),
      { kind: "via", detail: "Via names Varnish, but the answer is not Varnish's own error page: written there, or passed on from a server behind" },
    ],
    [
      "Server",
      answer(503, { server: "nginx/1.22.1" }, "x"),
      { kind: "server", detail: "Server: nginx/1.22.1, but the answer is not nginx's own error page: written there, or passed on from a server behind" },
    ],
    [
      "Via and Server",
      answer(400, { server: "Kestrel", via: "1.1 varnish (Varnish/7.1), 1.1 edge (nginx)" }, ""),
      { kind: "via", detail: "Via names nginx, Varnish; Server: Kestrel, but the answer is not their own error page: written there, or passed on from a server behind" },
    ],
    ["a Server we have no rules for", answer(431, { server: "Kestrel" }, ""), { kind: "server", detail: "Server: Kestrel, a server authprobe has no rules for" }],
    ["an app server", answer(400, { server: "gunicorn" }, "x"), { kind: "server", detail: "Server: gunicorn" }],
    ["X-Powered-By", answer(401, { "x-powered-by": "Express" }, "x"), { kind: "server", detail: "X-Powered-By: Express" }],
    ["nothing", answer(401, {}, "x"), { kind: "server", detail: "the answer names no server" }],
  ])("whoAnswered by %s says so", (_name, r, basis) => {
    expect(whoAnswered(r).basis).toEqual([basis]);
  });

  it.each([
    ["a proxy's Server header", answer(400, { server: "nginx/1.22.1" }, "{}"), ["nginx"]],
    ["Via, front first, then Server", answer(400, { server: "Apache/2.4.62", via: "1.1 a (Varnish/7.1), 1.1 b (HAProxy)" }, "{}"), ["haproxy", "varnish", "apache"]],
    ["the same product in Via and Server once", answer(400, { server: "nginx", via: "1.1 nginx" }, "{}"), ["nginx"]],
    ["Cloudflare's old 'cloudflare-nginx' is not the user's nginx", answer(400, { server: "cloudflare-nginx" }, "{}"), []],
    ["Apache Traffic Server in Via is not Apache httpd", answer(400, { via: "http/1.1 cache (ApacheTrafficServer/9.2)" }, "{}"), []],
    ["Apache TomEE", answer(400, { server: "Apache TomEE" }, "{}"), []],
  ])("whoAnswered candidates for %s", (_name, r, candidates) => {
    const who = whoAnswered(r);
    expect(who.server).toBe("unknown");
    expect(who.candidates).toEqual(candidates);
  });
});

describe("a proxy shown to pass a header on is not blamed for losing it", () => {
  const passes = ["nginx", "haproxy"] as const;
  const path = (server: string, via: string[], xff: string[]) => pathEvidence(answer(200, { server }, "{}"), report({ xff, via }));
  const uncertain = (candidates: ServerName[]) => ({ server: "unknown" as const, candidates, basis: [{ kind: "server" as const, detail: "x" }] });

  it("certain on such a proxy: unknown, with the candidates given", () => {
    const blame = unlessItPasses({ server: "nginx", candidates: [], basis: [{ kind: "server", detail: "x" }] }, passes, "the thing", path("nginx", [], []), ["gunicorn"]);
    expect(blame).toEqual({
      server: "unknown",
      candidates: ["gunicorn"],
      basis: [{ kind: "server", detail: "nginx is in the path, but it passes the thing on: the app server or a hop the answer does not name dropped it" }],
    });
  });
  it("certain on another proxy: unchanged", () => {
    const blame = { server: "caddy" as const, candidates: [], basis: [{ kind: "server" as const, detail: "x" }] };
    expect(unlessItPasses(blame, passes, "the thing", path("Caddy", [], []))).toBe(blame);
  });
  it("not certain: such proxies leave the candidates", () => {
    const blame = unlessItPasses(uncertain(["nginx", "caddy", "haproxy", "varnish"]), passes, "the thing", path("nginx", ["1.1 caddy", "1.1 varnish"], []));
    expect(blame.candidates).toEqual(["caddy", "varnish"]);
    expect(blame.basis).toEqual([{ kind: "server", detail: "x" }]);
  });
  it("one named proxy left and no unnamed hop: that proxy", () => {
    const blame = unlessItPasses(uncertain(["caddy", "nginx"]), passes, "the thing", path("Caddy", ["1.1 nginx"], ["1.1.1.1, 2.2.2.2"]));
    expect(blame).toEqual({ server: "caddy", candidates: [], basis: [{ kind: "server", detail: "nginx passes the thing on; the other proxy in the path is Caddy" }] });
  });
  it("one named proxy left but an unnamed hop too: still only a candidate", () => {
    const blame = unlessItPasses(uncertain(["caddy", "nginx"]), passes, "the thing", path("Caddy", ["1.1 nginx"], ["1.1.1.1, 2.2.2.2, 3.3.3.3"]));
    expect(blame.server).toBe("unknown");
    expect(blame.candidates).toEqual(["caddy"]);
  });
});
