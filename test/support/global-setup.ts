import { lstatSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { leftoverServers } from "./leftovers.js";

/**
 * The run gets its own TMPDIR (inherited by test workers and every CLI they spawn), so the final
 * check sees only this run's servers, not those of another run on the same machine.
 */
/**
 * Apache's staging directories under /tmp made since `since` (they live outside the run's TMPDIR):
 * real directories of ours only, as the lab's reaper sees them (another user's are not the lab's).
 */
function stagingDirsSince(since: number): string[] {
  return readdirSync("/tmp")
    .filter((d) => d.startsWith("authprobe-apache-"))
    .map((d) => join("/tmp", d))
    .filter((d) => {
      try {
        const st = lstatSync(d);
        return st.isDirectory() && st.uid === process.getuid?.() && st.mtimeMs >= since;
      } catch {
        return false;
      }
    });
}

export function setup(): () => void {
  const started = Date.now();
  const runDir = mkdtempSync(join(tmpdir(), "authprobe-test-run-"));
  process.env.TMPDIR = runDir;
  // After the whole suite: not one nginx or Apache started by a lab may still be running. Vitest
  // only logs an error thrown here, so the exit code is set as well: the run fails.
  return () => {
    const left = leftoverServers(runDir);
    const dirs = stagingDirsSince(started);
    rmSync(runDir, { recursive: true, force: true });
    if (left.length > 0 || dirs.length > 0) {
      process.exitCode = 1;
      throw new Error(`left behind by the tests:\n${[...left, ...dirs].join("\n")}`);
    }
  };
}
