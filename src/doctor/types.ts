import type { ServerName } from "../components.js";
import type { FindingCode, Severity } from "./findings.js";

export type { ServerName };

export interface Finding {
  code: FindingCode;
  severity: Severity;
  title: string;
  /**
   * What was sent and what came back, in a few short lines; `data` holds the same as facts
   * (statuses, sizes, header names, which hop, which signature matched) for machines.
   */
  evidence: { sent: string; received: string; notes?: string[]; data?: Record<string, unknown> };
  server: ServerName;
  /** When `server` is unknown: the components that can be in this path, most likely first. */
  candidates?: ServerName[];
  fix: { steps: string[]; docs: string };
}

export interface HopTarget {
  name: string;
  url: string;
}

export interface DoctorOptions {
  target: string;
  /** The user's own token, for black-box checks (never printed): sent as is with a scheme, else as Bearer. */
  token?: string | undefined;
  /** The exact Authorization value the user's client sends (e.g. a bare token), for black-box checks. */
  authorization?: string | undefined;
  /** The method of the checks' requests (default GET): for a route that answers only POST, say. */
  method?: string | undefined;
  /** A body sent with every request of that method (--data, --data-file). */
  data?: string | undefined;
  /** Headers the client sends with every request (--header): API keys, Content-Type. Never sent to another origin. */
  headers?: [string, string][] | undefined;
  origin?: string | undefined;
  /** The browser calls with credentials: "include": the preflight must name the origin and allow credentials. */
  credentials?: boolean | undefined;
  hops?: HopTarget[];
  probeKey?: string | undefined;
  /** Idle timeout of one request. */
  timeoutMs?: number;
  /** The whole run ends by then, with what was learned. */
  deadlineMs?: number;
  /** The largest Authorization value (bytes) the deployment must carry. */
  tokenSize?: number;
  /** The header clients send the token in, when it is not Authorization (e.g. X_Auth_Token). */
  tokenHeader?: string | undefined;
  maxRequests?: number;
  /** PEM text of a CA to trust for https (--cacert), or skip verification (--insecure). */
  cacert?: string | undefined;
  insecure?: boolean | undefined;
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
  /** What stopped the run early or limits what it could tell (deadline, request budget). */
  notes: string[];
}
