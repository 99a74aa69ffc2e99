// Reference servers for the benchmark, each run as its own process:
//   node scripts/bench/servers.mjs express-hello|express-jwt|node-hello PORT
// They print "listening PORT" when ready. The sample app and the probe run as users run them
// (authprobe serve ...); these are the baselines they are compared with.
import { createSecretKey } from "node:crypto";
import { createServer } from "node:http";
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

const make = { "express-hello": expressHello, "express-jwt": expressJwt, "node-hello": nodeHello }[kind];
if (!make) {
  process.stderr.write(`servers.mjs: unknown server '${kind}' (express-hello, express-jwt, node-hello)\n`);
  process.exit(2);
}
const server = make();
server.keepAliveTimeout = 65_000;
server.listen(port, "127.0.0.1", () => process.stdout.write(`listening ${server.address().port}\n`));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
