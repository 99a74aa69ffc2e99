import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROGRAMS } from "./binaries.js";
import { LAB_DIR_VARIABLE } from "./processes.js";

/** Every directory the lab makes starts with this; each holds owner.pid, the lab process's pid. */
export const WORKDIR_PREFIX = "authprobe-lab-";
/** Apache's workers (www-data, when run as root) must read the probes: staged under /tmp. */
export const APACHE_STAGING_PREFIX = "/tmp/authprobe-apache-";
const OWNER_FILE = "owner.pid";

/** Directories a running lab must remove even when it is interrupted mid-start. */
const pending = new Set<string>();

export function makeWorkdir(base = tmpdir(), prefix = WORKDIR_PREFIX): string {
  const dir = mkdtempSync(join(base, prefix));
  writeFileSync(join(dir, OWNER_FILE), `${process.pid}\n`);
  pending.add(dir);
  return dir;
}

export function makeStagingDir(): string {
  return makeWorkdir("/tmp", "authprobe-apache-");
}

export function removeWorkdir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  pending.delete(dir);
}

/** On Ctrl-C: whatever this process made and has not removed yet. */
export function removeAllWorkdirs(): void {
  for (const dir of [...pending]) removeWorkdir(dir);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether a directory's owner is still a running authprobe (not a reused pid of something else). */
function ownerAlive(dir: string): boolean {
  const file = join(dir, OWNER_FILE);
  if (!existsSync(file)) return false;
  const pid = Number(readFileSync(file, "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return false;
  try {
    return /authprobe|vitest|node/.test(readFileSync(`/proc/${pid}/cmdline`, "utf8"));
  } catch {
    return false;
  }
}

/**
 * The lab directory a process was started for, from its environment (children inherit it). PHP-FPM
 * overwrites its environment with its process title, so a lab server is also known by its working
 * directory, which the lab sets inside the run's directory.
 */
export function labDirOf(pid: string): string | null {
  try {
    const env = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
    const marked = env.find((e) => e.startsWith(`${LAB_DIR_VARIABLE}=`))?.slice(LAB_DIR_VARIABLE.length + 1);
    if (marked) return marked;
    // Only the programs the lab starts are recognised by their working directory alone.
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    if (!PROGRAMS.some((program) => cmdline.includes(program))) return null;
    return readlinkSync(`/proc/${pid}/cwd`).replace(/ \(deleted\)$/, "");
  } catch {
    return null;
  }
}

export interface Reaped {
  killed: string[];
  removed: string[];
}

/**
 * What a run that died (SIGKILL, a crash) left: lab directories whose owner is gone, and the servers
 * started for them, found by the directory marked in their environment. Only those are touched.
 */
export function reapDeadRuns(base = tmpdir()): Reaped {
  const candidates = [
    ...(existsSync(base) ? readdirSync(base).filter((d) => d.startsWith(WORKDIR_PREFIX)).map((d) => join(base, d)) : []),
    ...readdirSync("/tmp").filter((d) => `/tmp/${d}`.startsWith(APACHE_STAGING_PREFIX)).map((d) => `/tmp/${d}`),
  ];
  const dead = [...new Set(candidates)].filter((dir) => !pending.has(dir) && !ownerAlive(dir));
  const killed: string[] = [];
  if (dead.length) {
    for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
      const dir = labDirOf(pid);
      if (dir && dead.some((d) => dir === d || dir.startsWith(`${d}/`))) {
        try {
          process.kill(Number(pid), "SIGKILL");
          killed.push(pid);
        } catch {
          // gone already
        }
      }
    }
  }
  for (const dir of dead) rmSync(dir, { recursive: true, force: true });
  return { killed, removed: dead };
}
