import { isComponent, labelOf, type ServerName } from "../components.js";
import type { ProbeReport } from "../probe/types.js";
import type { ProbeHint } from "./fixes.js";

/**
 * Who did what, from evidence, strongest first: hop echoes, the probe's runtimeServer, error-body
 * signatures, Via product tokens, and the Server header last (a front proxy overwrites the app
 * server's). Nothing here infers a product from the mere presence of a header.
 */

export interface ResponseLike {
  status: number;
  headers: Headers;
  body: string;
}

export type EvidenceKind = "hop" | "runtime" | "signature" | "via" | "server" | "status";

export interface Attribution {
  /** The one component the evidence singles out, or unknown. */
  server: ServerName;
  /** When unknown: the components that can be in this path, most likely first. */
  candidates: ServerName[];
  /** What singled it out (or why nothing could). */
  basis: { kind: EvidenceKind; detail: string }[];
}

export function certain(server: ServerName, kind: EvidenceKind, detail: string): Attribution {
  return { server, candidates: [], basis: [{ kind, detail }] };
}

interface Signature {
  server: ServerName;
  name: string;
  test(r: ResponseLike): boolean;
}

const hasNoHeaders = (r: ResponseLike) => [...r.headers.keys()].length === 0;

/** Error pages each component writes itself; the body is the app server's even behind a proxy. */
const SIGNATURES: Signature[] = [
  { server: "gunicorn", name: "gunicorn's error page", test: (r) => /<h1><p>[^<]*<\/p><\/h1>/.test(r.body) || /Error parsing headers: /.test(r.body) },
  { server: "nginx", name: "nginx's error page", test: (r) => /<center>nginx(\/[\d.]+)?<\/center>/i.test(r.body) || /<center>openresty/i.test(r.body) },
  {
    server: "apache",
    name: "Apache's error page",
    test: (r) =>
      /<address>Apache(\/[\d.]+)?[^<]*<\/address>/.test(r.body) ||
      // Apache's built-in error documents (ServerSignature Off still writes this doctype).
      /^<!DOCTYPE HTML PUBLIC "-\/\/(IETF\/\/DTD HTML 2\.0|W3C\/\/DTD HTML 4\.01)\/\/EN"[^>]*>\n<html><head>\n<title>\d{3} /.test(r.body) ||
      /This server could not verify that you\s+are authorized to access the document/.test(r.body) ||
      /Size of a request header field exceeds server limit/.test(r.body) ||
      /Your browser sent a request that this server could not understand/.test(r.body),
  },
  {
    server: "haproxy",
    name: "HAProxy's error page",
    test: (r) =>
      /<html><body><h1>\d{3} [^<]+<\/h1>\n(Your browser sent an invalid request|No server is available to handle this request|The server returned an invalid or incomplete response|The server didn't respond in time|Request forbidden by administrative rules|You need a valid user and password to access this content)/.test(
        r.body,
      ),
  },
  { server: "varnish", name: "Varnish's error page", test: (r) => /Guru Meditation/.test(r.body) || /<title>\d{3} [^<]*<\/title>[\s\S]*Varnish cache server/.test(r.body) },
  // Varnish refuses an over-long request header with a bare status line: no header, no body.
  { server: "varnish", name: "a bare 400 with no headers (Varnish's request-size refusal)", test: (r) => r.status === 400 && r.body === "" && hasNoHeaders(r) },
  { server: "php-fpm", name: "PHP-FPM's 'Primary script unknown' page", test: (r) => /^(File not found\.|No input file specified\.)\s*$/.test(r.body) },
  { server: "node", name: "the authprobe Node gateway's JSON error", test: (r) => /"proxy"\s*:/.test(r.body) && /authprobe/.test(r.headers.get("via") ?? "") },
  { server: "node", name: "Express's default error page", test: (r) => /<pre>(Cannot [A-Z]+ |[A-Za-z]*Error)/.test(r.body) },
  // Node's http server answers an oversize head with a bare 431 and Connection: close.
  {
    server: "node",
    name: "Node's bare 431",
    test: (r) => r.status === 431 && r.body === "" && !r.headers.get("server") && !r.headers.get("content-type"),
  },
];

/** Go's net/http writes this itself: Caddy's refusal of an oversize head. */
const GO_431 = (r: ResponseLike) => r.status === 431 && /^431 Request Header Fields Too Large\s*$/.test(r.body);

