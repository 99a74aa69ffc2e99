import { describe, expect, it } from "vitest";
import { missingRequirement, programsOf } from "../../src/lab/availability.js";
import { loadCatalog } from "../../src/lab/catalog.js";
import { SERVERS } from "../../src/lab/scenario.js";
import { runCliAsync, startCli } from "../support/cli.js";
import { isolateTmpdir, type ProcessInfo, processTree, stillRunning } from "../support/leftovers.js";

// `kill -9` of `lab up` leaves its servers running (each is in a process group of its own): the
// next lab run must find and stop every one of them, whatever the server does to its environment
// (nginx and PHP-FPM overwrite it with their process title).

isolateTmpdir();

/** Together these start every server kind the lab has; the Node ones run inside the lab process. */
const SCENARIOS = ["haproxy-nginx-ok", "nginx-varnish-pass", "caddy-gateway-ok", "apache-gunicorn", "nginx-uwsgi", "nginx-php-fpm"];
const APP_SERVERS = ["gunicorn", "uwsgi", "php-fpm"];
/** How each program shows in /proc/PID/cmdline. */
const CMDLINE: Record<string, RegExp> = {
  nginx: /nginx/,
  apache: /apache2|httpd/,
  haproxy: /haproxy/,
  caddy: /caddy/,
  varnish: /varnishd/,
  gunicorn: /gunicorn/,
  uwsgi: /uwsgi/,
  "php-fpm": /php-fpm/,
};

const catalog = loadCatalog();
const scenarios = SCENARIOS.map((id) => {
  const scenario = catalog.find((s) => s.id === id);
  if (!scenario) throw new Error(`no scenario ${id} in proxy-configs/scenarios.yaml`);
  return scenario;
});

async function until(done: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function killGroups(procs: readonly ProcessInfo[]): void {
  for (const p of procs) {
    try {
      process.kill(-p.group, "SIGKILL");
    } catch {
      // gone
    }
  }
}

describe("after kill -9 of lab up, the next lab run stops every server of the dead run", () => {
  it("the scenarios cover every server kind, and this machine has them all", () => {
    const kinds = new Set(scenarios.flatMap((s) => s.stack));
    for (const kind of [...SERVERS, ...APP_SERVERS]) expect(kinds, `no scenario here starts ${kind}`).toContain(kind);
    for (const s of scenarios) expect(missingRequirement(s), s.id).toBeNull();
  });

  it("nginx, Apache, HAProxy, Caddy, Varnish, gunicorn, uWSGI, PHP-FPM and the Node servers", async () => {
    const runs = await Promise.all(scenarios.map((s) => startCli(["lab", "up", s.id]).then((up) => ({ scenario: s, up }))));
    const snapshots = new Map<string, ProcessInfo[]>();
    try {
      for (const { scenario, up } of runs) {
        await until(() => up.output().includes("Ctrl-C stops it."), `lab up ${scenario.id}`);
        const tree = processTree(up.child.pid as number);
        snapshots.set(scenario.id, tree);
        for (const program of programsOf(scenario)) {
          expect(tree.some((p) => CMDLINE[program]?.test(p.cmdline)), `${scenario.id}: a ${program} process`).toBe(true);
        }
      }
      await Promise.all(
        runs.map(({ up }) => {
          const exited = new Promise((r) => up.child.once("exit", r));
          up.child.kill("SIGKILL");
          return exited;
        }),
      );
      // The servers outlive the lab process (their own groups): what the next run has to stop.
      for (const { scenario } of runs) {
        expect(stillRunning(snapshots.get(scenario.id) ?? []).length, `${scenario.id} left servers`).toBeGreaterThan(0);
      }
      const next = await runCliAsync(["lab", "--scenario", "node-forward"]);
      expect(next.status, next.stderr).toBe(0);
      expect(next.stderr).toMatch(/cleaned up after a run that did not stop/);
      for (const { scenario } of runs) {
        const left = stillRunning(snapshots.get(scenario.id) ?? []).map((p) => `${p.pid} ${p.cmdline}`);
        expect(left, `${scenario.id}: still running after the next lab run`).toEqual([]);
      }
    } finally {
      // Whatever the reaper missed is not left to the rest of the suite.
      for (const tree of snapshots.values()) killGroups(stillRunning(tree));
    }
  }, 180_000);
});
