import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BIN, type CliResult, ROOT } from "../support/cli.js";

// The lab runs as root here. Any local user can create names in /tmp before it does: it must trust
// nothing there that it did not create. Each test plants files as nobody (setpriv) in a stand-in
// for /tmp, then runs the built CLI in a private mount namespace where that stand-in is /tmp, so
// the lab's real paths are used and no other process on the machine sees the plants. Planted
// symlinks point at a canary file, never at a real system file.

const NOBODY = 65534;
const AS_NOBODY = ["--reuid=65534", "--regid=65534", "--clear-groups"];
/** Enough for the lab; reading /dev/zero to the end would pass it fast and crash, not swap. */
const MEMORY_CAP = 2 ** 31;
const CANARY_TEXT = "root:canary-not-a-real-shadow-file:19000:0:99999:7:::\n";

for (const [tool, pkg] of [["unshare", "util-linux"], ["setpriv", "util-linux"], ["prlimit", "util-linux"], ["mkfifo", "coreutils"]]) {
  if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0) throw new Error(`${tool} is missing: apt-get install -y ${pkg}`);
}
if (process.getuid?.() !== 0) throw new Error("these tests plant files as another user: run them as root (sudo npx vitest run test/e2e/lab-tmp-safety.test.ts)");

let fakeTmp: string;
const planted: number[] = [];

beforeEach(() => {
  // Like /tmp: world-writable and sticky. Its name matches none of the lab's, so no lab elsewhere looks.
  fakeTmp = mkdtempSync("/tmp/authprobe-tmp-safety-");
  chmodSync(fakeTmp, 0o1777);
  mkdirSync(join(fakeTmp, "canary"), { mode: 0o755 });
  writeFileSync(join(fakeTmp, "canary", "shadow"), CANARY_TEXT, { mode: 0o600 });
  // Old enough that a stale-mark rewrite would apply to it.
  const old = new Date(Date.now() - 2 * 3600_000);
  utimesSync(join(fakeTmp, "canary", "shadow"), old, old);
});

afterEach(() => {
  for (const pid of planted.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone
    }
  }
  rmSync(fakeTmp, { recursive: true, force: true });
});

/** The path as the lab sees it (inside the namespace) and as this test sees it. */
const inLab = (name: string) => `/tmp/${name}`;
const here = (name: string) => join(fakeTmp, name);

function canaryIntact(): void {
  const file = here("canary/shadow");
  expect(readFileSync(file, "utf8")).toBe(CANARY_TEXT);
  expect(Date.now() - statSync(file).mtimeMs).toBeGreaterThan(3600_000);
}

/** Runs a shell script as nobody in the stand-in for /tmp. */
function asNobody(script: string): void {
  const r = spawnSync("setpriv", [...AS_NOBODY, "sh", "-ec", script], { cwd: fakeTmp, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`planting as nobody failed: ${r.stderr}`);
}

/** The built CLI as root with the stand-in mounted on /tmp; killed (and reported) if it hangs. */
function labInPrivateTmp(args: string[], timeoutMs = 30_000): Promise<CliResult & { timedOut: boolean }> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), FAKE_TMP: fakeTmp, TMPDIR: "/tmp", NO_COLOR: "1" };
  delete env.XDG_RUNTIME_DIR;
  // A checkout under /tmp (a CI clone, say) would vanish under the stand-in: it is bound back at
  // the same path inside it first, so the CLI and its node_modules stay where they were.
  const underTmp = ROOT.startsWith("/tmp/") ? ROOT.replace(/\/+$/, "").slice("/tmp/".length) : "";
  if (underTmp) env.ROOT_UNDER_TMP = underTmp;
  const rebind = underTmp ? `mkdir -p "$FAKE_TMP/$ROOT_UNDER_TMP" && mount --bind "/tmp/$ROOT_UNDER_TMP" "$FAKE_TMP/$ROOT_UNDER_TMP" && ` : "";
  const script = `${rebind}mount --rbind "$FAKE_TMP" /tmp && exec prlimit --data=${MEMORY_CAP} "$0" "$@"`;
  // Every step execs the next, so the pid is the CLI's own.
  const child = spawn("unshare", ["--mount", "--propagation", "private", "sh", "-ec", script, process.execPath, BIN, ...args], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.once("exit", (status, signal) => {
      clearTimeout(timer);
      resolve({ status: status ?? (signal ? 128 : null), stdout, stderr, timedOut });
    });
  });
}

function portPickRange(): { low: number; high: number } {
  const ephemeralLow = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
  return { low: ephemeralLow - 12_768, high: ephemeralLow - 1 };
}