export function signatureOf(r: ResponseLike): { server: ServerName; name: string } | null {
  const found = SIGNATURES.find((s) => s.test(r));
  if (found) return { server: found.server, name: found.name };
  if (GO_431(r)) return { server: "caddy", name: "Go net/http's bare 431 (Caddy, or another Go proxy)" };
  return null;
}

const SERVER_PRODUCTS: [RegExp, ServerName][] = [
  // Not Cloudflare's edge, which long said "cloudflare-nginx": the user's nginx is not there.
  [/(?<!cloudflare-)\b(nginx|openresty|tengine)\b/i, "nginx"],
  // Apache httpd, not Tomcat ("Apache-Coyote/1.1"), TomEE or Traffic Server: other servers, other fixes.
  [/\bapache\b(?![-\s]?(coyote|tomcat|tomee|traffic))/i, "apache"],
  [/\bhaproxy\b/i, "haproxy"],
  [/\bcaddy\b/i, "caddy"],
  [/\bvarnish\b/i, "varnish"],
  [/\bgunicorn\b/i, "gunicorn"],
  [/\buwsgi\b/i, "uwsgi"],
];

/** The product a Server header names, if it is one we know. */
export function serverHeaderProduct(value: string | null): ServerName | null {
  if (!value) return null;
  return SERVER_PRODUCTS.find(([re]) => re.test(value))?.[1] ?? null;
}

/** Via entries, each with the product its token or comment names (null: a pseudonym we cannot place). */
export function viaEntries(values: string[]): { entry: string; product: ServerName | null }[] {
  return values
    .flatMap((v) => v.split(","))
    .map((e) => e.trim())
    .filter(Boolean)
    .map((entry) => {
      if (/\(authprobe\)|authprobe-gateway/i.test(entry)) return { entry, product: "node" as ServerName };
      return { entry, product: serverHeaderProduct(entry) };
    });
}

/** X-Forwarded-For addresses: each proxy that sets it adds one. */
function forwardedCount(report: ProbeReport | null): number {
  if (!report) return 0;
  return report.forwarding.xForwardedFor.flatMap((v) => v.split(",")).filter((s) => s.trim()).length;
}

/** What the path in front of the app looks like, from one ordinary answer (and the report). */
export interface PathEvidence {
  /** The product in the answer's Server header (the front, or the app if nothing rewrote it). */
  serverHeader: ServerName | null;
  /** Proxies named by headers only they add to requests (X-Varnish, X-Forwarded-Server), as the probe saw them. */
  requestMarks: ServerName[];
  /** Products named in Via, in order (answer and report); pseudonyms are null. */
  via: (ServerName | null)[];
  /** How many proxies at least are in front of the app. */
  minHops: number;
}

/**
 * Request headers a proxy adds by default and others do not: Varnish sends X-Varnish to its
 * backend; Apache mod_proxy sends X-Forwarded-Server with X-Forwarded-For and -Host (ProxyAddHeaders,
 * on by default). Traefik sends X-Forwarded-Server too, but always with X-Real-Ip and
 * X-Forwarded-Port, which Apache never adds: then it is not taken for Apache.
 */
function requestMarksOf(report: ProbeReport | null): ServerName[] {
  if (!report) return [];
  const names = new Set(report.headers.map(([n]) => n.toLowerCase().replace(/_/g, "-")));
  const marks: ServerName[] = [];
  if (names.has("x-varnish")) marks.push("varnish");
  if (names.has("x-forwarded-server") && !names.has("x-real-ip") && !names.has("x-forwarded-port")) marks.push("apache");
  return marks;
}

export function pathEvidence(answer: ResponseLike | null, report: ProbeReport | null): PathEvidence {
  const serverHeader = answer ? serverHeaderProduct(answer.headers.get("server")) : null;
  const viaValues = [...(report?.forwarding.via ?? []), ...(answer?.headers.get("via") ? [answer.headers.get("via") as string] : [])];
  const via = viaEntries(viaValues).map((v) => v.product);
  const uniqueVia = new Set(viaEntries(viaValues).map((v) => v.entry.replace(/^[\d.]+\s+/, "")));
  const appServerHeader = serverHeader !== null && isAppServer(serverHeader);
  const requestMarks = requestMarksOf(report);
  const proxyServerHeader = serverHeader && !appServerHeader ? 1 : 0;
  const minHops = Math.max(forwardedCount(report), uniqueVia.size, proxyServerHeader, new Set(requestMarks).size);
  return { serverHeader, requestMarks, via, minHops };
}

