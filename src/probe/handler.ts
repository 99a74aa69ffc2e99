import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { sendInternalError } from "../internal-error.js";
import { renderProbeHtml } from "./html.js";
import { buildProbeReport, type ProbeOptions } from "./report.js";
import type { ProbeReport } from "./types.js";
import { PROBE_KEY_HEADER } from "./key-header.js";

export { PROBE_KEY_HEADER };

export interface ProbeHandlerOptions extends ProbeOptions {
  /** When set, only requests with `X-Authprobe-Key: <key>` get a report; others get a bare 404. */
  accessKey?: string | undefined;
}

export function hasProbeKey(req: IncomingMessage, key: string): boolean {
  const sent = req.headers[PROBE_KEY_HEADER];
  if (typeof sent !== "string") return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(key);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Node's http default when maxHeadersCount is unset: 2,000 rawHeaders entries, 1,000 headers. */
const NODE_DEFAULT_MAX_HEADERS = 1000;

/** How many headers the server that read this request keeps; 0 when it keeps all. */
export function headerCountLimit(req: IncomingMessage): number {
  const server = (req.socket as { server?: Server | null }).server;
  const configured = server?.maxHeadersCount;
  if (typeof configured === "number") return configured > 0 ? configured : 0;
  return NODE_DEFAULT_MAX_HEADERS;
}

export function reportFromRequest(req: IncomingMessage, options: ProbeOptions): ProbeReport {
  return buildProbeReport(
    {
      method: req.method ?? "GET",
      url: req.url ?? "/",
      rawHeaders: req.rawHeaders,
      httpVersion: req.httpVersion,
      remoteAddress: req.socket.remoteAddress,
      headerLimit: headerCountLimit(req),
    },
    options,
  );
}

function wantsHtml(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? "";
  return /\btext\/html\b/i.test(accept);
}

/** Answers like a permissive app would, so a failing preflight is the proxy's doing, not ours. */
function applyCors(req: IncomingMessage, res: ServerResponse): boolean {
  const origin = req.headers.origin;
  if (!origin) return false;
  res.setHeader("Access-Control-Allow-Origin", origin);
  res.setHeader("Vary", "Origin");
  const preflight = req.method === "OPTIONS" && req.headers["access-control-request-method"] !== undefined;
  if (preflight) {
    res.setHeader("Access-Control-Allow-Methods", String(req.headers["access-control-request-method"]));
    const asked = req.headers["access-control-request-headers"];
    if (asked) res.setHeader("Access-Control-Allow-Headers", String(asked));
    res.setHeader("Access-Control-Max-Age", "600");
  }
  return preflight;
}

export function sendNotFound(res: ServerResponse): void {
  res.statusCode = 404;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.end(JSON.stringify({ error: "not_found" }));
}

/** Terminal clients, whose output a person reads: curl, Wget, HTTPie, xh. */
const TERMINAL_CLIENT = /^(curl|wget|httpie|xh)\//i;
/** A `pretty` query parameter, and the values of it that say no. */
const PRETTY_QUERY = /[?&]pretty(=[^&]*)?(&|$)/i;
const NOT_PRETTY_QUERY = /[?&]pretty=(0|false)(&|$)/i;

/**
 * Indented JSON when a person asked for it (`?pretty`) or reads it in a terminal (curl's
 * User-Agent); compact otherwise: programs parse it, and indenting cost a tenth of the CPU.
 * `?pretty=0` asks a terminal client for compact JSON.
 */
export function wantsPrettyJson(req: IncomingMessage): boolean {
  const url = req.url ?? "";
  if (/pretty/i.test(url)) {
    const q = url.indexOf("?");
    if (q >= 0 && NOT_PRETTY_QUERY.test(url.slice(q))) return false;
    if (q >= 0 && PRETTY_QUERY.test(url.slice(q))) return true;
  }
  return TERMINAL_CLIENT.test(req.headers["user-agent"] ?? "");
}

export function sendReport(req: IncomingMessage, res: ServerResponse, report: ProbeReport): void {
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("X-Content-Type-Options", "nosniff");
  const html = wantsHtml(req);
  const body = html ? renderProbeHtml(report) : `${wantsPrettyJson(req) ? JSON.stringify(report, null, 2) : JSON.stringify(report)}\n`;
  res.statusCode = 200;
  if (html) {
    res.setHeader("Content-Type", "text/html; charset=utf-8");
    res.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
  } else {
    res.setHeader("Content-Type", "application/json; charset=utf-8");
  }
  res.setHeader("Content-Length", Buffer.byteLength(body));
  res.end(req.method === "HEAD" ? undefined : body);
}

/** A node:http request listener that answers every path and method with a probe report. */
export function createProbeHandler(options: ProbeHandlerOptions = {}) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    // Bodies are irrelevant to the report; drain them so keep-alive connections stay usable.
    req.resume();
    if (options.accessKey !== undefined && !hasProbeKey(req, options.accessKey)) {
      sendNotFound(res);
      return;
    }
    try {
      if (applyCors(req, res)) {
        res.statusCode = 204;
        res.end();
        return;
      }
      sendReport(req, res, reportFromRequest(req, options));
    } catch (err) {
      // One hostile request must never take the probe down: it gets a 500 with an id, logged.
      sendInternalError(res, err, "the probe");
    }
  };
}
