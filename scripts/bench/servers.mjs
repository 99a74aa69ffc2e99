// Reference servers for the benchmark, each run as its own process:
//   node scripts/bench/servers.mjs express-hello|express-jwt|node-hello PORT
//   node scripts/bench/servers.mjs node-passthrough PORT UPSTREAM_PORT
// They print "listening PORT" when ready. The sample app and the probe run as users run them
// (authprobe serve ...); these are the baselines they are compared with.
import { createSecretKey } from "node:crypto";
import { Agent, createServer, request } from "node:http";
import express from "express";
import jwt from "jsonwebtoken";

const [kind, portArg] = process.argv.slice(2);
const port = Number(portArg ?? 0);
const secret = process.env.JWT_SECRET ?? "authprobe-dev-secret-do-not-use-in-production";

function expressHello() {
  const app = express();
  app.get("/protected", (_req, res) => res.json({ message: "hello" }));
  return createServer(app);
}

/** The same token check as the sample app, minimal: KeyObject, HS256 pinned, iss and aud. */
function expressJwt() {
  const key = createSecretKey(Buffer.from(secret));
  const app = express();
  app.get("/protected", (req, res) => {
    const [scheme, token] = (req.headers.authorization ?? "").split(" ");
    try {
      if (scheme !== "Bearer" || !token) throw new Error("no token");
      const claims = jwt.verify(token, key, { algorithms: ["HS256"], issuer: "authprobe", audience: "authprobe-api" });
      res.json({ message: `hello ${claims.sub}` });
    } catch {
      res.status(401).json({ error: "invalid_token" });
    }
  });
  return createServer(app);
}

function nodeHello() {
  const body = JSON.stringify({ message: "hello" });
  return createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
    res.end(body);
  });
}

/**
 * The least a Node proxy can do: node:http in, node:http out over a keep-alive agent, the same
 * forwarded headers as the gateway, no http-proxy. The ceiling for any gateway built on node:http.
 */
function nodePassthrough() {
  const upstream = Number(process.argv[4]);
  const agent = new Agent({ keepAlive: true, maxSockets: 128 });
  return createServer((req, res) => {
    const headers = { ...req.headers };
    headers["x-forwarded-for"] = req.socket.remoteAddress;
    headers["x-forwarded-host"] = req.headers.host;
    headers["x-forwarded-port"] = String(req.socket.localPort);
    headers["x-forwarded-proto"] = "http";
    headers.via = "1.1 passthrough (authprobe)";
    const up = request({ host: "127.0.0.1", port: upstream, method: req.method, path: req.url, headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    up.on("error", () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
}

const make = { "express-hello": expressHello, "express-jwt": expressJwt, "node-hello": nodeHello, "node-passthrough": nodePassthrough }[kind];
if (!make) {
  process.stderr.write(`servers.mjs: unknown server '${kind}' (express-hello, express-jwt, node-hello, node-passthrough)\n`);
  process.exit(2);
}
const server = make();
server.keepAliveTimeout = 65_000;
server.listen(port, "127.0.0.1", () => process.stdout.write(`listening ${server.address().port}\n`));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