const APP_SERVERS: ServerName[] = ["gunicorn", "uwsgi", "php-fpm", "mod_wsgi", "cgi"];
export function isAppServer(s: ServerName): boolean {
  return APP_SERVERS.includes(s);
}

/** The proxies the evidence names, front first: the Server header's product, then Via's. */
export function namedProxies(path: PathEvidence): ServerName[] {
  const named: ServerName[] = [];
  if (path.serverHeader && !isAppServer(path.serverHeader)) named.push(path.serverHeader);
  for (const p of [...path.via].reverse()) if (p && !named.includes(p)) named.push(p);
  for (const p of path.requestMarks) if (!named.includes(p)) named.push(p);
  return named;
}

/**
 * The proxy that did something to the request between the client and the app, when hop echoes
 * are not there: certain only when the evidence shows exactly one proxy and names it.
 */
export function proxyInPath(path: PathEvidence): Attribution {
  const named = namedProxies(path);
  const hops = Math.max(path.minHops, named.length);
  if (named.length === 1 && hops <= 1) {
    const only = named[0] as ServerName;
    const how = path.via.includes(only) ? "Via" : path.serverHeader === only ? "Server header" : "a request header only it adds";
    return certain(only, how === "Via" ? "via" : "server", `the only proxy in the path is ${labelOf(only)} (${how})`);
  }
  if (named.length === 0) {
    return {
      server: "unknown",
      candidates: [],
      basis: [{ kind: "server", detail: hops > 0 ? `${hops} proxy hop(s) in front of the app, none names its product` : "no proxy names itself in the answer" }],
    };
  }
  return {
    server: "unknown",
    candidates: named,
    basis: [{ kind: "server", detail: `at least ${hops} proxies in front of the app (${named.map(labelOf).join(", ")}${hops > named.length ? " and unnamed ones" : ""}): run the doctor with --hop to tell which` }],
  };
}

/** The component a hop echo belongs to: what the hop said it is, else the name the user gave it. */
export function hopComponent(name: string, report: ProbeReport | null): ServerName {
  for (const candidate of [report?.hopServer, report?.hop, name]) {
    const lower = candidate?.toLowerCase();
    if (lower && isComponent(lower)) return lower;
  }
  const label = `${report?.hop ?? ""} ${name}`.toLowerCase();
  for (const [re, server] of SERVER_PRODUCTS) if (re.test(label)) return server;
  if (/httpd/.test(label)) return "apache";
  return "unknown";
}

/**
 * Who wrote an answer: its body's signature, or a name only the writer puts on its own answers
 * (the app framework's X-Powered-By, an app server's Server header). A proxy named in Via or Server
 * is not enough: proxies pass on the answers of the servers behind them (nginx and Apache even put
 * their own Server header on them), so without its own page the proxy is only a candidate.
 */
export function whoAnswered(r: ResponseLike): Attribution {
  const signature = signatureOf(r);
  if (signature) return certain(signature.server, "signature", signature.name);
  const poweredBy = r.headers.get("x-powered-by") ?? "";
  if (/express/i.test(poweredBy)) return certain("node", "server", `X-Powered-By: ${poweredBy}`);
  const serverValue = r.headers.get("server");
  const server = serverHeaderProduct(serverValue);
  if (server && isAppServer(server)) return certain(server, "server", `Server: ${serverValue}`);
  // Via grows towards the client: its last entry is the front.
  const viaValue = r.headers.get("via");
  const via = viaEntries(viaValue ? [viaValue] : [])
    .map((v) => v.product)
    .filter((p): p is ServerName => p !== null)
    .reverse();
  const named = [...new Set([...via, ...(server ? [server] : [])])];
  if (named.length > 0) {
    const said = [via.length ? `Via names ${via.map(labelOf).join(", ")}` : "", serverValue ? `Server: ${serverValue}` : ""].filter(Boolean).join("; ");
    const whose = named.length === 1 ? `${labelOf(named[0] as ServerName)}'s` : "their";
    return {
      server: "unknown",
      candidates: named,
      basis: [{ kind: via.length ? "via" : "server", detail: `${said}, but the answer is not ${whose} own error page: written there, or passed on from a server behind` }],
    };
  }
  if (serverValue) return { server: "unknown", candidates: [], basis: [{ kind: "server", detail: `Server: ${serverValue}, a server authprobe has no rules for` }] };
  return { server: "unknown", candidates: [], basis: [{ kind: "server", detail: "the answer names no server" }] };
}

