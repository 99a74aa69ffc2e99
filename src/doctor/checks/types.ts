import type { ProbeReport } from "../../probe/types.js";
import type { PathEvidence } from "../attribution.js";
import type { DoctorContext } from "../context.js";
import type { HttpAnswer } from "../http.js";
import type { Finding } from "../types.js";

/** What the checks share and build up, in pipeline order. */
export interface RunState {
  ctx: DoctorContext;
  /** The answer to the canary at the final URL (after redirects); null until the redirect check ran. */
  baseline: HttpAnswer | null;
  report: ProbeReport | null;
  mode: "probe" | "black-box" | "none";
  /** Who is in front of the app, from the baseline answer and the report. */
  path: PathEvidence;
  /** The plain canary arrived intact: size and hop-by-hop effects can only be measured then. */
  intact: boolean;
  /** An intermediary answers for the app (its own challenge): nothing reaches the app to compare. */
  blocked: boolean;
  /** Black box: an answer showed that a token got through (accepted, or the answer changed with it). */
  tokenSeen: boolean;
  findings: Finding[];
}

export interface CheckOutcome {
  findings: Finding[];
  /** Nothing after this check can learn more (the deployment is unreachable). */
  stop?: boolean;
}

/** One check: whether it applies to what is known so far, and what it finds. Never prints. */
export interface Check {
  name: string;
  applies(state: RunState): boolean;
  run(state: RunState): Promise<CheckOutcome>;
}

export const none: CheckOutcome = { findings: [] };