describe("the port registry under a hostile /tmp", () => {
  it("never writes through symlinks another user planted in /tmp/authprobe-ports", async () => {
    const { low, high } = portPickRange();
    // Every port the lab may pick is a symlink to the canary (as it would be to /etc/shadow).
    const plant = `const fs = require("fs"); fs.mkdirSync(${JSON.stringify(here("authprobe-ports"))}, { mode: 0o755 });
      for (let p = ${low}; p <= ${high}; p++) fs.symlinkSync(${JSON.stringify(inLab("canary/shadow"))}, ${JSON.stringify(here("authprobe-ports"))} + "/" + p);`;
    const r = spawnSync("setpriv", [...AS_NOBODY, process.execPath, "-e", plant], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    // node-upstream-down picks a port for its dead upstream: one freePort() in a whole lab run.
    const lab = await labInPrivateTmp(["lab", "--scenario", "node-upstream-down"]);
    canaryIntact();
    expect(lab.timedOut).toBe(false);
    expect(lab.status, lab.stderr).toBe(0);
    const own = lstatSync(here("authprobe-0"));
    expect({ dir: own.isDirectory(), uid: own.uid, mode: own.mode & 0o777 }).toEqual({ dir: true, uid: 0, mode: 0o700 });
    expect(lstatSync(here("authprobe-ports")).uid).toBe(NOBODY);
  }, 60_000);

  it("refuses its private directory when another user made it, when it is a symlink, or when others can write it", async () => {
    const cases: { plant: () => void; reason: RegExp }[] = [
      {
        plant: () => asNobody(`mkdir -m 755 authprobe-0 authprobe-0/ports && for p in $(seq ${portPickRange().low} ${portPickRange().low + 50}); do ln -s ${inLab("canary/shadow")} authprobe-0/ports/$p; done`),
        reason: /\/tmp\/authprobe-0 is owned by uid 65534, not 0/,
      },
      { plant: () => asNobody(`ln -s ${inLab("canary")} authprobe-0`), reason: /\/tmp\/authprobe-0 is a symlink/ },
      {
        plant: () => {
          mkdirSync(here("authprobe-0"));
          chmodSync(here("authprobe-0"), 0o777);
        },
        reason: /\/tmp\/authprobe-0 is writable by others/,
      },
    ];
    for (const { plant, reason } of cases) {
      rmSync(here("authprobe-0"), { recursive: true, force: true });
      plant();
      const lab = await labInPrivateTmp(["lab", "--scenario", "node-upstream-down"]);
      canaryIntact();
      expect(lab.status, `${reason}: ${lab.stderr}`).toBe(3);
      expect(lab.stderr.trim().split("\n")).toHaveLength(1);
      expect(lab.stderr).toMatch(reason);
      expect(lab.stdout).toBe("");
    }
  }, 90_000);
});

describe("the dead-run reaper under a hostile /tmp", () => {
  const PREFIXES = ["authprobe-lab-", "authprobe-apache-"];

  it("does not block on a FIFO planted as owner.pid", async () => {
    asNobody(PREFIXES.map((p) => `mkdir -m 755 ${p}fifo && mkfifo -m 644 ${p}fifo/owner.pid`).join(" && "));
    const lab = await labInPrivateTmp(["lab", "--scenario", "node-forward"]);
    expect(lab.timedOut, "the lab hung on the FIFO").toBe(false);
    expect(lab.status, lab.stderr).toBe(0);
    for (const p of PREFIXES) expect(lstatSync(here(`${p}fifo/owner.pid`)).isFIFO()).toBe(true);
  }, 60_000);

  it("does not read /dev/zero through a symlink planted as owner.pid", async () => {
    asNobody(PREFIXES.map((p) => `mkdir -m 755 ${p}zero && ln -s /dev/zero ${p}zero/owner.pid`).join(" && "));
    const lab = await labInPrivateTmp(["lab", "--scenario", "node-forward"]);
    expect(lab.timedOut).toBe(false);
    expect(lab.status, lab.stderr).toBe(0);
    for (const p of PREFIXES) expect(lstatSync(here(`${p}zero/owner.pid`)).isSymbolicLink()).toBe(true);
  }, 60_000);

  it("leaves another user's dead-looking directory alone, and the process it marks", async () => {
    asNobody(PREFIXES.map((p) => `mkdir -m 755 ${p}dead && echo 999999999 > ${p}dead/owner.pid`).join(" && "));
    const marked = spawn("setpriv", [...AS_NOBODY, "env", `AUTHPROBE_LAB_DIR=${inLab("authprobe-lab-dead")}`, "sleep", "120"], { stdio: "ignore" });
    planted.push(marked.pid as number);
    const lab = await labInPrivateTmp(["lab", "--scenario", "node-forward"]);
    expect(lab.status, lab.stderr).toBe(0);
    expect(lab.stderr).not.toMatch(/cleaned up/);
    expect(marked.exitCode === null && marked.signalCode === null, "the marked process was killed").toBe(true);
    for (const p of PREFIXES) expect(existsSync(here(`${p}dead/owner.pid`)), `${p}dead removed`).toBe(true);
  }, 60_000);

  it("still removes a dead run's directory of its own, even with a FIFO for owner.pid", async () => {
    mkdirSync(here("authprobe-lab-ownfifo"), { mode: 0o700 });
    spawnSync("mkfifo", [here("authprobe-lab-ownfifo/owner.pid")]);
    const old = new Date(Date.now() - 3600_000);
    utimesSync(here("authprobe-lab-ownfifo"), old, old);
    const lab = await labInPrivateTmp(["lab", "--scenario", "node-forward"]);
    expect(lab.timedOut).toBe(false);
    expect(lab.status, lab.stderr).toBe(0);
    expect(existsSync(here("authprobe-lab-ownfifo"))).toBe(false);
  }, 60_000);
});
