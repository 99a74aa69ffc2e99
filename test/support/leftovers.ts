import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WORKDIR_PREFIX } from "../../src/lab/matrix.js";
import { parentOf } from "../../src/lab/port-owner.js";
import { labDirOf } from "../../src/lab/workdirs.js";

/**
 * Server processes whose command line points into a lab work directory (under `scope`, when given):
 * must be none. Test files run in parallel, so each scopes its check to its own TMPDIR.
 */
export function leftoverServers(scope = ""): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = `${readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ")} ${labDirOf(pid) ?? ""}`;
      if (cmd.includes(`${scope}`) && cmd.includes(WORKDIR_PREFIX) && !cmd.includes("vitest")) {
        found.push(`${pid}: ${cmd.trim()}`);
      }
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/** A private TMPDIR for this test file (and the CLIs it spawns), so leftover checks see only ours. */
export function isolateTmpdir(): string {
  const base = join(tmpdir(), "authprobe-tests");
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, "t-"));
  process.env.TMPDIR = dir;
  return dir;
}

/** A process as /proc shows it: its start time tells it apart from a later one with the same pid. */
export interface ProcessInfo {
  pid: number;
  start: string;
  group: number;
  state: string;
  cmdline: string;
}

function processInfo(pid: number): ProcessInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid pgrp ... starttime (field 22)": read after comm's closing parenthesis.
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
    return { pid, state: f[0] as string, group: Number(f[2]), start: f[19] as string, cmdline };
  } catch {
    return null;
  }
}

/** Every process descending from `root` (not root itself), found by parent links, not by markers. */
export function processTree(root: number): ProcessInfo[] {
  const tree: ProcessInfo[] = [];
  for (const entry of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    const pid = Number(entry);
    let p: number | null = parentOf(pid);
    for (let hops = 0; p !== null && p > 1 && p !== root && hops < 64; hops++) p = parentOf(p);
    const info = p === root && pid !== root ? processInfo(pid) : null;
    if (info) tree.push(info);
  }
  return tree;
}

/**
 * Of a snapshot, what still runs (zombies do not): the same processes (same start time), and any
 * other process in their process groups, such as a worker forked after the snapshot.
 */
export function stillRunning(snapshot: readonly ProcessInfo[]): ProcessInfo[] {
  // Not the test's own group: a short-lived child of the lab (openssl) may have been caught in it.
  const groups = new Set(snapshot.map((p) => p.group));
  groups.delete(processInfo(process.pid)?.group ?? -1);
  const known = new Map(snapshot.map((p) => [p.pid, p.start]));
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map((d) => processInfo(Number(d)))
    .filter((p): p is ProcessInfo => p !== null && p.state !== "Z")
    .filter((p) => known.get(p.pid) === p.start || groups.has(p.group));
}
