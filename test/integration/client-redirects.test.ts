import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintCanary } from "../../src/doctor/canary.js";
import { closeServer } from "../../src/listen.js";
import { makeLabCertificates } from "../../src/lab/tls.js";
import { makeWorkdir, removeWorkdir } from "../../src/lab/workdirs.js";
import { createProbeHandler } from "../../src/probe/handler.js";

/**
 * Real clients follow real redirects with a token, and docs/clients.md is written from what the
 * probe at the end received. AUTHPROBE_WRITE_DOCS=1 rewrites the file; otherwise the test fails when
 * the committed table differs from what the clients do on this machine.
 */
const root = fileURLToPath(new URL("../../", import.meta.url));
const DOC = join(root, "docs/clients.md");
const PYTHON = "/usr/bin/python3";
const canary = mintCanary();
const servers: Server[] = [];
let dir = "";
let ca = "";
const targets: Record<string, string> = {};

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return (server.address() as AddressInfo).port;
}

function redirector(to: string) {
  return (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => {
    res.writeHead(302, { Location: `${to}${req.url}` });
    res.end();
  };
}

/** The redirects: each [label, first URL]; all end at a probe. */
const CASES = ["same origin", "host change", "port change", "http to https", "https to http"] as const;
type Case = (typeof CASES)[number];

beforeAll(async () => {
  dir = makeWorkdir();
  const certs = makeLabCertificates(dir);
  ca = certs.ca;
  const tls = { cert: readFileSync(certs.cert), key: readFileSync(certs.key) };
  const probe = createProbeHandler();
  const httpProbe = await listen(createHttpServer(probe));
  const httpsProbe = await listen(createHttpsServer(tls, probe) as unknown as Server);
  // Same origin: a server that redirects its own /start to /probe and answers /probe itself.
  const same = createHttpServer((req, res) => (req.url?.startsWith("/start") ? redirector("")(Object.assign(req, { url: "/probe" }), res) : probe(req, res)));
  targets["same origin"] = `http://127.0.0.1:${await listen(same)}/start`;
  targets["host change"] = `http://127.0.0.1:${await listen(createHttpServer(redirector(`http://localhost:${httpProbe}`)))}/start`;
  targets["port change"] = `http://127.0.0.1:${await listen(createHttpServer(redirector(`http://127.0.0.1:${httpProbe}`)))}/start`;
  targets["http to https"] = `http://127.0.0.1:${await listen(createHttpServer(redirector(`https://127.0.0.1:${httpsProbe}`)))}/start`;
  const httpsRedirect = createHttpsServer(tls, redirector(`http://127.0.0.1:${httpProbe}`)) as unknown as Server;
  targets["https to http"] = `https://127.0.0.1:${await listen(httpsRedirect)}/start`;
});

afterAll(async () => {
  await Promise.all(servers.map(closeServer));
  removeWorkdir(dir);
});

/** Each client prints the probe's JSON report from where it ended up. */
const CLIENTS: Record<string, (url: string) => string[]> = {
  "curl -L": (url) => ["curl", "-s", "-L", "--cacert", ca, "-H", `Authorization: ${canary.value}`, url],
  "curl -L --location-trusted": (url) => ["curl", "-s", "-L", "--location-trusted", "--cacert", ca, "-H", `Authorization: ${canary.value}`, url],
  "python requests": (url) => [
    PYTHON,
    "-c",
    "import sys, requests; print(requests.get(sys.argv[1], headers={'Authorization': sys.argv[2]}, verify=sys.argv[3]).text)",
    url,
    canary.value,
    ca,
  ],
  "Node fetch (undici)": (url) => [process.execPath, "-e", "fetch(process.argv[1],{headers:{Authorization:process.argv[2]}}).then(r=>r.text()).then(t=>process.stdout.write(t))", url, canary.value],
  axios: (url) => [
    process.execPath,
    "-e",
    "require('axios').get(process.argv[1],{headers:{Authorization:process.argv[2]},transformResponse:[d=>d]}).then(r=>process.stdout.write(r.data))",
    url,
    canary.value,
  ],
};

function version(client: string): string {
  const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: "utf8" }).stdout.trim();
  if (client.startsWith("curl")) return run("curl", ["--version"]).split(" ")[1] ?? "?";
  if (client === "python requests") return run(PYTHON, ["-c", "import requests; print(requests.__version__)"]);
  if (client === "axios") return `${JSON.parse(readFileSync(join(root, "node_modules/axios/package.json"), "utf8")).version} (follow-redirects ${JSON.parse(readFileSync(join(root, "node_modules/follow-redirects/package.json"), "utf8")).version})`;
  return `Node ${process.versions.node}`;
}

/** Runs one client without blocking: the servers it talks to live in this process. */
function outcome(client: string, c: Case): Promise<"kept" | "dropped" | "failed"> {
  const [cmd, ...args] = CLIENTS[client]?.(targets[c] as string) ?? [];
  return new Promise((resolve) => {
    const child = spawn(cmd as string, args, { cwd: root, env: { ...process.env, NODE_EXTRA_CA_CERTS: ca }, stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.once("error", () => resolve("failed"));
    // 'close', not 'exit': stdout may still hold data when the process has exited.
    child.once("close", () => {
      try {
        const report = JSON.parse(out) as { authorization: { sha256: string | null } };
        resolve(report.authorization.sha256 === canary.sha256 ? "kept" : "dropped");
      } catch {
        resolve("failed");
      }
    });
  });
}

describe("real clients following redirects with Authorization", () => {
  it("every client runs here (curl, python3-requests, Node, axios)", () => {
    expect(spawnSync("curl", ["--version"]).status, "curl is missing: apt-get install -y curl").toBe(0);
    expect(existsSync(PYTHON) && spawnSync(PYTHON, ["-c", "import requests"]).status, "python3-requests is missing: apt-get install -y python3-requests").toBe(0);
  });

  it("docs/clients.md is the table these runs produce", async () => {
    const rows: string[] = [];
    for (const client of Object.keys(CLIENTS)) {
      const cells = await Promise.all(CASES.map((c) => outcome(client, c)));
      // Sanity: every client keeps the token on a same-origin redirect, or the setup is broken.
      expect(cells[0], `${client} on a same-origin redirect`).toBe("kept");
      rows.push(`| ${client} | ${version(client)} | ${cells.join(" | ")} |`);
    }
    const table = [`| client | version | ${CASES.join(" | ")} |`, `|---|---|${CASES.map(() => "---").join("|")}|`, ...rows].join("\n");
    const doc = existsSync(DOC) ? readFileSync(DOC, "utf8") : "";
    const generated = doc.replace(/<!-- clients:start -->[\s\S]*<!-- clients:end -->/, `<!-- clients:start -->\n${table}\n<!-- clients:end -->`);
    if (process.env.AUTHPROBE_WRITE_DOCS === "1") {
      writeFileSync(DOC, generated);
      return;
    }
    // The table records the Node release it was made with; on another one (CI runs several) only
    // the behaviour must match.
    const anyNode = (text: string) => text.replace(/\| Node \d+\.\d+\.\d+ \|/g, "| Node x.y.z |");
    expect(anyNode(doc), "docs/clients.md differs from what the clients did: AUTHPROBE_WRITE_DOCS=1 npx vitest run test/integration/client-redirects.test.ts").toBe(anyNode(generated));
  });
});
