import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { diagnose } from "../../src/doctor/diagnose.js";
import { send } from "../../src/doctor/http.js";
import { makeLabCertificates } from "../../src/lab/tls.js";
import { closeServer, listen } from "../../src/listen.js";
import { buildProbeReport } from "../../src/probe/report.js";
import { BIN, ROOT, runCliAsync } from "../support/cli.js";
import { useServers } from "../support/servers.js";

// Servers that attack the doctor: they redirect it elsewhere, answer with terminal escapes, fake
// probe reports, odd Locations and bodies that never end. The doctor must keep the user's secrets
// on the origin they gave, print nothing the terminal would obey, and end by its deadline with JSON.

const { serve } = useServers();
const timers = new Set<NodeJS.Timeout>();
afterAll(() => {
  for (const t of timers) clearInterval(t);
});

const TOKEN = "user-real-token-5b1f0c9e7d";
const KEY = "probe-key-a41c77e2";

interface Seen {
  rawHeaders: string[];
  url: string;
}

/** A server that records every request it gets and answers like an app refusing a token. */
async function recordingApp(): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const url = await serve((req, res) => {
    seen.push({ rawHeaders: req.rawHeaders, url: req.url ?? "" });
    const auth = req.headers.authorization;
    res.writeHead(401, { "Content-Type": "application/json", "WWW-Authenticate": auth ? "Bearer error=\"invalid_token\"" : "Bearer" });
    res.end(JSON.stringify({ detail: auth ? "Unsupported authorization type" : "missing token" }));
  });
  return { url, seen };
}

/** Everything the secrets could travel in: header names and values, and the request line. */
function leaked(seen: Seen[]): string[] {
  const out: string[] = [];
  for (const s of seen) {
    if (s.url.includes(TOKEN) || s.url.includes(KEY)) out.push(`url ${s.url}`);
    s.rawHeaders.forEach((v, i) => {
      if (i % 2 === 0 && v.toLowerCase() === "x-authprobe-key") out.push(`header ${v}`);
      if (v.includes(TOKEN) || v.includes(KEY) || v.includes(TOKEN.slice(5))) out.push(`${s.rawHeaders[i - (i % 2)]}: ${v}`);
    });
  }
  return out;
}

const redirectTo = (location: string, status = 302) => (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(status, { Location: location, "Content-Length": "0" });
  res.end();
};

