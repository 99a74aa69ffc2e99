import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { missingRequirement } from "../../src/lab/availability.js";
import { loadCatalog } from "../../src/lab/catalog.js";
import { type Deployment, startDeployment } from "../../src/lab/deployment.js";
import type { Scenario } from "../../src/lab/scenario.js";
import { createProbeHandler } from "../../src/probe/handler.js";
import { CREDENTIAL_CORPUS, type CorpusCase, echoForms } from "../support/credential-corpus.js";
import { assertValidReport } from "../support/schema.js";
import { useServers } from "../support/servers.js";

/**
 * The credential corpus against every probe under its real server: the Node probe on node:http,
 * probe.wsgi under Apache mod_wsgi, probe.cgi under Apache CGI, probe.php under PHP-FPM behind
 * nginx. Requests go over a raw socket so the request line and header names are exactly the corpus's.
 */

const { serve } = useServers();
const catalog = loadCatalog();
const running: { deployment: Deployment; dir: string }[] = [];
const origins: Record<string, string> = {};
const PROBES: [string, string | null][] = [
  ["node", null],
  ["wsgi", "apache-wsgi-passauth-on"],
  ["cgi", "apache-cgi-passauth-on"],
  ["php", "nginx-php-fpm"],
];

beforeAll(async () => {
  origins.node = await serve(createProbeHandler());
  for (const [name, id] of PROBES) {
    if (!id) continue;
    const scenario = catalog.find((s) => s.id === id) as Scenario;
    const missing = missingRequirement(scenario);
    if (missing) throw new Error(`${id} cannot run here: ${missing}`);
    const dir = mkdtempSync(join(tmpdir(), "authprobe-corpus-"));
    const deployment = await startDeployment(scenario, dir);
    running.push({ deployment, dir });
    origins[name] = deployment.url;
  }
}, 120_000);

afterAll(async () => {
  for (const { deployment, dir } of running) {
    await deployment.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

interface RawAnswer {
  status: number;
  body: string;
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = body.indexOf("\r\n", at);
    if (eol < 0) break;
    const size = Number.parseInt(body.subarray(at, eol).toString("latin1"), 16);
    if (!size) break;
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** One HTTP/1.1 request written byte for byte: absolute-form targets and raw names survive. */
function rawRequest(origin: string, target: string, headers: [string, string][]): Promise<RawAnswer> {
  const { hostname, port } = new URL(origin);
  const host = `${hostname}:${port}`;
  const head = [`GET ${target.replace("{origin}", host)} HTTP/1.1`, `Host: ${host}`, ...headers.map(([n, v]) => `${n}: ${v}`), "Connection: close", "", ""];
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(Buffer.from(head.join("\r\n"), "latin1")));
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer to ${target}`)));
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", reject);
    socket.on("end", () => {
      const all = Buffer.concat(chunks);
      const split = all.indexOf("\r\n\r\n");
      const headText = all.subarray(0, split).toString("latin1");
      const rawBody = all.subarray(split + 4);
      const body = /^transfer-encoding:\s*chunked/im.test(headText) ? dechunk(rawBody) : rawBody;
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(headText)?.[1] ?? 0), body: body.toString("utf8") });
    });
  });
}

function sha256Prefix(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex").slice(0, 12);
}

/** Every string in a parsed report, so a JSON escape in the body cannot hide an echo. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]);
  return [];
}

/** What of a case's secrets shows in a report: each leak named by its form. */
export function echoesIn(body: string, c: CorpusCase): string[] {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(body);
  } catch {
    // not JSON: the raw text is checked all the same
  }
  const haystacks = [body, ...strings(parsed)];
  const leaks: string[] = [];
  for (const secret of c.secrets) {
    for (const form of echoForms(secret)) {
      if (haystacks.some((h) => h.includes(form))) leaks.push(`echoed ${JSON.stringify(form)}`);
    }
    // A plain sha256 of a short secret is the secret to anyone with a word list.
    for (const hashed of new Set([secret, encodeURIComponent(secret)])) {
      if (body.includes(sha256Prefix(hashed))) leaks.push(`unsalted sha256 of ${JSON.stringify(hashed)}`);
    }
  }
  for (const [, value] of c.headers) {
    if (body.includes(sha256Prefix(value))) leaks.push(`unsalted sha256 of the header value ${JSON.stringify(value)}`);
  }
  return leaks;
}

describe("the credential corpus", () => {
  it("has at least 252 cases covering every class", () => {
    expect(CREDENTIAL_CORPUS.length).toBeGreaterThanOrEqual(252);
    expect(new Set(CREDENTIAL_CORPUS.map((c) => c.class)).size).toBe(14);
    expect(new Set(CREDENTIAL_CORPUS.map((c) => `${c.class} ${c.id}`)).size).toBe(CREDENTIAL_CORPUS.length);
  });
});

describe.each(PROBES.map(([name]) => name))("the %s probe echoes no credential of the corpus", (probe) => {
  it(`answers every case with a valid report and 0 echoes`, { timeout: 180_000 }, async () => {
    const echoes: string[] = [];
    const refused: string[] = [];
    const leakingCases = new Set<string>();
    for (const c of CREDENTIAL_CORPUS) {
      const answer = await rawRequest(origins[probe] as string, c.target, c.headers);
      for (const leak of echoesIn(answer.body, c)) {
        echoes.push(`${c.class} / ${c.id}: ${leak}`);
        leakingCases.add(`${c.class} / ${c.id}`);
      }
      if (answer.status !== 200) {
        // A server in front may refuse a target (e.g. userinfo in absolute form): nothing reached the probe.
        refused.push(`${c.id}: ${answer.status}`);
        continue;
      }
      assertValidReport(JSON.parse(answer.body));
    }
    console.info(`${probe}: ${CREDENTIAL_CORPUS.length} cases, ${leakingCases.size} cases leak, ${echoes.length} echoes, refused before the probe: ${refused.length ? refused.join("; ") : "none"}`);
    expect(echoes).toEqual([]);
    // Only absolute-form targets may be refused by a server; every other case must reach the probe.
    expect(refused.filter((r) => !r.startsWith("absolute-form"))).toEqual([]);
  });
});
