// Baselines for the probe's benchmark (pair 3 of scripts/bench.mjs), each run as its own process:
//   node scripts/bench/probe-baselines.mjs express-echo PORT
// Prints "listening PORT" when ready. Also exports the request the pair sends, so every server
// gets the same bytes: a ~900-byte JWT (an OIDC-style ID token) and 12 headers a browser sends.
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";

/** The claims of a typical identity-provider token, about 900 bytes once signed. */
export function realisticClaims(nowSeconds) {
  return {
    iss: "https://login.example.com/realms/acme",
    sub: "f3a9c1d2-7b4e-4c5a-9e21-6d8b0a7f3c11",
    aud: ["acme-web", "acme-api"],
    exp: nowSeconds + 3600,
    iat: nowSeconds,
    nbf: nowSeconds,
    jti: "8d2f4b6a-1c3e-4a5b-9f7d-0e2c4a6b8d1f",
    azp: "acme-web",
    sid: "5c7e9a1b-3d5f-4b7a-8c9e-1f3a5c7e9b2d",
    scope: "openid profile email offline_access orders:read orders:write",
    name: "Alice Example",
    preferred_username: "alice",
    email: "alice@example.com",
    email_verified: true,
    realm_access: { roles: ["offline_access", "uma_authorization", "user"] },
    resource_access: { "acme-api": { roles: ["orders-reader", "orders-writer"] } },
    groups: ["/staff"],
  };
}

/** What Chrome sends on a same-origin fetch() of JSON, Host and Authorization aside: 12 headers. */
export const BROWSER_HEADERS = {
  Connection: "keep-alive",
  "sec-ch-ua": "\"Chromium\";v=\"124\", \"Google Chrome\";v=\"124\", \"Not-A.Brand\";v=\"99\"",
  "sec-ch-ua-mobile": "?0",
  "sec-ch-ua-platform": "\"Linux\"",
  "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
  Accept: "application/json, text/plain, */*",
  "Sec-Fetch-Site": "same-origin",
  "Sec-Fetch-Mode": "cors",
  "Sec-Fetch-Dest": "empty",
  Referer: "http://127.0.0.1/app/orders?page=2",
  "Accept-Encoding": "gzip, deflate, br",
  "Accept-Language": "en-US,en;q=0.9",
};

/** An echo as people write one in Express: method, URL, origin and headers as JSON. */
async function expressEcho() {
  const { default: express } = await import("express");
  const app = express();
  app.all("/{*path}", (req, res) => res.json({ method: req.method, url: req.originalUrl, origin: req.ip, headers: req.headers }));
  return createServer(app);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [kind, portArg] = process.argv.slice(2);
  const make = { "express-echo": expressEcho }[kind];
  if (!make) {
    process.stderr.write(`probe-baselines.mjs: unknown server '${kind}' (express-echo)\n`);
    process.exit(2);
  }
  const server = await make();
  server.keepAliveTimeout = 65_000;
  server.listen(Number(portArg ?? 0), "127.0.0.1", () => process.stdout.write(`listening ${server.address().port}\n`));
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
}
