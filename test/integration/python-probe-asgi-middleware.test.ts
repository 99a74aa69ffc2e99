import { request } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintCanary } from "../../src/doctor/canary.js";
import { freePort } from "../../src/lab/ports.js";
import { type ManagedProcess, spawnServer, waitForPort } from "../../src/lab/processes.js";
import type { ProbeReport } from "../../src/probe/types.js";
import { CREDENTIAL_CORPUS, echoForms } from "../support/credential-corpus.js";
import { assertValidReport } from "../support/schema.js";

/**
 * The single-file Python probe as users mount it: WSGI middleware in a Flask app under gunicorn,
 * ASGI middleware in a FastAPI app and the bare ASGI app, both under uvicorn. Real servers only.
 */
const PROBES = join(import.meta.dirname, "../../proxy-configs/probes");
const APPS = join(import.meta.dirname, "../fixtures/python-probe");
const procs: ManagedProcess[] = [];
const urls = { flask: "", fastapi: "", asgi: "" };

async function start(label: string, command: string, args: (port: number) => string[]): Promise<string> {
  const port = await freePort();
  const proc = spawnServer(label, command, args(port), { env: { PYTHONPATH: `${PROBES}:${APPS}` }, cwd: APPS });
  procs.push(proc);
  await waitForPort(proc, port);
  return `http://127.0.0.1:${port}`;
}

async function missing(module: string): Promise<boolean> {
  const r = spawnServer(module, "/usr/bin/python3", ["-c", `import ${module}`], {});
  await new Promise((done) => r.child.once("exit", done));
  return r.exitCode !== 0;
}

beforeAll(async () => {
  for (const [module, pkg] of [["flask", "python3-flask"], ["fastapi", "python3-fastapi"], ["uvicorn", "python3-uvicorn"]]) {
    if (await missing(module as string)) throw new Error(`${module} is missing: apt-get install -y ${pkg}`);
  }
  urls.flask = await start("gunicorn", "/usr/bin/gunicorn", (p) => ["--bind", `127.0.0.1:${p}`, "--workers", "1", "flask_app:app"]);
  const uvicorn = (target: string) => (p: number) => ["-m", "uvicorn", "--host", "127.0.0.1", "--port", String(p), "--no-access-log", target];
  urls.fastapi = await start("uvicorn", "/usr/bin/python3", uvicorn("fastapi_app:app"));
  urls.asgi = await start("uvicorn", "/usr/bin/python3", uvicorn("authprobe_probe:asgi_application"));
}, 60_000);

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()));
});

/** A request with headers written as given (fetch would refuse some corpus values). */
function get(url: string, headers: [string, string][]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // Raw [name, value, ...] headers keep duplicates and case; Node then adds no Host of its own.
    const raw = [["Host", new URL(url).host], ...headers].flat();
    const req = request(url, { headers: raw as unknown as Record<string, string> }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe.each([
  ["flask", "gunicorn", "/__authprobe"],
  ["fastapi", "uvicorn", "/__authprobe"],
  ["asgi", "uvicorn", "/anything"],
] as const)("the Python probe in %s under %s", (app, runtimeServer, probePath) => {
  const canary = mintCanary();

  it("answers its path with a schema-valid report, the token fingerprinted, no secret echoed", async () => {
    const secrets: [string, string][] = [
      ["Authorization", canary.value],
      ["Cookie", "theme=dark; access_token=cookie-secret-0123456789"],
      ["X-Api-Key", "api-key-secret-0123456789"],
    ];
    const { status, body } = await get(`${urls[app]}${probePath}?token=query-secret-0123456789&page=2`, secrets);
    expect(status).toBe(200);
    const report = JSON.parse(body) as ProbeReport;
    assertValidReport(report);
    expect(report.runtimeServer).toBe(runtimeServer);
    expect(report.authorization).toMatchObject({ present: true, count: 1, scheme: "Bearer", sha256: canary.sha256 });
    for (const secret of [canary.token, "cookie-secret-0123456789", "api-key-secret-0123456789", "query-secret-0123456789"]) {
      expect(body).not.toContain(secret);
    }
    expect(report.alternatives.map((a) => `${a.where}:${a.name.toLowerCase()}`).sort()).toEqual(["cookie:access_token", "header:x-api-key", "query:token"]);
  });

  it("echoes no credential of the corpus (origin-form targets)", { timeout: 120_000 }, async () => {
    const echoes: string[] = [];
    let sent = 0;
    for (const c of CREDENTIAL_CORPUS) {
      if (!c.target.startsWith("/")) continue; // absolute-form targets need a raw socket: the corpus test's job
      const target = `${probePath}${c.target.slice(1) === "" ? "" : `/${c.target.slice(1)}`}`;
      const { status, body } = await get(`${urls[app]}${target}`, c.headers).catch(() => ({ status: 0, body: "" }));
      if (status !== 200) continue;
      sent += 1;
      assertValidReport(JSON.parse(body));
      for (const secret of c.secrets) {
        for (const form of echoForms(secret)) if (body.includes(form)) echoes.push(`${c.class} / ${c.id}: ${form}`);
      }
    }
    expect(echoes).toEqual([]);
    expect(sent).toBeGreaterThan(200);
  });
});

describe.each(["flask", "fastapi"] as const)("the %s app behind the middleware", (app) => {
  it("still answers its own routes", async () => {
    const { status, body } = await get(`${urls[app]}/hello`, []);
    expect(status).toBe(200);
    expect(JSON.parse(body)).toEqual({ app });
  });
});
