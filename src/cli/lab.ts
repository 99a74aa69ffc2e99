import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { UsageError } from "../errors.js";
import { missingRequirement } from "../lab/availability.js";
import { loadCatalog } from "../lab/catalog.js";
import { type Deployment, startDeployment } from "../lab/deployment.js";
import { type LabResult, runLab, WORKDIR_PREFIX } from "../lab/matrix.js";
import { LAB_PATH } from "../lab/observe.js";
import { stopAllProcesses } from "../lab/processes.js";
import { type Scenario, SERVERS } from "../lab/scenario.js";
import { EXIT } from "./exit-codes.js";
import { renderLabMatrix } from "./render-lab.js";
import { styler, useColour } from "./style.js";

interface LabOptions {
  proxy?: string;
  scenario?: string;
  json?: boolean;
}

/** Ctrl-C: stop every server we started, then exit 130 like a shell would. */
function stopOnInterrupt(cleanup: () => Promise<void> = async () => {}): void {
  const handler = () => {
    void Promise.all([stopAllProcesses(), cleanup()]).finally(() => process.exit(130));
  };
  process.once("SIGINT", handler);
  process.once("SIGTERM", handler);
}

function select(all: Scenario[], opts: LabOptions): Scenario[] {
  if (opts.proxy && !(SERVERS as readonly string[]).includes(opts.proxy)) {
    throw new UsageError(`--proxy must be one of ${SERVERS.join(", ")}, got '${opts.proxy}'`);
  }
  if (opts.scenario && !all.some((s) => s.id === opts.scenario)) {
    throw new UsageError(`--scenario: no scenario '${opts.scenario}' in proxy-configs/scenarios.yaml`);
  }
  return all.filter(
    (s) => (!opts.proxy || s.server === opts.proxy) && (!opts.scenario || s.id === opts.scenario),
  );
}

async function runMatrix(opts: LabOptions): Promise<void> {
  const scenarios = select(loadCatalog(), opts);
  stopOnInterrupt();
  const progress = !opts.json && process.stderr.isTTY;
  const started = Date.now();
  const results: LabResult[] = await runLab(scenarios, {
    onResult: (r, done, total) => {
      if (progress) process.stderr.write(`\r\x1b[K[${done}/${total}] ${r.id}: ${r.status}`);
    },
  });
  if (progress) process.stderr.write("\r\x1b[K");
  if (opts.json) process.stdout.write(`${JSON.stringify({ results })}\n`);
  else
    process.stdout.write(renderLabMatrix(results, styler(useColour(process.stdout)), Date.now() - started));
  process.exitCode = results.some((r) => r.status === "fail") ? EXIT.findings : EXIT.ok;
}

async function up(id: string | undefined): Promise<void> {
  if (!id) throw new UsageError("lab up needs a scenario id, e.g. authprobe lab up apache-wsgi-passauth-off");
  const [scenario] = select(loadCatalog(), { scenario: id });
  if (!scenario) throw new UsageError(`lab up: no scenario '${id}'`);
  const missing = missingRequirement(scenario);
  if (missing) throw new UsageError(`lab up ${id}: ${missing}`);
  const workdir = mkdtempSync(join(tmpdir(), WORKDIR_PREFIX));
  let deployment: Deployment | null = null;
  // Before anything starts: a Ctrl-C during start-up must still stop what did start.
  stopOnInterrupt(async () => {
    await deployment?.stop();
    rmSync(workdir, { recursive: true, force: true });
  });
  deployment = await startDeployment(scenario, workdir).catch((err) => {
    rmSync(workdir, { recursive: true, force: true });
    throw err;
  });
  const url = `${deployment.url}${LAB_PATH}`;
  process.stdout.write(
    [
      `${scenario.id}: ${scenario.title}`,
      `  entry:     ${deployment.url} (${scenario.server}${scenario.gateway ? " > node gateway" : ""} > ${scenario.upstream})`,
      `  config:    proxy-configs/${scenario.config}${scenario.gateway ? `, proxy-configs/${scenario.gateway}` : ""}`,
      `  expected:  ${scenario.expect.outcome}${scenario.fixedBy ? ` (fixed by ${scenario.fixedBy})` : ""}`,
      ...deployment.hops.flatMap((h) =>
        h.hopEcho ? [`  hop echo:  ${deployment.url}${h.hopEcho.path}`] : [],
      ),
      "try:",
      `  curl -s -H "Authorization: Bearer $(authprobe token)" ${url}`,
      `  authprobe doctor ${url}`,
      "Ctrl-C stops it.",
      "",
    ].join("\n"),
  );
  // Keep the event loop alive until a signal arrives.
  setInterval(() => {}, 1 << 30);
}

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
    .action(async (action: string | undefined, id: string | undefined, opts: LabOptions) => {
      if (action === undefined) return runMatrix(opts);
      if (action === "up") return up(id);
      throw new UsageError(`lab: unknown action '${action}' (did you mean 'lab up ${action}'?)`);
    });
}
