import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { AuthprobeError } from "../errors.js";

// The lab trusts nothing in /tmp it did not create. Any local user can create a name there first
// (a directory of theirs, a symlink, a FIFO), and the lab often runs as root: every path it reuses
// under /tmp is checked to be a real directory of ours that no one else can write, and files are
// read without following symlinks, without blocking, and only up to a few bytes.

/** The uid whose directories the lab trusts: the one running it (-1 where there are no uids). */
export function currentUid(): number {
  return process.getuid?.() ?? -1;
}

/** Why a directory is not safe to reuse, or null when it is a directory of ours only we can write. */
export function unsafeDirReason(path: string): string | null {
  let st: ReturnType<typeof lstatSync>;
  try {
    st = lstatSync(path);
  } catch (err) {
    return `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`;
  }
  if (st.isSymbolicLink()) return "is a symlink";
  if (!st.isDirectory()) return "is not a directory";
  const uid = currentUid();
  if (uid >= 0 && st.uid !== uid) return `is owned by uid ${st.uid}, not ${uid}`;
  if ((st.mode & 0o022) !== 0) return `is writable by ${st.mode & 0o002 ? "others" : "its group"} (mode ${(st.mode & 0o7777).toString(8)})`;
  return null;
}

/** Makes a 0700 directory (or reuses one of ours) and refuses any other kind of thing at that path. */
export function ensurePrivateDir(path: string): string {
  try {
    mkdirSync(path, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  const reason = unsafeDirReason(path);
  if (reason) {
    throw new AuthprobeError(
      "LAB_DIR_UNSAFE",
      `${path} ${reason}: the lab will not use it (another user may have created it). Remove it, or set XDG_RUNTIME_DIR to a private directory of yours`,
    );
  }
  return path;
}

/**
 * The lab's own directory for state shared by its runs (the port marks): under $XDG_RUNTIME_DIR when
 * that is a private directory of ours, else /tmp/authprobe-<uid>, made 0700 and checked each time.
 */
export function labRuntimeDir(env: NodeJS.ProcessEnv = process.env): string {
  const runtime = env.XDG_RUNTIME_DIR;
  // An inherited XDG_RUNTIME_DIR of someone else (sudo -E) is not ours: fall back rather than fail.
  if (runtime && isAbsolute(runtime) && unsafeDirReason(runtime) === null) return ensurePrivateDir(join(runtime, "authprobe"));
  return ensurePrivateDir(`/tmp/authprobe-${currentUid() >= 0 ? currentUid() : "user"}`);
}

/**
 * The first bytes of a small regular file of ours, or null for anything else: a symlink (never
 * followed), a FIFO or device (opened non-blocking, never read), another user's file, a big file.
 */
export function readSmallOwnFile(path: string, maxBytes = 64): string | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch {
    return null;
  }
  try {
    const st = fstatSync(fd);
    const uid = currentUid();
    if (!st.isFile() || st.size > maxBytes || (uid >= 0 && st.uid !== uid)) return null;
    const buffer = Buffer.alloc(maxBytes);
    const length = readSync(fd, buffer, 0, maxBytes, 0);
    return buffer.subarray(0, length).toString("utf8");
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
