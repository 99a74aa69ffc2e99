import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { missingRequirement } from "../../src/lab/availability.js";
import { loadCatalog } from "../../src/lab/catalog.js";
import { LAB_PATH } from "../../src/lab/constants.js";
import { type Deployment, startDeployment } from "../../src/lab/deployment.js";
import { makeWorkdir, removeWorkdir } from "../../src/lab/workdirs.js";
import type { ProbeReport } from "../../src/probe/types.js";
import { isolateTmpdir, leftoverServers } from "../support/leftovers.js";

/**
 * What each proxy does with Proxy-Authorization and with two Authorization headers, measured with
 * the lab's correct configs and the probe as a plain echo backend. docs/troubleshooting.md states
 * these facts; this test keeps them true.
 */
const scope = isolateTmpdir();
const IDS = ["nginx-proxy-pass", "apache-proxy-pass", "haproxy-forward", "caddy-forward", "varnish-pass", "node-forward"] as const;
const running = new Map<string, { deployment: Deployment; dir: string }>();

function get(url: string, headers: Record<string, string | string[]>): Promise<{ status: number; report: ProbeReport | null }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => {
        let report: ProbeReport | null = null;
        try {
          report = JSON.parse(body) as ProbeReport;
        } catch {
          // not a report: the proxy answered itself
        }
        resolve({ status: res.statusCode ?? 0, report });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  const catalog = loadCatalog();
  for (const id of IDS) {
    const scenario = catalog.find((s) => s.id === id);
    if (!scenario) throw new Error(`no scenario ${id}`);
    const missing = missingRequirement(scenario);
    if (missing) throw new Error(`${id} cannot run here: ${missing}`);
    const dir = makeWorkdir();
    running.set(id, { deployment: await startDeployment(scenario, dir), dir });
  }
}, 60_000);

afterAll(async () => {
  for (const { deployment, dir } of running.values()) {
    await deployment.stop();
    removeWorkdir(dir);
  }
  expect(leftoverServers(scope)).toEqual([]);
});

const url = (id: string) => `${running.get(id)?.deployment.url}${LAB_PATH}`;

describe("Proxy-Authorization through each first proxy", () => {
  it.each([
    ["nginx-proxy-pass", true],
    ["apache-proxy-pass", true],
    ["haproxy-forward", true],
    ["node-forward", true],
    ["caddy-forward", false],
    ["varnish-pass", false],
  ] as const)("%s forwards it: %s", async (id, forwarded) => {
    const { report } = await get(url(id), { "Proxy-Authorization": "Basic dXNlcjpwYXNz" });
    expect(report?.headers.some(([n]) => n.toLowerCase() === "proxy-authorization")).toBe(forwarded);
  });
});

describe("two Authorization headers", () => {
  it("nginx refuses the request with 400", async () => {
    expect((await get(url("nginx-proxy-pass"), { Authorization: ["Bearer aaaaaaaa", "Bearer bbbbbbbb"] })).status).toBe(400);
  });

  it("Apache merges them into one value: 'Bearer a, Bearer b'", async () => {
    const { report } = await get(url("apache-proxy-pass"), { Authorization: ["Bearer aaaaaaaa", "Bearer bbbbbbbb"] });
    expect(report?.authorization).toMatchObject({ count: 1, length: "Bearer aaaaaaaa, Bearer bbbbbbbb".length });
    expect(report?.authorization.problems.map((p) => p.code)).toContain("comma_merged");
  });

  it("the Node gateway (http-proxy) forwards only the first", async () => {
    const { report } = await get(url("node-forward"), { Authorization: ["Bearer aaaaaaaa", "Bearer bbbbbbbb"] });
    expect(report?.authorization).toMatchObject({ count: 1, length: "Bearer aaaaaaaa".length });
  });

  it.each(["haproxy-forward", "caddy-forward", "varnish-pass"])("%s forwards both", async (id) => {
    const { report } = await get(url(id), { Authorization: ["Bearer aaaaaaaa", "Bearer bbbbbbbb"] });
    expect(report?.authorization.count).toBe(2);
  });
});
