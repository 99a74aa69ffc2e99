import { AuthprobeError } from "../errors.js";
import { PROBE_KEY_HEADER } from "../probe/key-header.js";
import { parseProbeReport, type ReadReport, readProbeReport } from "../probe/parse-report.js";
import type { ProbeReport } from "../probe/types.js";
import type { Canary } from "./canary.js";
import { type HttpResult, isFailure, KeepAliveAgents, send } from "./http.js";
import type { DoctorOptions } from "./types.js";

export const CONTROL_HEADER = "X-Authprobe-Control";
export const DEFAULT_UNDERSCORE_HEADER = "X_Authprobe_Token";
/** "16 KB": Node's default 16 KiB covers all headers, so a 16,000-byte token plus ordinary headers fits. */
export const DEFAULT_TOKEN_SIZE = 16_000;
export const DEFAULT_TIMEOUT_MS = 5_000;
export const DEFAULT_DEADLINE_MS = 30_000;
export const DEFAULT_MAX_REQUESTS = 40;

/** The run cannot send another request: it ends with what it learned so far. */
export class RunLimitReached extends AuthprobeError {
  constructor(
    code: "REQUEST_BUDGET" | "DEADLINE",
    message: string,
  ) {
    super(code, message);
  }
}

export interface ResolvedOptions extends DoctorOptions {
  timeoutMs: number;
  deadlineMs: number;
  maxRequests: number;
}

/** An origin, or null for a URL that has none the doctor could send to. */
function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** What every check shares: options, the run's canary, the URL after redirects, the budget. */
export class DoctorContext {
  requests = 0;
  url: string;
  readonly deadlineAt: number;
  /** The origins the user named (the target, each --hop): the only ones their secrets go to. */
  private readonly trusted: Set<string>;
  /** The run's connections, kept alive between its requests: one TCP (and TLS) handshake, not one each. */
  private readonly agents = new KeepAliveAgents();

  constructor(
    readonly options: ResolvedOptions,
    readonly canary: Canary,
  ) {
    this.url = options.target;
    this.deadlineAt = Date.now() + options.deadlineMs;
    const named = [options.target, ...(options.hops ?? []).map((h) => h.url)];
    this.trusted = new Set(named.map(originOf).filter((o): o is string => o !== null));
  }

  /**
   * Whether --token and --probe-key may go to this URL: only to an origin the user named. A
   * redirect elsewhere (another host, port or scheme, an https-to-http downgrade included) gets the
   * canary only, as clients drop Authorization there.
   */
  trusts(url: string): boolean {
    const origin = originOf(url);
    return origin !== null && this.trusted.has(origin);
  }

  /** The user's secrets as they could appear in a header value: the key, the token, its credential part. */
  private secrets(): string[] {
    // --header values count when long enough to be a key; short ones (e.g. "1") would match anything.
    const headerValues = (this.options.headers ?? []).map(([, v]) => v).filter((v) => v.trim().length >= 8);
    const values = [this.options.token, this.options.authorization, ...headerValues]
      .map((v) => v?.trim())
      .filter((v): v is string => Boolean(v));
    // A value with a scheme also leaks as its credential part alone.
    const credentials = values.map((v) => v.split(/\s+/).slice(1).join(" ")).filter(Boolean);
    return [this.options.probeKey, ...values, ...credentials].filter((v): v is string => Boolean(v));
  }

  /** Headers for a URL the user did not name: the probe key and anything carrying a secret removed. */
  private withoutSecrets(headers: [string, string][]): [string, string][] {
    const secrets = this.secrets();
    const dropped = new Set([PROBE_KEY_HEADER, ...(this.options.headers ?? []).map(([n]) => n)].map((n) => n.toLowerCase()));
    return headers.filter(([name, value]) => !dropped.has(name.toLowerCase()) && !secrets.some((s) => value.includes(s)));
  }

  /** Closes the run's connections: no idle socket keeps the process alive after the run. */
  close(): void {
    this.agents.destroy();
  }

  get underscoreHeader(): string {
    return this.options.tokenHeader ?? DEFAULT_UNDERSCORE_HEADER;
  }

  /** Headers sent with every request: the probe key, and the Origin when checking CORS. */
  baseHeaders(): [string, string][] {
    const headers: [string, string][] = [];
    if (this.options.probeKey) headers.push([PROBE_KEY_HEADER, this.options.probeKey]);
    if (this.options.origin) headers.push(["Origin", this.options.origin]);
    headers.push(...(this.options.headers ?? []));
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

  private hopEchoes: Promise<{ name: string; report: ProbeReport | null }[]> | null = null;

  /** What each --hop echo received for the plain canary: asked once per run, shared by the checks. */
  hopReports(): Promise<{ name: string; report: ProbeReport | null }[]> {
    // Each echo is independent of the others: asked all at once, listed in the order given.
    this.hopEchoes ??= Promise.all(
      (this.options.hops ?? []).map(async (hop) => ({
        name: hop.name,
        report: parseReport(await this.request(hop.url, this.canaryHeaders())),
      })),
    );
    return this.hopEchoes;
  }

  /**
   * `fresh`: on a new connection of its own, not a kept-alive one: some servers check a size limit
   * only on a connection's first request (Caddy's 8 KB limit lets a reused connection's pass).
   */
  async request(url: string, headers: [string, string][], method = this.options.method ?? "GET", fresh = false): Promise<HttpResult> {
    if (this.requests >= this.options.maxRequests) {
      throw new RunLimitReached("REQUEST_BUDGET", `stopped at the request budget (${this.options.maxRequests} requests)`);
    }
    if (Date.now() >= this.deadlineAt) {
      throw new RunLimitReached("DEADLINE", `stopped at the run's deadline (${this.options.deadlineMs / 1000} s, --deadline)`);
    }
    this.requests += 1;
    // The user's body goes with their method only: never with a preflight or to another origin.
    const body = this.options.data !== undefined && method === (this.options.method ?? "GET") && this.trusts(url) ? this.options.data : undefined;
    const result = await send(url, {
      method,
      ...(body !== undefined ? { body } : {}),
      // The last guard, whatever a check asked for: a foreign origin never gets a secret.
      headers: this.trusts(url) ? headers : this.withoutSecrets(headers),
      timeoutMs: this.options.timeoutMs,
      deadlineAt: this.deadlineAt,
      tls: { ca: this.options.cacert, insecure: this.options.insecure },
      ...(fresh ? {} : { agents: this.agents }),
    });
    if (isFailure(result) && result.error === "EDEADLINE") {
      throw new RunLimitReached("DEADLINE", `stopped at the run's deadline (${this.options.deadlineMs / 1000} s, --deadline): ${url} was still answering`);
    }
    return result;
  }
}

export function parseReport(answer: HttpResult): ProbeReport | null {
  if (isFailure(answer) || answer.status !== 200) return null;
  return parseProbeReport(answer.body);
}

/** Like parseReport, telling "no report" from "a report that breaks the contract". */
export function readReport(answer: HttpResult): ReadReport {
  if (isFailure(answer) || answer.status !== 200) return { kind: "none" };
  return readProbeReport(answer.body);
}

export function headerArrived(report: ProbeReport, name: string): boolean {
  // WSGI and CGI cannot tell '-' from '_': X_Auth_Token shows up there as X-Auth-Token.
  const wanted = name.toLowerCase().replace(/_/g, "-");
  return report.headers.some(([n]) => n.toLowerCase().replace(/_/g, "-") === wanted);
}
