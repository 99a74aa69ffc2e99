import { pathEvidence } from "./attribution.js";
import { mintCanary } from "./canary.js";
import { CHECKS, runChecks } from "./checks/index.js";
import { unverified } from "./checks/unverified.js";
import type { RunState } from "./checks/types.js";
import { DEFAULT_DEADLINE_MS, DEFAULT_MAX_REQUESTS, DEFAULT_TIMEOUT_MS, DoctorContext } from "./context.js";
import { attributionOfRun } from "./run-server.js";
import type { DoctorOptions, DoctorResult, Finding } from "./types.js";
import { summarize } from "./verdict.js";

/** Sends canary requests through the deployment and returns findings; never prints. */
export async function diagnose(options: DoctorOptions): Promise<DoctorResult> {
  const ctx = new DoctorContext(
    {
      ...options,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      deadlineMs: options.deadlineMs ?? DEFAULT_DEADLINE_MS,
      maxRequests: options.maxRequests ?? DEFAULT_MAX_REQUESTS,
    },
    mintCanary(),
  );
  const state: RunState = {
    ctx,
    baseline: null,
    report: null,
    mode: "none",
    path: pathEvidence(null, null),
    intact: false,
    blocked: false,
    tokenSeen: false,
    findings: [],
  };
  let notes: string[];
  try {
    ({ notes } = await runChecks(CHECKS, state));
  } finally {
    ctx.close();
  }
  state.findings.push(...unverified(state, notes));
  const findings = state.findings;
  const unreachable = state.baseline === null;
  const partial = {
    target: options.target,
    verdict: unreachable ? ("unreachable" as const) : verdictOf(findings),
    mode: state.mode,
    server: attributionOfRun(state),
    runtime: state.report?.runtimeServer ?? state.report?.runtime ?? null,
    requests: ctx.requests,
    findings,
    notes,
  };
  return { ...partial, summary: summarize(partial) };
}

function verdictOf(findings: Finding[]): DoctorResult["verdict"] {
  return findings.some((f) => f.severity !== "notice") ? "problems" : "ok";
}
