import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCatalog, PROXY_CONFIGS_DIR } from "../../src/lab/catalog.js";
import { type LabResult, runLab } from "../../src/lab/matrix.js";
import { isolateTmpdir, leftoverServers } from "../support/leftovers.js";

const scope = isolateTmpdir();
const catalog = loadCatalog();
// One run of the whole catalog with real nginx, Apache and Node servers; the tests read its results.
const results: Promise<Map<string, LabResult>> = runLab(catalog, { concurrency: 3 }).then(
  (list) => new Map(list.map((r) => [r.id, r])),
);

// The whole matrix is awaited here, not inside the first test: that test's 30 s timeout would
// otherwise include every scenario's run, and fail on a loaded machine although nothing is wrong.
beforeAll(async () => {
  await results;
}, 300_000);

afterAll(() => {
  expect(leftoverServers(scope)).toEqual([]);
});

describe("every lab scenario behaves as the catalog says, with real servers", () => {
  it.each(catalog.map((s) => [s.id, s] as const))("%s", async (id, scenario) => {
    const r = (await results).get(id) as LabResult;
    // A missing nginx/Apache makes the scenario 'skipped' with the apt-get command: that fails here.
    expect(r.status, `${r.reason ?? ""}\n${r.logTail ?? ""}`).toBe("pass");
    expect(r.observed?.outcome).toBe(scenario.expect.outcome);
    if (scenario.fixedBy) {
      expect(r.observed?.outcome).not.toBe("intact");
      const fix = (await results).get(scenario.fixedBy);
      expect(fix?.status).toBe("pass");
      expect(fix?.observed?.outcome).toBe("intact");
    }
  });
});

describe("the doctor on every scenario", () => {
  const broken = catalog.filter((s) => s.fixedBy);

  it.each(catalog.map((s) => [s.id, s] as const))("%s: codes exactly as expected, a correct config exits 0", async (id, scenario) => {
    const doctor = (await results).get(id)?.doctor;
    expect([...(doctor?.codes ?? [])].sort()).toEqual([...scenario.findings].sort());
    if (scenario.expect.outcome === "intact") expect(doctor?.exitCode).toBe(0);
    else expect(doctor?.exitCode).toBe(1);
  });

  it.each(broken.filter((s) => s.fixMentions).map((s) => [s.id, s] as const))(
    "%s: the fix names what the fixedBy config changes",
    async (id, scenario) => {
      const mention = scenario.fixMentions as string;
      const fix = catalog.find((s) => s.id === scenario.fixedBy) as (typeof catalog)[number];
      // Every file the scenario runs: its hops, the app server's config, Varnish's .params beside a VCL.
      const text = (s: typeof scenario) =>
        [...s.hops.map((h) => h.config), ...(s.upstreamConfig ? [s.upstreamConfig] : [])]
          .flatMap((f) => [f, f.replace(/\.vcl\.template$/, ".params")])
          .map((f) => join(PROXY_CONFIGS_DIR, f))
          .filter((f, i, all) => existsSync(f) && all.indexOf(f) === i)
          .map((f) => readFileSync(f, "utf8"))
          .join("\n");
      // The mention is a real difference between the broken and the fixed config: in exactly one.
      expect(text(scenario).includes(mention)).not.toBe(text(fix).includes(mention));
      expect((await results).get(id)?.doctor?.fixes.join("\n")).toContain(mention);
    },
  );
});

describe("the seed case: Apache + mod_wsgi", () => {
  it("WSGIPassAuthorization Off: the WSGI probe reports no Authorization; On: intact by sha256", async () => {
    const off = (await results).get("apache-wsgi-passauth-off");
    const on = (await results).get("apache-wsgi-passauth-on");
    expect(off?.observed?.hops.at(-1)).toMatchObject({ hop: "app", arrival: "missing", status: 200 });
    expect(on?.observed?.hops.at(-1)).toMatchObject({ hop: "app", arrival: "intact", status: 200 });
  });
});

describe("the doctor blames the component each broken scenario breaks", () => {
  it.each(catalog.filter((s) => s.blame).map((s) => [s.id, s] as const))("%s", async (id, scenario) => {
    expect((await results).get(id)?.doctor?.server).toBe(scenario.blame);
  });
});

describe("chains", () => {
  it("names the hop that lost the token: nginx and the gateway got it, the app did not", async () => {
    const r = (await results).get("chain-gateway-drops");
    expect(r?.observed?.hops.map((h) => `${h.hop}:${h.arrival}`)).toEqual([
      "nginx:intact",
      "gateway:intact",
      "app:missing",
    ]);
  });
});
