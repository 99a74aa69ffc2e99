import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/lab/catalog.js";
import { runCliAsync, startCli, stopChild } from "../support/cli.js";
import { isolateTmpdir, leftoverServers } from "../support/leftovers.js";

const scope = isolateTmpdir();
const chains = loadCatalog().filter((s) => s.hops.length > 1 || s.tls);

/** The doctor command `lab up` prints after "try:", split as a shell would (no quoting is needed). */
function printedDoctorCommand(output: string): string[] {
  const line = output.split("\n").find((l) => l.trim().startsWith("authprobe doctor "));
  if (!line) throw new Error(`lab up printed no doctor command:\n${output}`);
  return line.trim().split(/\s+/).slice(1);
}

describe("lab up prints the doctor command that diagnoses the scenario", () => {
  it.each(chains.map((s) => [s.id, s] as const))("%s: run as printed, it reports the expected codes and blames the right hop", async (id, scenario) => {
    const up = await startCli(["lab", "up", id]);
    try {
      // The URL is printed first; wait for the rest of the block.
      for (let i = 0; i < 200 && !up.output().includes("Ctrl-C stops it."); i++) await new Promise((r) => setTimeout(r, 10));
      const args = printedDoctorCommand(up.output());
      const r = await runCliAsync([...args, "--json"]);
      const result = JSON.parse(r.stdout) as { findings: { code: string; server: string; severity: string }[] };
      expect(result.findings.map((f) => f.code).sort()).toEqual([...scenario.findings].sort());
      if (scenario.blame) {
        const top = result.findings.find((f) => f.severity === "error") ?? result.findings.find((f) => f.severity === "warning");
        expect(top?.server).toBe(scenario.blame);
      }
    } finally {
      await stopChild(up.child);
    }
    expect(leftoverServers(scope)).toEqual([]);
  });
});
