import { AuthprobeError } from "../errors.js";
import { PROBE_KEY_HEADER } from "../probe/handler.js";
import { parseProbeReport } from "../probe/parse-report.js";
import type { ProbeReport } from "../probe/types.js";
import type { Canary } from "./canary.js";
import { type HttpResult, isFailure, send } from "./http.js";
import type { DoctorOptions } from "./types.js";

export const CONTROL_HEADER = "X-Authprobe-Control";
export const DEFAULT_UNDERSCORE_HEADER = "X_Authprobe_Token";
/** "16 KB": Node's default 16 KiB covers all headers, so a 16,000-byte token plus ordinary headers fits. */
export const DEFAULT_TOKEN_SIZE = 16_000;

export class BudgetExceeded extends AuthprobeError {
  constructor(max: number) {
    super("REQUEST_BUDGET", `the doctor would need more than ${max} requests`);
  }
}

/** What every check shares: options, the run's canary, the URL after redirects, a request budget. */
export class DoctorContext {
  requests = 0;
  url: string;

  constructor(
    readonly options: DoctorOptions & { timeoutMs: number; maxRequests: number },
    readonly canary: Canary,
  ) {
    this.url = options.target;
  }

  get underscoreHeader(): string {
    return this.options.tokenHeader ?? DEFAULT_UNDERSCORE_HEADER;
  }

  /** Headers sent with every request: the probe key, and the Origin when checking CORS. */
  baseHeaders(): [string, string][] {
    const headers: [string, string][] = [];
    if (this.options.probeKey) headers.push([PROBE_KEY_HEADER, this.options.probeKey]);
    if (this.options.origin) headers.push(["Origin", this.options.origin]);
    return headers;
  }

  /** The canary as Authorization, the control header, and the token under the underscore header. */
  canaryHeaders(authorization: string = this.canary.value): [string, string][] {
    return [
      ...this.baseHeaders(),
      ["Authorization", authorization],
      [CONTROL_HEADER, this.canary.runId],
      [this.underscoreHeader, this.canary.token],
    ];
  }

  async request(url: string, headers: [string, string][], method = "GET"): Promise<HttpResult> {
    if (this.requests >= this.options.maxRequests) throw new BudgetExceeded(this.options.maxRequests);
    this.requests += 1;
    return send(url, { method, headers, timeoutMs: this.options.timeoutMs });
  }
}

export function parseReport(answer: HttpResult): ProbeReport | null {
  if (isFailure(answer) || answer.status !== 200) return null;
  return parseProbeReport(answer.body);
}

export function headerArrived(report: ProbeReport, name: string): boolean {
  // WSGI and CGI cannot tell '-' from '_': X_Auth_Token shows up there as X-Auth-Token.
  const wanted = name.toLowerCase().replace(/_/g, "-");
  return report.headers.some(([n]) => n.toLowerCase().replace(/_/g, "-") === wanted);
}
