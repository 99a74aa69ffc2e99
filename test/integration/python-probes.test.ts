import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintCanary } from "../../src/doctor/canary.js";
import { missingRequirement } from "../../src/lab/availability.js";
import { loadCatalog } from "../../src/lab/catalog.js";
import { type Deployment, startDeployment } from "../../src/lab/deployment.js";
import type { Scenario } from "../../src/lab/scenario.js";
import type { ProbeReport } from "../../src/probe/types.js";
import { assertValidReport } from "../support/schema.js";

const catalog = loadCatalog();
const byId = (id: string) => catalog.find((s) => s.id === id) as Scenario;
const running: { deployment: Deployment; dir: string }[] = [];
const urls: Record<string, string> = {};

beforeAll(async () => {
  for (const id of ["apache-wsgi-passauth-on", "apache-cgi-passauth-on", "nginx-php-fpm", "nginx-gunicorn", "nginx-uwsgi"]) {
    const scenario = byId(id);
    const missing = missingRequirement(scenario);
    if (missing) throw new Error(`${id} cannot run here: ${missing}`);
    const dir = mkdtempSync(join(tmpdir(), "authprobe-lab-"));
    const deployment = await startDeployment(scenario, dir);
    running.push({ deployment, dir });
    urls[id] = deployment.url;
  }
});

afterAll(async () => {
  for (const { deployment, dir } of running) {
    await deployment.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

describe.each([
  ["wsgi", "apache-wsgi-passauth-on", "mod_wsgi"],
  ["cgi", "apache-cgi-passauth-on", "cgi"],
  ["php", "nginx-php-fpm", "php-fpm"],
  ["wsgi", "nginx-gunicorn", "gunicorn"],
  ["wsgi", "nginx-uwsgi", "uwsgi"],
])("the %s probe under %s", (runtime, id, runtimeServer) => {
  const canary = mintCanary();
  const secrets = {
    Authorization: canary.value,
    Cookie: "theme=dark; access_token=cookie-secret-0123456789",
    "X-Api-Key": "api-key-secret-0123456789",
  };

  it("answers with a report that matches the schema", async () => {
    const res = await fetch(`${urls[id]}/some/path?page=2`, { headers: secrets });
    const report = (await res.json()) as ProbeReport;
    assertValidReport(report);
    expect(report.runtime).toBe(runtime);
    expect(report.runtimeServer).toBe(runtimeServer);
    expect(report.request).toMatchObject({ method: "GET", path: "/some/path?page=2" });
  });

  it("fingerprints the token like the Node probe and echoes no secret", async () => {
    const res = await fetch(`${urls[id]}/x?token=query-secret-0123456789`, { headers: secrets });
    const body = await res.text();
    const report = JSON.parse(body);
    expect(report.authorization).toMatchObject({
      present: true,
      count: 1,
      scheme: "Bearer",
      sha256: canary.sha256,
    });
    expect(report.authorization.jwt).toMatchObject({
      canary: true,
      privateClaimValues: { authprobe_canary: canary.runId },
    });
    for (const secret of [
      canary.token,
      "cookie-secret-0123456789",
      "api-key-secret-0123456789",
      "query-secret-0123456789",
    ]) {
      expect(body).not.toContain(secret);
    }
    expect(
      report.alternatives.map((a: { where: string; name: string }) => `${a.where}:${a.name}`).sort(),
    ).toEqual(["cookie:access_token", "header:X-Api-Key", "query:token"]);
  });

  it("flags a lowercase scheme as the Node probe does", async () => {
    const res = await fetch(`${urls[id]}/`, {
      headers: { Authorization: canary.value.replace("Bearer", "bearer") },
    });
    const report = (await res.json()) as ProbeReport;
    expect(report.authorization.problems.map((p: { code: string }) => p.code)).toEqual(["lowercase_scheme"]);
  });
});
