import type { FindingCode, Severity } from "./findings.js";
import type { ServerName } from "./server-fingerprint.js";

export interface Finding {
  code: FindingCode;
  severity: Severity;
  title: string;
  /** What was sent and what came back, in a few short lines. */
  evidence: { sent: string; received: string; notes?: string[] };
  server: ServerName;
  fix: { steps: string[]; docs: string };
}

export interface HopTarget {
  name: string;
  url: string;
}

export interface DoctorOptions {
  target: string;
  /** The user's own token, for black-box checks (never printed). */
  token?: string | undefined;
  origin?: string | undefined;
  hops?: HopTarget[];
  probeKey?: string | undefined;
  timeoutMs?: number;
  /** The largest Authorization value (bytes) the deployment must carry. */
  tokenSize?: number;
  /** The header clients send the token in, when it is not Authorization (e.g. X_Auth_Token). */
  tokenHeader?: string | undefined;
  maxRequests?: number;
}

export type Verdict = "ok" | "problems" | "unreachable";

export interface DoctorResult {
  target: string;
  verdict: Verdict;
  /** One line a person reads first. */
  summary: string;
  mode: "probe" | "black-box" | "none";
  server: ServerName;
  runtime: string | null;
  requests: number;
  findings: Finding[];
}
