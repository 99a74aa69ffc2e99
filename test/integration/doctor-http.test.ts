import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diagnose } from "../../src/doctor/diagnose.js";
import { type HttpAnswer, isFailure, isTlsFailure, send } from "../../src/doctor/http.js";
import { freePort } from "../../src/lab/ports.js";
import { makeLabCertificates } from "../../src/lab/tls.js";
import { closeServer, listen } from "../../src/listen.js";
import { createProbeHandler } from "../../src/probe/handler.js";
import { useServers } from "../support/servers.js";

// The doctor's one HTTP function: headers exactly as given, and every failure an answer, never a
// throw or a hang.

const { serve } = useServers();
const answer = (r: Awaited<ReturnType<typeof send>>) => {
  if (isFailure(r)) throw new Error(`expected an answer, got ${r.error}`);
  return r as HttpAnswer;
};

describe("send()", () => {
  it("keeps duplicate headers and the order given, and returns status, headers and body", async () => {
    const url = await serve((req, res) => {
      res.writeHead(201, { "x-seen": JSON.stringify(req.rawHeaders.filter((_, i) => i % 2 === 0)), "set-cookie": ["a=1", "b=2"] });
      res.end(`${req.method} ${req.rawHeaders.filter((_, i) => i % 2 === 1 && req.rawHeaders[i - 1] === "Authorization").join(" | ")}`);
    });
    const r = answer(
      await send(url, { method: "PUT", headers: [["Authorization", "Bearer a"], ["X-One", "1"], ["Authorization", "Bearer b"]], timeoutMs: 2000 }),
    );
    expect(r.status).toBe(201);
    expect(r.body).toBe("PUT Bearer a | Bearer b");
    expect(JSON.parse(r.headers.get("x-seen") ?? "[]").filter((n: string) => n === "Authorization")).toHaveLength(2);
    expect(r.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
  });

  it("GET by default", async () => {
    const url = await serve((req, res) => res.end(req.method));
    expect(answer(await send(url, { timeoutMs: 2000 })).body).toBe("GET");
  });

  it("caps a huge body at 256 KiB (plus the chunk that crossed it)", async () => {
    const url = await serve((_req, res) => {
      for (let i = 0; i < 64; i++) res.write("x".repeat(16 * 1024));
      res.end();
    });
    const r = answer(await send(url, { timeoutMs: 5000 }));
    expect(r.body.length).toBeGreaterThanOrEqual(256 * 1024);
    expect(r.body.length).toBeLessThan(256 * 1024 + 64 * 1024);
  });

  it("an invalid URL, a refused connection, an idle server and a deadline are failures, not throws", async () => {
    expect(await send("not a url", { timeoutMs: 1000 })).toEqual({ error: "EINVALIDURL" });
    expect(await send(`http://127.0.0.1:${await freePort()}/`, { timeoutMs: 1000 })).toEqual({ error: "ECONNREFUSED" });
    const silent = await serve(() => undefined);
    expect(await send(silent, { timeoutMs: 150 })).toEqual({ error: "ETIMEDOUT" });
    const trickle = await serve((_req, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write("."), 20);
      res.on("close", () => clearInterval(timer));
    });
    const started = Date.now();
    expect(await send(trickle, { timeoutMs: 1000, deadlineAt: Date.now() + 200 })).toEqual({ error: "EDEADLINE" });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe("https: a certificate the doctor does not trust is a flag to pass, not a diagnosis", () => {
  const dir = mkdtempSync(join(tmpdir(), "authprobe-http-"));
  let url = "";
  let ca = "";
  let server: ReturnType<typeof createHttpsServer> | null = null;
  beforeAll(async () => {
    const certs = makeLabCertificates(dir);
    ca = readFileSync(certs.ca, "utf8");
    server = createHttpsServer({ cert: readFileSync(certs.cert), key: readFileSync(certs.key) }, createProbeHandler());
    url = (await listen(server, "127.0.0.1", 0)).replace(/^http:/, "https:");
  });
  afterAll(async () => {
    if (server) await closeServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it("untrusted: a TLS failure; with the CA or --insecure: an answer", async () => {
    const untrusted = await send(url, { timeoutMs: 2000 });
    expect(isTlsFailure(untrusted)).toBe(true);
    expect(isFailure(untrusted) && untrusted.error).toMatch(/CERT|SELF_SIGNED|UNABLE_TO/);
    expect(answer(await send(url, { timeoutMs: 2000, tls: { ca } })).status).toBe(200);
    expect(answer(await send(url, { timeoutMs: 2000, tls: { insecure: true } })).status).toBe(200);
  });

  it("the doctor refuses to guess: it names --cacert and --insecure", async () => {
    await expect(diagnose({ target: url, tokenSize: 1024 })).rejects.toThrow(/not trusted .*--cacert FILE.*--insecure/);
    const trusted = await diagnose({ target: url, tokenSize: 1024, cacert: ca });
    expect(trusted.mode).toBe("probe");
    expect(trusted.findings).toEqual([]);
  });

  it("a plain http refusal is not a TLS failure", async () => {
    expect(isTlsFailure({ error: "ECONNREFUSED" })).toBe(false);
    expect(isTlsFailure({ status: 200, headers: new Headers(), body: "" })).toBe(false);
  });
});
