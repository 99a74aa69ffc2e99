import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { overrideVariable, PROGRAMS } from "../../src/lab/binaries.js";
import { runScenario } from "../../src/lab/matrix.js";
import { runCli, startCli, stopChild } from "../support/cli.js";
import { isolateTmpdir, leftoverServers } from "../support/leftovers.js";

const scope = isolateTmpdir();

describe("authprobe lab", () => {
  it("--proxy node --json prints exactly {results} with every Node row passing, exit 0", () => {
    const r = runCli(["lab", "--proxy", "node", "--json"]);
    expect(r.status).toBe(0);
    const parsed = JSON.parse(r.stdout);
    expect(Object.keys(parsed)).toEqual(["results"]);
    expect(parsed.results.length).toBeGreaterThanOrEqual(6);
    for (const row of parsed.results) {
      expect(row).toMatchObject({ server: "node", status: "pass" });
      expect(row).toHaveProperty("expected");
      expect(row).toHaveProperty("observed");
    }
  });

  it("without any server installed: Node-only rows pass, the rest are skipped with the install command, exit 0", () => {
    const r = runCli(["lab", "--json"], {
      ...Object.fromEntries(PROGRAMS.map((p) => [overrideVariable(p), `/nonexistent/${p}`])),
    });
    expect(r.status).toBe(0);
    const rows = JSON.parse(r.stdout).results as { server: string; status: string; reason?: string }[];
    for (const row of rows) {
      if (row.server === "node") expect(row.status).toBe("pass");
      else {
        expect(row.status).toBe("skipped");
        expect(row.reason).toMatch(/is not installed: apt-get install -y \S+/);
      }
    }
  });

  it("prints a matrix with one PASS row per scenario and a summary line", () => {
    const r = runCli(["lab", "--proxy", "apache"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^SCENARIO\s+SERVER\s+EXPECTED\s+OBSERVED\s+AT EACH HOP\s+DOCTOR\s+RESULT$/m);
    expect(r.stdout).toMatch(/apache-wsgi-passauth-off\s+apache\s+missing\s+missing\s+app:missing\s+AUTH_STRIPPED,UNDERSCORE_HEADER_DROPPED\s+PASS/);
    expect(r.stdout).toMatch(/^\d+ passed, 0 failed, 0 skipped in [\d.]+s$/m);
    expect(r.stdout).not.toContain("\x1b[");
    expect(leftoverServers(scope)).toEqual([]);
    // Every Apache scenario in one run: a few seconds idle, far more on a loaded machine.
  }, 90_000);

  it.each([
    [["lab", "--proxy", "lighttpd"], /--proxy must be one of nginx, apache, node, haproxy, caddy, varnish/],
    [["lab", "--scenario", "nope"], /no scenario 'nope'/],
    [["lab", "up"], /needs a scenario id/],
    [["lab", "down", "x"], /unknown action 'down'/],
  ])("%j is a usage error, exit 2", (args, message) => {
    const r = runCli(args as string[]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it("lab up keeps a scenario running, prints its URLs, and Ctrl-C leaves no process behind", async () => {
    const up = await startCli(["lab", "up", "apache-cgi-passauth-off"]);
    const res = await fetch(up.url, { headers: { Authorization: "Bearer abc" } });
    const report = (await res.json()) as { authorization: { present: boolean } };
    expect(report.authorization.present).toBe(false);
    expect(up.output()).toMatch(/curl -s -H "Authorization: Bearer \$\(authprobe token\)"/);
    expect(leftoverServers(scope).length).toBeGreaterThan(0);
    up.child.kill("SIGINT");
    expect(await new Promise((r) => up.child.once("exit", (code) => r(code)))).toBe(130);
    await stopChild(up.child);
    expect(leftoverServers(scope)).toEqual([]);
  });

  it("a server that fails to start fails its scenario with the error log, and leaves nothing running", async () => {
    const broken = join(tmpdir(), `authprobe-broken-${process.pid}.conf.template`);
    writeFileSync(
      broken,
      "server { listen $" + "{LISTEN_HOST}:$" + "{LISTEN_PORT}; no_such_directive on; }\n",
    );
    const result = await runScenario({
      id: "broken-start",
      title: "nginx refuses its config",
      server: "nginx",
      config: broken,
      hops: [{ server: "nginx", config: broken }],
      stack: ["nginx", "node"],
      upstream: "probe",
      send: {},
      expect: { outcome: "intact" },
      docs: "troubleshooting.md",
      findings: [],
    });
    expect(result.status).toBe("fail");
    expect(result.reason).toMatch(/unknown directive "no_such_directive"/);
    expect(leftoverServers(scope)).toEqual([]);
  });
});
