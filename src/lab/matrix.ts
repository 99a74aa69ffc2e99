import { readFileSync } from "node:fs";
import { mintCanary } from "../doctor/canary.js";
import { diagnose } from "../doctor/diagnose.js";
import type { Finding } from "../doctor/types.js";
import { exitCodeFor, mostSevere } from "../doctor/verdict.js";
import type { BrowserOutcome, BrowserSession } from "./browser.js";
import { browserDisagreement } from "./browser-check.js";
import { LAB_ORIGIN } from "./constants.js";
import { missingRequirement } from "./availability.js";
import { startDeployment } from "./deployment.js";
import { LAB_PATH, type Observation, observe } from "./observe.js";
import type { Expectation, Scenario } from "./scenario.js";
import { makeWorkdir, removeWorkdir } from "./workdirs.js";

export interface BrowserRun {
  outcome: BrowserOutcome;
  expected: BrowserOutcome;
  console: string[];
  doctorCodes: string[];
  agreement: string | null;
}

export interface LabResult {
  id: string;
  title: string;
  server: Scenario["server"];
  /** The hops from the client to the app's server, e.g. [haproxy, nginx, gunicorn]. */
  stack: Scenario["stack"];
  /** The component the scenario breaks (null for a correct one). */
  blame: string | null;
  status: "pass" | "fail" | "skipped";
  expected: Expectation;
  observed: Observation | null;
  /** Why it was skipped (with the install command) or why it failed. */
  reason?: string;
  /** What `authprobe doctor` said about the scenario's URL. */
  doctor?: {
    codes: string[];
    exitCode: number;
    summary: string;
    fixes: string[];
    requests: number;
    ms: number;
    /** The component the doctor's most severe finding blames. */
    server: string | null;
    notes: string[];
  };
  /** With --browser: what Chromium saw from a page on another origin, and whether the doctor agrees. */
  browser?: BrowserRun;
  /** The proxy's error log tail, on failure. */
  logTail?: string;
  durationMs: number;
}

export { WORKDIR_PREFIX } from "./workdirs.js";

export function meetsExpectation(expected: Expectation, observed: Observation): boolean {
  if (observed.outcome !== expected.outcome) return false;
  if (expected.outcome !== "rejected") return true;
  return observed.status === expected.status && observed.rejectedBy === expected.rejectedBy;
}

export function describeObservation(o: Observation): string {
  if (o.outcome === "rejected") return `rejected ${o.status} by ${o.rejectedBy ?? "unknown"}`;
  return o.change ? `${o.outcome} (${o.change})` : o.outcome;
}

/**
 * The doctor passes a scenario when its codes are exactly the expected ones, a correct config exits
 * 0, a broken one's most severe finding blames the scenario's component and its fix names what the
 * fixing config changes.
 */
export function doctorAgrees(scenario: Scenario, doctor: NonNullable<LabResult["doctor"]>): string | null {
  const expected = [...(scenario.findings ?? [])].sort();
  const got = [...doctor.codes].sort();
  if (expected.join(",") !== got.join(",")) {
    return `doctor reported [${got.join(", ")}], expected [${expected.join(", ")}]`;
  }
  if (scenario.expect.outcome === "intact" && doctor.exitCode !== 0) {
    return `doctor exited ${doctor.exitCode} on a correct config`;
  }
  if (scenario.blame && doctor.server !== scenario.blame) {
    return `doctor blamed ${doctor.server ?? "nothing"}, the scenario breaks ${scenario.blame}`;
  }
  if (scenario.fixMentions && !doctor.fixes.some((f) => f.includes(scenario.fixMentions as string))) {
    return `doctor's fix does not mention '${scenario.fixMentions}'`;
  }
  return null;
}

function primary(findings: Finding[]): Finding | undefined {
  return mostSevere(findings.filter((f) => f.severity !== "notice")) ?? undefined;
}

/** Runs the doctor as a user would against the scenario, told only what the lab's clients send. */
async function runDoctor(
  scenario: Scenario,
  url: string,
  hops: { name: string; path: string }[],
  cacert: string | null,
  origin: string | null = scenario.send.preflight ? LAB_ORIGIN : null,
) {
  const started = Date.now();
  const result = await diagnose({
    target: `${url}${LAB_PATH}`,
    ...(scenario.send.tokenBytes ? { tokenSize: scenario.send.tokenBytes } : {}),
    ...(scenario.send.header ? { tokenHeader: scenario.send.header } : {}),
    ...(origin ? { origin } : {}),
    ...(scenario.send.credentials ? { credentials: true } : {}),
    ...(cacert ? { cacert: readFileSync(cacert, "utf8") } : {}),
    hops: hops.map((h) => ({ name: h.name, url: `${url}${h.path}` })),
  });
  const top = primary(result.findings);
  return {
    codes: result.findings.map((f) => f.code),
    exitCode: exitCodeFor(result),
    fixes: result.findings.flatMap((f) => f.fix.steps),
    summary: result.summary,
    requests: result.requests,
    ms: Date.now() - started,
    server: top ? top.server : null,
    notes: result.notes,
  };
}

