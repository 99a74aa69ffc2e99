import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WORKDIR_PREFIX } from "../../src/lab/matrix.js";
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
