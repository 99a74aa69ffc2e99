import { chmodSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AuthprobeError } from "../errors.js";
import { PROGRAMS } from "./binaries.js";
import { labRuntimeDir, readSmallOwnFile, unsafeDirReason } from "./private-dirs.js";
import { LAB_DIR_VARIABLE } from "./processes.js";

/** Every directory the lab makes starts with this; each holds owner.pid, the lab process's pid. */
export const WORKDIR_PREFIX = "authprobe-lab-";
/** Apache's workers (www-data, when run as root) must read the probes: staged under /tmp. */
export const APACHE_STAGING_PREFIX = "/tmp/authprobe-apache-";
const OWNER_FILE = "owner.pid";
/** A directory of ours with no readable owner.pid yet is being made: dead only after this. */
const MAKING_MS = 10_000;

/** Directories a running lab must remove even when it is interrupted mid-start. */
const pending = new Set<string>();

/** mkdtemp makes a fresh name atomically (never an existing one, never through a symlink). */
function makeOwnDir(base: string, prefix: string, mode: number): string {
  const dir = mkdtempSync(join(base, prefix));
  chmodSync(dir, mode);
  const reason = unsafeDirReason(dir);
  if (reason) {
    rmSync(dir, { recursive: true, force: true });
    throw new AuthprobeError("LAB_DIR_UNSAFE", `${dir} ${reason} right after it was made: the lab will not use it`);
  }
  writeFileSync(join(dir, OWNER_FILE), `${process.pid}\n`, { flag: "wx", mode: 0o644 });
  pending.add(dir);
  return dir;
}

export function makeWorkdir(base = tmpdir(), prefix = WORKDIR_PREFIX): string {
  return makeOwnDir(base, prefix, 0o700);
}

/** World-readable (Apache's www-data workers read it), writable only by us. */
export function makeStagingDir(): string {
  return makeOwnDir("/tmp", APACHE_STAGING_PREFIX.slice("/tmp/".length), 0o755);
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
  const text = readSmallOwnFile(join(dir, OWNER_FILE));
  if (text === null) {
    // Not written yet by a run making it (or not a plain file of ours): dead once it is old.
    try {
      return Date.now() - lstatSync(dir).mtimeMs < MAKING_MS;
    } catch {
      return false;
    }
  }
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return false;
  try {
    return /authprobe|vitest|node/.test(readFileSync(`/proc/${pid}/cmdline`, "utf8"));
  } catch {
    return false;
  }
}

/**
 * The lab directory a process was started for, from its environment (children inherit it). nginx
 * and PHP-FPM overwrite their environment with their process title, so a lab server is also known
 * by its working directory, which the lab sets inside the run's directory for every server.
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

/** Whether a process belongs to one of these directories (or a directory inside one). */
export function belongsTo(pid: string, dirs: readonly string[]): boolean {
  const dir = labDirOf(pid);
  return dir !== null && dirs.some((d) => dir === d || dir.startsWith(`${d}/`));
}

export interface Reaped {
  killed: string[];
  removed: string[];
}

/** Lab directories in `base` with this prefix that we made: real directories of ours only. */
function ownDirs(base: string, prefix: string): string[] {
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return [];
  }
  return names
    .filter((d) => d.startsWith(prefix))
    .map((d) => join(base, d))
    .filter((d) => unsafeDirReason(d) === null);
}

/** The process group of a pid, from /proc/PID/stat ("pid (comm) state ppid pgrp ..."). */
function groupOf(pid: string): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const group = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
    return Number.isInteger(group) && group > 1 ? group : null;
  } catch {
    return null;
  }
}

/** SIGKILLs every process of these directories, and the groups they lead, until a scan finds none. */
function killRunProcesses(dead: readonly string[]): string[] {
  const killed = new Set<string>();
  const ownGroup = groupOf(String(process.pid));
  // A server may fork (or respawn a worker) between a scan and the kill: scan again.
  for (let round = 0; round < 5; round++) {
    const found = readdirSync("/proc").filter((d) => /^\d+$/.test(d) && belongsTo(d, dead));
    if (found.length === 0) break;
    for (const pid of found) {
      const group = groupOf(pid);
      try {
        // The lab starts each server in a group of its own: what the server forked goes with it.
        if (group !== null && group !== ownGroup && found.includes(String(group))) process.kill(-group, "SIGKILL");
        process.kill(Number(pid), "SIGKILL");
        killed.add(pid);
      } catch {
        // gone already
      }
    }
  }
  return [...killed];
}

/**
 * What a run that died (SIGKILL, a crash) left: lab directories of ours whose owner is gone, and
 * the servers started for them (found by their environment or working directory). Another user's
 * directories with our names are never read, removed, or used to pick processes.
 */
export function reapDeadRuns(base = tmpdir()): Reaped {
  // Every lab run starts here: an unsafe private directory stops it before anything starts.
  labRuntimeDir();
  const candidates = [...ownDirs(base, WORKDIR_PREFIX), ...ownDirs("/tmp", APACHE_STAGING_PREFIX.slice("/tmp/".length))];
  const dead = [...new Set(candidates)].filter((dir) => !pending.has(dir) && !ownerAlive(dir));
  const killed = dead.length ? killRunProcesses(dead) : [];
  const removed: string[] = [];
  for (const dir of dead) {
    try {
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // another run removes it at the same moment
    }
  }
  return { killed, removed };
}