/** The app server the probe ran under, when it is a component the doctor knows. */
export function runtimeComponent(report: ProbeReport | null): ServerName | null {
  const runtime = report?.runtimeServer;
  return runtime && isComponent(runtime) && runtime !== "unknown" ? runtime : null;
}

/** Who answered, for a sentence: the server, the candidates, or "unknown". */
export function answererLabel(a: Attribution): string {
  if (a.server !== "unknown" || a.candidates.length === 0) return labelOf(a.server);
  return `${a.candidates.map(labelOf).join(" or ")} (not certain)`;
}

/**
 * Who wrote an answer that is not the probe's, with a probe behind: a standalone probe answers every
 * method and path itself, so the answer was written in front of it. When the path shows exactly one
 * proxy and the answer names it, that proxy wrote it (no own error page needed: `return 204;` has
 * none). A probe inside an app (the Express router) cannot say so: the app's own middleware may
 * have answered, so the app's server is a candidate too.
 */
export function writtenInFront(answer: ResponseLike, path: PathEvidence, report: ProbeReport): Attribution {
  const by = whoAnswered(answer);
  if (by.server !== "unknown") return by;
  if (report.embedded) {
    const app = runtimeComponent(report);
    return { ...by, candidates: [...new Set([...by.candidates, ...(app ? [app] : [])])] };
  }
  const front = proxyInPath(path);
  if (front.server === "unknown" || !by.candidates.includes(front.server)) return by;
  return certain(front.server, "server", `the probe behind answers every request itself, and ${front.basis[0]?.detail ?? labelOf(front.server)}`);
}

/**
 * How the app runs, as far as an answer says it without a probe: Apache's Server tokens name
 * mod_wsgi (ServerTokens Full), PHP names itself in X-Powered-By or the Server tokens. Null when
 * nothing says; only fixes read it (an app server we cannot see is never blamed for it).
 */
/**
 * The stack the answers reveal (Apache's mod_wsgi token, PHP or Express in X-Powered-By, a Python
 * app server's Server header): which probe recipe fits, and which framework's CORS setting.
 */
export function stackHintOf(...answers: (ResponseLike | null)[]): ProbeHint | null {
  for (const a of answers) {
    if (!a) continue;
    const server = a.headers.get("server") ?? "";
    const powered = a.headers.get("x-powered-by") ?? "";
    if (/\bmod_wsgi\//i.test(server)) return "mod_wsgi";
    if (/^php\b/i.test(powered) || /\bphp\//i.test(server)) return "php";
    if (/^express\b/i.test(powered)) return "express";
    if (/^(gunicorn|uvicorn|waitress|werkzeug|hypercorn)\b/i.test(server)) return "python";
  }
  return null;
}

export function runtimeHintOf(r: ResponseLike): "mod_wsgi" | "php" | null {
  const hint = stackHintOf(r);
  return hint === "mod_wsgi" || hint === "php" ? hint : null;
}

/**
 * A blame that rests on a proxy being the one in the path, for a loss that proxy is shown not to
 * cause (the lab passes the header through it): not that proxy, and not a candidate either. The
 * evidence then names only the given candidates, if any, or the one other proxy in the path.
 */
export function unlessItPasses(
  blame: Attribution,
  passes: readonly ServerName[],
  what: string,
  path: PathEvidence,
  candidates: ServerName[] = [],
): Attribution {
  if (blame.server === "unknown") {
    // Not certain already: only the candidates that can do it stay. When one named proxy is left
    // and the path shows no unnamed one, it is that proxy, as with a single proxy in the path.
    const left = blame.candidates.filter((c) => !passes.includes(c));
    const named = namedProxies(path);
    const passing = named.filter((c) => passes.includes(c));
    if (left.length === 1 && passing.length > 0 && named.length >= path.minHops) {
      const only = left[0] as ServerName;
      return certain(only, "server", `${passing.map(labelOf).join(" and ")} ${passing.length === 1 ? "passes" : "pass"} ${what} on; the other proxy in the path is ${labelOf(only)}`);
    }
    return { ...blame, candidates: left };
  }
  if (!passes.includes(blame.server)) return blame;
  return {
    server: "unknown",
    candidates,
    basis: [{ kind: "server", detail: `${labelOf(blame.server)} is in the path, but it passes ${what} on: the app server or a hop the answer does not name dropped it` }],
  };
}
