import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mintCanary } from "../doctor/canary.js";
import { missingRequirement } from "./availability.js";
import { startDeployment } from "./deployment.js";
import { type Observation, observe } from "./observe.js";
import type { Expectation, Scenario } from "./scenario.js";

export interface LabResult {
  id: string;
  title: string;
  server: Scenario["server"];
  status: "pass" | "fail" | "skipped";
  expected: Expectation;
  observed: Observation | null;
  /** Why it was skipped (with the install command) or why it failed. */
  reason?: string;
  /** The proxy's error log tail, on failure. */
  logTail?: string;
  durationMs: number;
}

export const WORKDIR_PREFIX = "authprobe-lab-";

export function meetsExpectation(expected: Expectation, observed: Observation): boolean {
  if (observed.outcome !== expected.outcome) return false;
  if (expected.outcome !== "rejected") return true;
  return observed.status === expected.status && observed.rejectedBy === expected.rejectedBy;
}

export function describeObservation(o: Observation): string {
  if (o.outcome === "rejected") return `rejected ${o.status} by ${o.rejectedBy ?? "unknown"}`;
  return o.change ? `${o.outcome} (${o.change})` : o.outcome;
}

export function describeExpectation(e: Expectation): string {
  return e.outcome === "rejected" ? `rejected ${e.status} by ${e.rejectedBy}` : e.outcome;
}

/** Starts the scenario's servers, observes, and always stops and removes everything it made. */
export async function runScenario(scenario: Scenario): Promise<LabResult> {
  const started = Date.now();
  const base = { id: scenario.id, title: scenario.title, server: scenario.server, expected: scenario.expect };
  const missing = missingRequirement(scenario);
  if (missing) return { ...base, status: "skipped", observed: null, reason: missing, durationMs: 0 };
  const workdir = mkdtempSync(join(tmpdir(), WORKDIR_PREFIX));
  try {
    const deployment = await startDeployment(scenario, workdir);
    try {
      const canary = mintCanary(scenario.send.tokenBytes ? { bytes: scenario.send.tokenBytes } : {});
      const hopEchoes = deployment.hops.flatMap((h) => (h.hopEcho ? [h.hopEcho] : []));
      const observed = await observe(deployment.url, scenario.send, canary, hopEchoes);
      const pass = meetsExpectation(scenario.expect, observed);
      return {
        ...base,
        status: pass ? "pass" : "fail",
        observed,
        ...(pass
          ? {}
          : {
              reason: `expected ${describeExpectation(scenario.expect)}, observed ${describeObservation(observed)}`,
              logTail: deployment.logTail(),
            }),
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
    rmSync(workdir, { recursive: true, force: true });
  }
}

/** Runs scenarios a few at a time (each has its own ports and directory), results in catalog order. */
export async function runLab(
  scenarios: Scenario[],
  options: { concurrency?: number; onResult?: (result: LabResult, done: number, total: number) => void } = {},
): Promise<LabResult[]> {
  const results: LabResult[] = new Array(scenarios.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < scenarios.length) {
      const index = next++;
      const result = await runScenario(scenarios[index] as Scenario);
      results[index] = result;
      done += 1;
      options.onResult?.(result, done, scenarios.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  return results;
}