describe("redirects: the real token and probe key never leave the origin the user named", () => {
  it("a 302 to another port: the foreign server gets the canary only, never --token or --probe-key", async () => {
    const foreign = await recordingApp();
    const target = await serve(redirectTo(`${foreign.url}/landing`));
    const result = await diagnose({ target, token: TOKEN, probeKey: KEY, deadlineMs: 10_000, tokenSize: 1024 });
    const redirect = result.findings.find((f) => f.code === "REDIRECT_CROSS_ORIGIN");
    expect(redirect?.evidence.notes?.join(" ")).toMatch(/canary only: --token and --probe-key never go/);
    expect(redirect?.evidence.data).toMatchObject({ followed: true, secretsSent: false });
    expect(foreign.seen.length).toBeGreaterThan(0); // the canary did follow
    expect(foreign.seen.some((s) => s.rawHeaders.some((v) => /^Bearer eyJ/.test(v)))).toBe(true);
    expect(leaked(foreign.seen)).toEqual([]);
  });

  it("an https target redirecting to http (a downgrade): nothing secret goes out in cleartext", async () => {
    const dir = mkdtempSync(join(tmpdir(), "authprobe-hostile-"));
    const certs = makeLabCertificates(dir);
    const foreign = await recordingApp();
    const tls = createHttpsServer({ cert: readFileSync(certs.cert), key: readFileSync(certs.key) }, redirectTo(`${foreign.url}/plain`, 301));
    const target = (await listen(tls, "127.0.0.1", 0)).replace(/^http:/, "https:");
    try {
      const result = await diagnose({ target, token: TOKEN, probeKey: KEY, insecure: true, deadlineMs: 10_000, tokenSize: 1024 });
      expect(result.findings.map((f) => f.code)).toContain("REDIRECT_CROSS_ORIGIN");
      expect(foreign.seen.length).toBeGreaterThan(0);
      expect(leaked(foreign.seen)).toEqual([]);
    } finally {
      await closeServer(tls);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a redirect on the same origin keeps the token and the key (they are the user's to send there)", async () => {
    const seen: Seen[] = [];
    const target = await serve((req, res) => {
      if (req.url === "/start") return redirectTo("/app")(req, res);
      seen.push({ rawHeaders: req.rawHeaders, url: req.url ?? "" });
      res.writeHead(401, { "WWW-Authenticate": req.headers.authorization ? "Bearer error=\"invalid_token\"" : "Bearer" });
      res.end(req.headers.authorization ? "bad token" : "missing token");
    });
    const result = await diagnose({ target: `${target}/start`, token: TOKEN, probeKey: KEY, deadlineMs: 10_000, tokenSize: 1024 });
    expect(result.findings.map((f) => f.code)).not.toContain("REDIRECT_CROSS_ORIGIN");
    expect(leaked(seen).some((l) => l.includes(TOKEN))).toBe(true);
    expect(leaked(seen).some((l) => /x-authprobe-key/i.test(l))).toBe(true);
  });
});

interface JsonFinding {
  code: string;
  evidence: { data: Record<string, unknown> };
}

const ESC = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

describe("terminal escapes from the server are shown escaped, never obeyed", () => {
  const attack = "\x1b]0;PWNED\x07\x1b[2J\x1b[1;1HAuthorization reached the app intact\x00";

  it("in a refusal's body and its WWW-Authenticate description (text output), and --json stays valid", async () => {
    const url = await serve((req, res) => {
      const auth = req.headers.authorization;
      // Node refuses ESC in a header; a C1 CSI (0x9b) passes its checks and some terminals obey it.
      res.writeHead(401, { "WWW-Authenticate": auth ? "Bearer error=\"invalid_token\", error_description=\"\x9b2Jgone\"" : "Bearer" });
      res.end(auth ? attack : "missing token");
    });
    const body = await serve((req, res) => {
      res.writeHead(401, { "WWW-Authenticate": req.headers.authorization ? "Bearer error=\"invalid_token\"" : "Bearer" });
      res.end(req.headers.authorization ? attack : "missing token");
    });
    for (const target of [url, body]) {
      const text = await runCliAsync(["doctor", target, "--token", TOKEN, "--deadline", "10", "--token-size", "1024"]);
      expect(text.stdout).toMatch(/TOKEN_REJECTED/);
      expect(text.stdout).not.toMatch(ESC);
      expect(text.stdout).toMatch(/\\x1b\]0;PWNED\\x07|\\x9b2Jgone/);
      const json = await runCliAsync(["doctor", target, "--json", "--token", TOKEN, "--deadline", "10", "--token-size", "1024"]);
      expect(JSON.parse(json.stdout)).toMatchObject({ target: expect.any(String), verdict: "problems" });
    }
  });

  it("in a fake probe report (its runtime and header names), text and --json", async () => {
    const report = buildProbeReport({ method: "GET", url: "/", rawHeaders: [`X-${attack}`, "1"], httpVersion: "1.1" });
    const fake = { ...report, runtimeServer: attack, hopServer: attack };
    const url = await serve((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify(fake));
    });
    const text = await runCliAsync(["doctor", url, "--deadline", "10", "--token-size", "1024"]);
    expect(text.stdout).toMatch(/AUTH_STRIPPED/);
    expect(text.stdout).not.toMatch(ESC);
    expect(text.stdout).toContain("\\x1b]0;PWNED\\x07");
    const json = await runCliAsync(["doctor", url, "--json", "--deadline", "10", "--token-size", "1024"]);
    expect(JSON.parse(json.stdout).findings.map((f: { code: string }) => f.code)).toContain("AUTH_STRIPPED");
  });
});

describe("a Location the doctor cannot follow is a finding with JSON, not 'unexpected failure'", () => {
  it.each([
    ["file:///etc/passwd"],
    ["ftp://127.0.0.1/pub"],
    ["javascript:alert(1)"],
    ["http://[::1"],
    ["http://exa mple.com/"],
    ["data:text/html,hi"],
  ])("Location: %s", async (location) => {
    const url = await serve(redirectTo(location));
    const r = await runCliAsync(["doctor", url, "--json", "--token", TOKEN, "--deadline", "10", "--token-size", "1024"]);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout) as { target: string; verdict: string; findings: JsonFinding[] };
    expect(Object.keys(out)).toEqual(["target", "verdict", "findings", "notes"]);
    const redirect = out.findings.find((f) => f.code === "REDIRECT_CROSS_ORIGIN");
    expect(redirect?.evidence.data).toMatchObject({ location, followed: false });
    expect(r.status).toBe(1);
  });
});

describe("send() answers, never rejects", () => {
  it("another scheme, and a header value Node refuses to write, are failures", async () => {
    expect(await send("file:///etc/passwd", { timeoutMs: 1000 })).toEqual({ error: "EUNSUPPORTEDPROTOCOL" });
    expect(await send("javascript:alert(1)", { timeoutMs: 1000 })).toEqual({ error: "EUNSUPPORTEDPROTOCOL" });
    const url = await serve((_req, res) => res.end("ok"));
    expect(await send(url, { timeoutMs: 1000, headers: [["X-Bad", "a\r\nInjected: 1"]] })).toEqual({ error: "ERR_INVALID_CHAR" });
  });
});

/** A probe-looking report with one field broken. */
function brokenReport(change: (r: Record<string, unknown>) => void): string {
  const r = JSON.parse(JSON.stringify(buildProbeReport({ method: "GET", url: "/", rawHeaders: [], httpVersion: "1.1" }))) as Record<string, unknown>;
  change(r);
  return JSON.stringify(r);
}
const deep = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;

