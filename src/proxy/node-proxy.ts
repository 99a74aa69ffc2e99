import {
  Agent,
  type ClientRequest,
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import httpProxy from "http-proxy";
import { createProbeHandler } from "../probe/handler.js";
import type { NodeProxyConfig } from "./config.js";

/** The gateway's own Via entry (RFC 9110 section 7.6.3): the doctor reads "(authprobe)" as this gateway. */
function ownVia(config: NodeProxyConfig): string {
  return `1.1 ${config.name} (authprobe)`;
}

function sendGatewayError(
  res: ServerResponse,
  status: 502 | 504,
  config: NodeProxyConfig,
  reason: string,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", Via: ownVia(config) });
  res.end(
    JSON.stringify({
      error: status === 504 ? "gateway_timeout" : "bad_gateway",
      error_description: reason,
      proxy: config.name,
    }),
  );
}

/** Applies the header policy to the outgoing request (the hook http-proxy documents for this). */
function applyHeaderPolicy(proxyReq: ClientRequest, config: NodeProxyConfig): void {
  if (config.headers.mode === "allowlist") {
    for (const name of proxyReq.getHeaderNames()) {
      if (name !== "host" && !config.headers.allow.includes(name)) proxyReq.removeHeader(name);
    }
  }
  for (const [name, value] of Object.entries(config.headers.set)) {
    // removeHeader first: http-proxy's `auth` option loses to a client header (node-http-proxy#1088).
    proxyReq.removeHeader(name);
    proxyReq.setHeader(name, value);
  }
  // Appended to the Via of the hops before it (RFC 9110 section 7.6.3), never in its place.
  const incoming = proxyReq.getHeader("via");
  proxyReq.setHeader("Via", incoming === undefined ? ownVia(config) : `${[incoming].flat().join(", ")}, ${ownVia(config)}`);
}

/** A Node reverse proxy on http-proxy; upstream failures become JSON 502/504, never a crash. */
export function createNodeProxy(config: NodeProxyConfig): Server {
  // Without a keep-alive agent every request opens a new upstream connection (half the throughput).
  const agent = config.keepAlive ? new Agent({ keepAlive: true, maxSockets: 128 }) : undefined;
  const proxy = httpProxy.createProxyServer({
    target: config.target,
    xfwd: config.xForwarded,
    ...(agent ? { agent } : {}),
  });
  // Our own upstream timer, not http-proxy's proxyTimeout: that one aborts the request and reports
  // ECONNRESET "socket hang up", indistinguishable from an upstream that reset the connection.
  const timedOut = new WeakSet<IncomingMessage>();
  proxy.on("proxyReq", (proxyReq, req) => {
    applyHeaderPolicy(proxyReq, config);
    proxyReq.setTimeout(config.timeoutMs, () => {
      timedOut.add(req);
      proxyReq.destroy(Object.assign(new Error(`no answer within ${config.timeoutMs} ms`), { code: "ETIMEDOUT" }));
    });
  });
  // Proxies name themselves in Via (RFC 9110 section 7.6.3), on the way back too.
  proxy.on("proxyRes", (proxyRes) => {
    const via = proxyRes.headers.via;
    proxyRes.headers.via = via ? `${via}, ${ownVia(config)}` : ownVia(config);
  });
  proxy.on("error", (err: NodeJS.ErrnoException, req, res) => {
    if (!("writeHead" in res)) {
      res.destroy();
      return;
    }
    // 504: the upstream accepted and did not answer in time; 502: refused, reset or unreachable.
    if (timedOut.has(req) || err.code === "ETIMEDOUT") {
      sendGatewayError(res, 504, config, `upstream ${config.target} did not answer within ${config.timeoutMs} ms (timeoutMs)`);
    } else {
      sendGatewayError(res, 502, config, `upstream ${config.target} failed: ${err.code ?? err.message}`);
    }
  });
  const hop = config.hopEcho ? createProbeHandler({ hop: config.name, hopServer: "node" }) : null;
  const server = createServer(
    { maxHeaderSize: config.maxHeaderSize },
    (req: IncomingMessage, res: ServerResponse) => {
      const url = req.url ?? "";
      const echo = config.hopEcho;
      if (hop && echo && url.startsWith(echo) && (url.length === echo.length || url[echo.length] === "?")) {
        hop(req, res);
        return;
      }
      proxy.web(req, res);
    },
  );
  server.on("close", () => {
    agent?.destroy();
    proxy.close();
  });
  return server;
}
