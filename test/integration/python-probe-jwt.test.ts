import { createSecretKey, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import jwt from "jsonwebtoken";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../src/lab/ports.js";
import { type ManagedProcess, spawnServer, waitForPort } from "../../src/lab/processes.js";
import { describeJwt } from "../../src/probe/jwt.js";
import type { ProbeReport } from "../../src/probe/types.js";
import { assertValidReport } from "../support/schema.js";

/**
 * The single-file Python probe's JWT verdicts, under a real gunicorn, for tokens minted by the
 * Node side (jsonwebtoken): the verdict names must be the Node probe's (src/probe/jwt.ts).
 */
const PROBES = join(import.meta.dirname, "../../proxy-configs/probes");
const GUNICORN = "/usr/bin/gunicorn";
const SECRET = "python-probe-test-secret-0123456789";
const AUDIENCE = "authprobe-api";
const ISSUER = "authprobe";
const procs: ManagedProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), "authprobe-pyjwt-"));

async function startProbe(env: Record<string, string>, server: "gunicorn" | "uwsgi" = "gunicorn"): Promise<string> {
  const port = await freePort();
  // uWSGI loads the single file itself (wsgi-file), as the docs tell users; gunicorn imports it.
  const proc = server === "gunicorn"
    ? spawnServer("gunicorn", GUNICORN, ["--bind", `127.0.0.1:${port}`, "--workers", "1", "--chdir", PROBES, "authprobe_probe:application"], { env })
    : spawnServer("uwsgi", "/usr/bin/uwsgi-core", ["--plugin", "python3", "--http-socket", `127.0.0.1:${port}`, "--wsgi-file", join(PROBES, "authprobe_probe.py"), "--die-on-term", "--disable-logging"], { env });
  procs.push(proc);
  await waitForPort(proc, port);
  return `http://127.0.0.1:${port}`;
}

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
const urls = { hs: "", hsUwsgi: "", rs: "", es: "", none: "" };

beforeAll(async () => {
  const pyjwt = spawnServer("python3", "/usr/bin/python3", ["-c", "import jwt"], {});
  await new Promise((r) => pyjwt.child.once("exit", r));
  if (pyjwt.exitCode !== 0) throw new Error("PyJWT is missing: apt-get install -y python3-jwt");
  for (const [name, key] of [["rs", rsa], ["es", ec]] as const) {
    writeFileSync(join(dir, `${name}.pem`), key.publicKey.export({ type: "spki", format: "pem" }));
  }
  urls.hs = await startProbe({ JWT_SECRET: SECRET, JWT_AUDIENCE: AUDIENCE, JWT_ISSUER: ISSUER });
  urls.hsUwsgi = await startProbe({ JWT_SECRET: SECRET, JWT_AUDIENCE: AUDIENCE, JWT_ISSUER: ISSUER }, "uwsgi");
  urls.rs = await startProbe({ JWT_ALGORITHM: "RS256", JWT_PUBLIC_KEY_FILE: join(dir, "rs.pem") });
  urls.es = await startProbe({ JWT_ALGORITHM: "ES256", JWT_PUBLIC_KEY_FILE: join(dir, "es.pem") });
  urls.none = await startProbe({});
}, 60_000);

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  rmSync(dir, { recursive: true, force: true });
});

async function verdictFor(url: string, token: string): Promise<{ verdict: string; reason: string }> {
  const res = await fetch(`${url}/__authprobe`, { headers: { Authorization: `Bearer ${token}` } });
  const text = await res.text();
  // Never the token, nor its signature on its own.
  expect(text).not.toContain(token);
  expect(text).not.toContain(token.split(".")[2] || "no-signature-here");
  const report = JSON.parse(text) as ProbeReport;
  assertValidReport(report);
  expect(report.authorization.jwt).not.toBeNull();
  return report.authorization.jwt!.verification;
}

const now = Math.floor(Date.now() / 1000);
const hs = (claims: object, key = SECRET) => jwt.sign({ sub: "alice", iss: ISSUER, ...claims }, key, { algorithm: "HS256" });
const unsigned = `${Buffer.from("{\"alg\":\"none\",\"typ\":\"JWT\"}").toString("base64url")}.${Buffer.from(JSON.stringify({ sub: "alice", aud: AUDIENCE })).toString("base64url")}.`;

describe("the Python probe's JWT verdicts match the Node side's", () => {
  it.each([
    ["valid", () => hs({ aud: AUDIENCE, exp: now + 600 })],
    ["expired", () => hs({ aud: AUDIENCE, exp: now - 60 })],
    ["not_yet_valid", () => hs({ aud: AUDIENCE, nbf: now + 600 })],
    ["bad_signature", () => hs({ aud: AUDIENCE, exp: now + 600 }, "another-key-entirely-0123456789")],
    ["wrong_audience", () => hs({ aud: "someone-else", exp: now + 600 })],
    ["wrong_issuer", () => hs({ aud: AUDIENCE, iss: "someone-else", exp: now + 600 })],
    ["malformed", () => `eyJhbGciOiJIUzI1NiJ9.${Buffer.from("not json").toString("base64url")}.c2lnbmF0dXJl`],
    ["malformed", () => jwt.sign({ aud: AUDIENCE, iss: ISSUER }, SECRET, { algorithm: "HS256", header: { alg: "HS256", crit: ["exp-ext"] } as never })],
    ["algorithm_not_allowed", () => unsigned],
    ["algorithm_not_allowed", () => jwt.sign({ aud: AUDIENCE }, SECRET, { algorithm: "HS512" })],
  ])("HS256: %s, as the Node probe reports it", async (verdict, mint) => {
    const token = mint();
    const key = { key: createSecretKey(Buffer.from(SECRET)), algorithms: ["HS256" as const], audience: AUDIENCE, issuer: ISSUER };
    expect(describeJwt(token, key, Date.now()).verification.verdict).toBe(verdict);
    expect((await verdictFor(urls.hs, token)).verdict).toBe(verdict);
    expect((await verdictFor(urls.hsUwsgi, token)).verdict).toBe(verdict);
  });

  it.each([
    ["rs", "RS256", rsa, ec],
    ["es", "ES256", ec, rsa],
  ] as const)("%s: %s valid, signed by another key bad_signature, expired, alg none (PyJWT)", async (name, algorithm, own, other) => {
    const sign = (claims: object, key = own.privateKey) => jwt.sign({ sub: "alice", ...claims }, key, { algorithm });
    expect((await verdictFor(urls[name], sign({ exp: now + 600 }))).verdict).toBe("valid");
    const otherKey = algorithm === "RS256" ? generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey : generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
    expect((await verdictFor(urls[name], sign({ exp: now + 600 }, otherKey))).verdict).toBe("bad_signature");
    expect((await verdictFor(urls[name], sign({ exp: now - 60 }))).verdict).toBe("expired");
    expect((await verdictFor(urls[name], unsigned)).verdict).toBe("algorithm_not_allowed");
    // A token of the other family, signed by the other key: refused on its algorithm.
    const wrongFamily = jwt.sign({ sub: "alice" }, other.privateKey, { algorithm: algorithm === "RS256" ? "ES256" : "RS256" });
    expect((await verdictFor(urls[name], wrongFamily)).verdict).toBe("algorithm_not_allowed");
  });

  it("without a key the verdict is not_checked, as the Node probe's", async () => {
    expect(await verdictFor(urls.none, hs({ exp: now + 600 }))).toEqual({ verdict: "not_checked", reason: "the probe was not given a key" });
  });
});
