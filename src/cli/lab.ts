import type { Command } from "commander";
import { UsageError } from "../errors.js";
import { SERVERS } from "../lab/front-servers.js";
import type { LabOptions } from "./lab-run.js";

export function registerLab(program: Command): void {
  program
    .command("lab")
    .description(
      "run the proxy scenarios with real nginx, Apache and Node servers; 'lab up ID' keeps one running",
    )
    .argument("[action]", "'up' to keep one scenario running")
    .argument("[id]", "scenario id for 'up'")
    .option("--proxy <server>", `only scenarios whose first hop is ${SERVERS.join(", ")}`)
    .option("--scenario <id>", "only this scenario")
    .option("--json", "print {results: [...]} and nothing else")
    .option("--browser", "also call the browser scenarios from a real Chromium page on another origin")
    .action(async (action: string | undefined, id: string | undefined, opts: LabOptions) => {
      if (action !== undefined && action !== "up") {
        throw new UsageError(`lab: unknown action '${action}': use 'authprobe lab' to run the matrix, or 'authprobe lab up ID' to keep one scenario running`);
      }
      // The lab (zod, the catalog, the runners, playwright-core) loads only for this command.
      const { runMatrix, up } = await import("./lab-run.js");
      return action === undefined ? runMatrix(opts) : up(id);
    });
}