export function describeExpectation(e: Expectation): string {
  return e.outcome === "rejected" ? `rejected ${e.status} by ${e.rejectedBy}` : e.outcome;
}

/** Starts the scenario's servers, observes, and always stops and removes everything it made. */
/** Chromium calls the scenario from its page; the doctor runs with the page's origin, and must agree. */
async function runBrowser(
  scenario: Scenario,
  session: BrowserSession,
  url: string,
  token: string,
  hops: { name: string; path: string }[],
  cacert: string | null,
): Promise<BrowserRun> {
  const expected = scenario.browser?.expect as BrowserOutcome;
  const seen = await session.call(`${url}${LAB_PATH}`, token, { credentials: scenario.send.credentials === true });
  const doctor = await runDoctor(scenario, url, hops, cacert, new URL(session.pageOrigin).origin);
  return { ...seen, expected, doctorCodes: doctor.codes, agreement: browserDisagreement(seen.outcome, doctor.codes) };
}

export async function runScenario(scenario: Scenario, session: BrowserSession | null = null): Promise<LabResult> {
  const started = Date.now();
  const base = {
    id: scenario.id,
    title: scenario.title,
    server: scenario.server,
    stack: scenario.stack,
    blame: scenario.blame ?? null,
    expected: scenario.expect,
  };
  const missing = missingRequirement(scenario);
  if (missing) return { ...base, status: "skipped", observed: null, reason: missing, durationMs: 0 };
  const workdir = makeWorkdir();
  try {
    const deployment = await startDeployment(scenario, workdir);
    try {
      const canary = mintCanary(scenario.send.tokenBytes ? { bytes: scenario.send.tokenBytes } : {});
      const hopEchoes = deployment.hops.flatMap((h) => (h.hopEcho ? [h.hopEcho] : []));
      const tls = deployment.cacert ? { ca: readFileSync(deployment.cacert, "utf8") } : {};
      const observed = await observe(deployment.url, scenario.send, canary, hopEchoes, tls);
      const doctor = await runDoctor(scenario, deployment.url, hopEchoes, deployment.cacert);
      const inBrowser = session && scenario.browser ? session : null;
      const { url, cacert } = deployment;
      const browser = inBrowser ? await runBrowser(scenario, inBrowser, url, canary.token, hopEchoes, cacert) : null;
      const browserReason = !browser
        ? null
        : browser.outcome !== browser.expected
          ? `Chromium: expected ${browser.expected}, saw ${browser.outcome}${browser.console.length ? ` (${browser.console[0]})` : ""}`
          : browser.agreement;
      const reason = meetsExpectation(scenario.expect, observed)
        ? (doctorAgrees(scenario, doctor) ?? browserReason)
        : `expected ${describeExpectation(scenario.expect)}, observed ${describeObservation(observed)}`;
      return {
        ...base,
        status: reason ? "fail" : "pass",
        observed,
        doctor,
        ...(browser ? { browser } : {}),
        ...(reason ? { reason, logTail: deployment.logTail() } : {}),
        durationMs: Date.now() - started,
      };
    } finally {
      await deployment.stop();
    }
  } catch (err) {
    return {
      ...base,
      status: "fail",
      observed: null,
      reason: (err as Error).message,
      durationMs: Date.now() - started,
    };
  } finally {
    removeWorkdir(workdir);
  }
}

/**
 * Rough start-up cost of a server kind in a lab row (ms on an idle 2-core machine, from the rows'
 * durations): gunicorn and uWSGI boot Python, varnishd compiles its VCL with cc, CGI forks per
 * request. Only the order matters: the slowest rows start first so none is left running alone at
 * the end while the other workers sit idle.
 */
const START_COST: Partial<Record<string, number>> = { varnish: 700, gunicorn: 600, uwsgi: 600, cgi: 500, nginx: 400 };
const DEFAULT_START_COST = 350;
const TLS_COST = 300;

export function expectedCost(scenario: Scenario): number {
  const servers = scenario.stack.reduce((sum, server) => sum + (START_COST[server] ?? DEFAULT_START_COST), 0);
  return servers + (scenario.tls ? TLS_COST : 0);
}

/** Catalog indexes, most expensive first (ties keep catalog order). */
export function startOrder(scenarios: Scenario[]): number[] {
  const costs = scenarios.map(expectedCost);
  return scenarios.map((_, i) => i).sort((a, b) => (costs[b] as number) - (costs[a] as number) || a - b);
}

/**
 * Runs scenarios a few at a time (each has its own ports and directory), the slowest first;
 * results in catalog order.
 */
export async function runLab(
  scenarios: Scenario[],
  options: {
    concurrency?: number;
    onResult?: (result: LabResult, done: number, total: number) => void;
    /** A running Chromium: scenarios with a `browser` expectation are also called from a page. */
    browser?: BrowserSession | null;
  } = {},
): Promise<LabResult[]> {
  const results: LabResult[] = new Array(scenarios.length);
  const order = startOrder(scenarios);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < order.length) {
      const index = order[next++] as number;
      const result = await runScenario(scenarios[index] as Scenario, options.browser ?? null);
      results[index] = result;
      done += 1;
      options.onResult?.(result, done, scenarios.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  return results;
}