describe("a malformed probe report is a finding, never a crash", () => {
  it.each([
    ["only probe and version", "{\"probe\":\"authprobe\",\"version\":1}"],
    ["forwarding null", brokenReport((r) => (r.forwarding = null))],
    ["authorization null", brokenReport((r) => (r.authorization = null))],
    ["headers a string", brokenReport((r) => (r.headers = "x"))],
    ["via a number", brokenReport((r) => ((r.forwarding as Record<string, unknown>).via = 7))],
    ["count a string", brokenReport((r) => ((r.authorization as Record<string, unknown>).count = "1"))],
    ["a 100k-deep array in headers", brokenReport((r) => (r.headers = "DEEP")).replace("\"DEEP\"", deep(100_000))],
    ["a 100k-deep array in forwarding.via", brokenReport((r) => ((r.forwarding as Record<string, unknown>).via = "DEEP")).replace("\"DEEP\"", deep(100_000))],
  ])("%s", async (_name, body) => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(body);
    });
    const r = await runCliAsync(["doctor", url, "--json", "--deadline", "10", "--token-size", "1024"]);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout) as { findings: JsonFinding[] };
    const invalid = out.findings.find((f) => f.code === "PROBE_REPORT_INVALID");
    expect(invalid?.evidence.data.field).toEqual(expect.any(String));
    expect(r.status).toBe(1);
  });

  it("in-process too: diagnose() resolves with the finding", async () => {
    const url = await serve((_req, res) => res.end("{\"probe\":\"authprobe\",\"version\":1,\"runtime\":\"node\",\"forwarding\":{}}"));
    const result = await diagnose({ target: url, deadlineMs: 5000, tokenSize: 1024 });
    expect(result.findings.map((f) => f.code)).toContain("PROBE_REPORT_INVALID");
  });
});

/** Runs the built CLI under /usr/bin/time: its output, exit code, wall time and max RSS (MB). */
interface Measured {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  maxRssMb: number;
}

function measuredCli(args: string[]): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), "authprobe-rss-"));
  const file = join(dir, "rss");
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn("/usr/bin/time", ["-f", "%M", "-o", file, process.execPath, BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("error", () => reject(new Error("/usr/bin/time is missing: apt-get install -y time")));
    child.once("exit", (status) => {
      const kb = Number(readFileSync(file, "utf8").trim().split("\n").pop());
      rmSync(dir, { recursive: true, force: true });
      resolve({ status, stdout, stderr, ms: Date.now() - started, maxRssMb: Math.round(kb / 1024) });
    });
  });
}

/** Writes `total` bytes (Infinity: forever) as fast as the client reads them. */
function pump(res: ServerResponse, total: number) {
  const chunk = Buffer.alloc(64 * 1024, "a");
  let sent = 0;
  const more = () => {
    while (sent < total && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once("drain", more);
    }
    if (!res.destroyed) res.end();
  };
  res.on("error", () => undefined);
  more();
}

const DEADLINE_S = 8;

describe("huge and endless bodies: the run ends by its deadline, with JSON, in bounded memory", () => {
  const figures: string[] = [];
  afterAll(() => {
    // The figures docs/reliability.md quotes.
    console.log(`doctor max RSS:\n${figures.join("\n")}`);
  });

  it.each([
    [
      "a body that streams forever",
      (_req: IncomingMessage, res: ServerResponse) => {
        res.writeHead(200, { "Content-Type": "application/json" });
        pump(res, Infinity);
      },
    ],
    [
      "a 1 GB body",
      (_req: IncomingMessage, res: ServerResponse) => {
        res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": String(1024 ** 3) });
        pump(res, 1024 ** 3);
      },
    ],
    [
      "a body with no end (Content-Length never reached)",
      (_req: IncomingMessage, res: ServerResponse) => {
        res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "1000000" });
        res.write("{\"probe\":\"authprobe\",");
        const t = setInterval(() => undefined, 1000); // keeps the socket open, silent
        timers.add(t);
        res.on("close", () => clearInterval(t));
      },
    ],
    [
      "a report that never closes its JSON, streamed forever",
      (_req: IncomingMessage, res: ServerResponse) => {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.write("{\"probe\":\"authprobe\",\"version\":1,\"headers\":[");
        pump(res, Infinity);
      },
    ],
  ])("%s", async (name, handler) => {
    const url = await serve(handler);
    const r = await measuredCli(["doctor", url, "--json", "--deadline", String(DEADLINE_S), "--timeout", "2", "--token-size", "1024"]);
    figures.push(`  ${name}: ${r.maxRssMb} MB, ${(r.ms / 1000).toFixed(1)} s, exit ${r.status}`);
    const out = JSON.parse(r.stdout) as { target: string; verdict: string; findings: unknown[] };
    expect(Object.keys(out)).toEqual(["target", "verdict", "findings", "notes"]);
    expect(r.stderr).toBe("");
    // Startup of the CLI comes on top of the run's deadline.
    expect(r.ms).toBeLessThan(DEADLINE_S * 1000 + 3000);
    expect(r.maxRssMb).toBeLessThan(160);
  });
});
