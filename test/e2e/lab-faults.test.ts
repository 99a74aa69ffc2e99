import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { APACHE_STAGING_PREFIX, WORKDIR_PREFIX } from "../../src/lab/workdirs.js";
import { BIN, ROOT, runCliAsync, startCli } from "../support/cli.js";
import { isolateTmpdir, leftoverServers } from "../support/leftovers.js";

const scope = isolateTmpdir();
// Apache staging, PHP-FPM and a Node probe: every kind of thing a start-up can leave behind.
const SCENARIO = "apache-fpm-sethandler-on";

function ourDirs(ownerPid: number): string[] {
  const inScope = readdirSync(scope).filter((d) => d.startsWith(WORKDIR_PREFIX)).map((d) => join(scope, d));
  const staged = readdirSync("/tmp")
    .map((d) => `/tmp/${d}`)
    .filter((d) => d.startsWith(APACHE_STAGING_PREFIX))
    .filter((d) => existsSync(join(d, "owner.pid")) && readFileSync(join(d, "owner.pid"), "utf8").trim() === String(ownerPid));
  return [...inScope, ...staged];
}

describe("the lab under signals", () => {
  it("SIGINT at any moment of lab up's start-up: exit 130, no server and no directory left (20 runs)", async () => {
    for (let run = 0; run < 20; run++) {
      const child = spawn(process.execPath, [BIN, "lab", "up", SCENARIO], { cwd: ROOT, stdio: "ignore" });
      const exited = new Promise<{ code: number | null; signal: string | null }>((r) => child.once("exit", (code, signal) => r({ code, signal })));
      // Spread over start-up: before the handlers exist, while servers start, once all run.
      await new Promise((r) => setTimeout(r, (run * 47) % 900));
      child.kill("SIGINT");
      const { code, signal } = await exited;
      expect(code === 130 || signal === "SIGINT", `run ${run}: code ${code}, signal ${signal}`).toBe(true);
      expect(leftoverServers(scope), `run ${run}`).toEqual([]);
      expect(ourDirs(child.pid as number), `run ${run}`).toEqual([]);
    }
  }, 120_000);

  it("SIGTERM exits 143", async () => {
    const up = await startCli(["lab", "up", "node-forward"]);
    const exited = new Promise<number | null>((r) => up.child.once("exit", (code) => r(code)));
    up.child.kill("SIGTERM");
    expect(await exited).toBe(143);
  });

  it("after SIGKILL, the next lab run stops what the dead one left and says so", async () => {
    const up = await startCli(["lab", "up", SCENARIO]);
    for (let i = 0; i < 300 && !up.output().includes("Ctrl-C stops it."); i++) await new Promise((r) => setTimeout(r, 10));
    const pid = up.child.pid as number;
    const exited = new Promise((r) => up.child.once("exit", r));
    up.child.kill("SIGKILL");
    await exited;
    expect(leftoverServers(scope).length).toBeGreaterThan(0);
    expect(ourDirs(pid).length).toBeGreaterThan(0);
    const next = await runCliAsync(["lab", "--scenario", "node-forward"]);
    expect(next.status).toBe(0);
    expect(next.stderr).toMatch(/cleaned up after a run that did not stop: \d+ server process\(es\) \(pid [\d, ]+\), \d+ directory/);
    expect(leftoverServers(scope)).toEqual([]);
    expect(ourDirs(pid)).toEqual([]);
  });
});
