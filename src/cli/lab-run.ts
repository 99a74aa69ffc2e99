import { UsageError } from "../errors.js";
import { missingRequirement } from "../lab/availability.js";
import { type BrowserSession, CHROMIUM_INSTALL, chromiumPath, startBrowser } from "../lab/browser.js";
import { loadCatalog } from "../lab/catalog.js";
import { type Deployment, startDeployment } from "../lab/deployment.js";
import { type LabResult, runLab } from "../lab/matrix.js";
import { LAB_ORIGIN, LAB_PATH } from "../lab/constants.js";
import { stopAllProcesses } from "../lab/processes.js";
import { type Scenario, SERVERS } from "../lab/scenario.js";
import { makeWorkdir, reapDeadRuns, removeAllWorkdirs, removeWorkdir } from "../lab/workdirs.js";
import { EXIT } from "../exit-codes.js";
import { renderLabMatrix } from "./render-lab.js";
import { styler, useColour } from "./style.js";

export interface LabOptions {
  proxy?: string;
  scenario?: string;
  json?: boolean;
  browser?: boolean;
}

/** Ctrl-C or kill: stop every server we started, remove our directories, exit 130 or 143 like a shell. */
function stopOnInterrupt(cleanup: () => Promise<void> = async () => {}): void {
  const handler = (code: number) => () => {
    void Promise.all([stopAllProcesses(), cleanup()])
      .then(() => removeAllWorkdirs())
      .finally(() => process.exit(code));
  };
  process.once("SIGINT", handler(130));
  process.once("SIGTERM", handler(143));
}

/** A run that was killed left servers and directories: stop and remove them, and say so. */
function reapAndReport(): void {
  const { killed, removed } = reapDeadRuns();
  if (killed.length || removed.length) {
    process.stderr.write(
      `authprobe: cleaned up after a run that did not stop: ${killed.length} server process(es)${killed.length ? ` (pid ${killed.join(", ")})` : ""}, ${removed.length} directory(ies)${removed.length ? `: ${removed.join(", ")}` : ""}\n`,
    );
  }
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

export async function runMatrix(opts: LabOptions): Promise<void> {
  const scenarios = select(loadCatalog(), opts);
  let session: BrowserSession | null = null;
  stopOnInterrupt(async () => {
    await session?.close();
  });
  reapAndReport();
  if (opts.browser) {
    if (!chromiumPath()) throw new UsageError(`lab --browser needs Chromium: ${CHROMIUM_INSTALL} (or AUTHPROBE_CHROMIUM=/path/to/chromium)`);
    session = await startBrowser();
  }
  const progress = !opts.json && process.stderr.isTTY;
  const started = Date.now();
  const results: LabResult[] = await runLab(scenarios, {
    browser: session,
    onResult: (r, done, total) => {
      if (progress) process.stderr.write(`\r\x1b[K[${done}/${total}] ${r.id}: ${r.status}`);
    },
  }).finally(() => session?.close());
  if (progress) process.stderr.write("\r\x1b[K");
  if (opts.json) process.stdout.write(`${JSON.stringify({ results })}\n`);
  else
    process.stdout.write(renderLabMatrix(results, styler(useColour(process.stdout)), Date.now() - started));
  process.exitCode = results.some((r) => r.status === "fail") ? EXIT.findings : EXIT.ok;
}

/**
 * The doctor command that diagnoses this scenario as the lab does: every hop echo as --hop (so a
 * chain's loss is blamed on the right hop), the CA for TLS, and what the lab's client sends.
 */
export function doctorCommand(scenario: Scenario, deployment: Pick<Deployment, "url" | "hops" | "cacert">): string {
  const flags = [
    ...deployment.hops.flatMap((h) => (h.hopEcho ? [`--hop ${h.hopEcho.name}=${deployment.url}${h.hopEcho.path}`] : [])),
    ...(deployment.cacert ? [`--cacert ${deployment.cacert}`] : []),
    ...(scenario.send.tokenBytes ? [`--token-size ${scenario.send.tokenBytes}`] : []),
    ...(scenario.send.header ? [`--token-header ${scenario.send.header}`] : []),
    ...(scenario.send.preflight ? [`--origin ${LAB_ORIGIN}`] : []),
    ...(scenario.send.credentials ? ["--credentials"] : []),
  ];
  return ["authprobe doctor", `${deployment.url}${LAB_PATH}`, ...flags].join(" ");
}

export async function up(id: string | undefined): Promise<void> {
  if (!id) throw new UsageError("lab up needs a scenario id, e.g. authprobe lab up apache-wsgi-passauth-off");
  const scenario = loadCatalog().find((s) => s.id === id);
  if (!scenario) throw new UsageError(`lab up: no scenario '${id}' in proxy-configs/scenarios.yaml (authprobe lab --json lists them)`);
  const missing = missingRequirement(scenario);
  if (missing) throw new UsageError(`lab up ${id}: ${missing}`);
  // Before anything starts: a Ctrl-C during start-up must still stop what did start.
  let deployment: Deployment | null = null;
  stopOnInterrupt(async () => {
    await deployment?.stop();
  });
  reapAndReport();
  const workdir = makeWorkdir();
  deployment = await startDeployment(scenario, workdir).catch((err) => {
    removeWorkdir(workdir);
    throw err;
  });
  const url = `${deployment.url}${LAB_PATH}`;
  const command = doctorCommand(scenario, deployment);
  process.stdout.write(
    [
      `${scenario.id}: ${scenario.title}`,
      `  entry:     ${deployment.url} (${scenario.stack.join(" > ")})`,
      `  config:    ${[...scenario.hops.map((h) => h.config), ...(scenario.upstreamConfig ? [scenario.upstreamConfig] : [])].map((c) => `proxy-configs/${c}`).join(", ")}`,
      `  expected:  ${scenario.expect.outcome}${scenario.fixedBy ? ` (fixed by ${scenario.fixedBy})` : ""}`,
      ...deployment.hops.flatMap((h) =>
        h.hopEcho ? [`  hop echo:  ${deployment.url}${h.hopEcho.path}`] : [],
      ),
      "try:",
      `  curl -s${deployment.cacert ? ` --cacert ${deployment.cacert}` : ""} -H "Authorization: Bearer $(authprobe token)" ${url}`,
      `  ${command}`,
      "Ctrl-C stops it.",
      "",
    ].join("\n"),
  );
  // Keep the event loop alive until a signal arrives.
  setInterval(() => {}, 1 << 30);
}
