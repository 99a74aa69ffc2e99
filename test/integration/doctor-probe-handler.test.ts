import { createServer } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diagnose } from "../../src/doctor/diagnose.js";
import { exitCodeFor } from "../../src/doctor/verdict.js";
import { findBinary } from "../../src/lab/binaries.js";
import { PROXY_CONFIGS_DIR } from "../../src/lab/catalog.js";
import { freePort } from "../../src/lab/ports.js";
import { startApache } from "../../src/lab/runners/apache.js";
import type { RunningHop } from "../../src/lab/runners/types.js";
import { makeWorkdir, removeWorkdir } from "../../src/lab/workdirs.js";
import { closeServer, listen } from "../../src/listen.js";
import { createProbeHandler } from "../../src/probe/handler.js";
import { ROOT } from "../support/cli.js";
import { isolateTmpdir, leftoverServers } from "../support/leftovers.js";

// A probe must run under the app's own handler: a Node probe behind Apache's ProxyPass beside a
// mod_wsgi app sees the token intact while mod_wsgi hides it from the app. Real Apache, real mod_wsgi.

const scope = isolateTmpdir();
const probe = createServer(createProbeHandler());
let apache: RunningHop;
let dir: string;

beforeAll(async () => {
  const binary = findBinary("apache");
  if (!binary.path) throw new Error(`apache is not installed: ${binary.install}`);
  const probeUrl = await listen(probe, "127.0.0.1", 0);
  dir = makeWorkdir();
  apache = await startApache(
    binary.path,
    join(ROOT, "test/fixtures/apache/node-probe-beside-wsgi-app.conf"),
    {
      LISTEN_HOST: "127.0.0.1",
      LISTEN_PORT: String(await freePort()),
      PROBE_HOST: "127.0.0.1",
      PROBE_PORT: new URL(probeUrl).port,
      PROBES_DIR: join(PROXY_CONFIGS_DIR, "probes"),
    },
    dir,
  );
}, 60_000);

afterAll(async () => {
  await apache?.stop();
  if (dir) removeWorkdir(dir);
  await closeServer(probe);
  expect(leftoverServers(scope)).toEqual([]);
});

describe("a probe under another handler than the app", () => {
  it("the app really is mod_wsgi without WSGIPassAuthorization: its own probe at / sees no token", async () => {
    const r = await diagnose({ target: `${apache.url}/app`, tokenSize: 1024 });
    expect(r.runtime).toBe("mod_wsgi");
    expect(r.findings.map((f) => f.code)).toContain("AUTH_STRIPPED");
  });

  it("the Node probe behind ProxyPass says intact, and the doctor does not stop there: AUTH_NOT_VERIFIED, exit 1", async () => {
    const r = await diagnose({ target: `${apache.url}/__authprobe`, tokenSize: 1024 });
    expect(r.runtime).toBe("node");
    const f = r.findings.find((x) => x.code === "AUTH_NOT_VERIFIED");
    expect(f?.evidence.data).toMatchObject({ reason: "probe-under-other-handler", probeRuntime: "node", appHandler: "mod_wsgi" });
    expect(f?.fix.steps[0]).toContain("WSGIScriptAlias /__authprobe");
    expect(r.findings.some((x) => x.code === "AUTH_STRIPPED")).toBe(false);
    expect(exitCodeFor(r)).toBe(1);
    expect(r.summary).not.toMatch(/reached the app intact/);
  });
});
