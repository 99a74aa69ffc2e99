import { findAlternatives } from "./alternatives.js";
import { describeValue, findValueProblems, parseAuthorization } from "./authorization.js";
import { fingerprint, redactedText, withFingerprintMemo } from "./fingerprint.js";
import { describeJwt, type JwtVerifyOptions } from "./jwt.js";
import { redactUrl, redactUrlsInHeader } from "./redact-url.js";
import { containsSecretRun, isSecretHeader, isSecretName, isSecretSegment, looksLikeJwt } from "./sensitive.js";
import type {
  Alternative,
  AuthorizationReport,
  AuthProblem,
  ForwardingReport,
  ProbeInput,
  ProbeReport,
  ProbeRuntime,
} from "./types.js";

export interface ProbeOptions {
  /** Verify JWTs with this key and report a verdict; without it the verdict is `not_checked`. */
  verify?: JwtVerifyOptions | undefined;
  runtime?: ProbeRuntime;
  hop?: string | undefined;
  /** The product answering a hop echo itself (the Node gateway says node). */
  hopServer?: string | undefined;
  /** Schemes the app accepts beside the registered ones, shown as schemes (e.g. a custom "ApiKey"). */
  schemes?: readonly string[] | undefined;
  /** Clock for JWT times, in ms; tests pin it. */
  now?: () => number;
  /** Inside an app (the Express router): said in the report, so the doctor does not take every answer for the probe's. */
  embedded?: boolean | undefined;
}

export function pairHeaders(rawHeaders: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    pairs.push([rawHeaders[i] as string, rawHeaders[i + 1] as string]);
  }
  return pairs;
}

function splitUrl(url: string): { pathname: string; query: URLSearchParams } {
  const q = url.indexOf("?");
  if (q < 0) return { pathname: url, query: new URLSearchParams() };
  return { pathname: url.slice(0, q), query: new URLSearchParams(url.slice(q + 1)) };
}

/** A path (or any target) with every credential in it replaced by its fingerprint. */
export function redactPathname(pathname: string): string {
  return redactUrl(pathname);
}

/** A token or key placed in the path itself: reported like one in the query. */
function pathAlternatives(pathname: string): Alternative[] {
  return pathname
    .split("/")
    .map((segment, i) => [segment, i] as const)
    .filter(([segment]) => isSecretSegment(segment))
    .map(([segment, i]) => ({ where: "path", name: `segment ${i}`, looksLikeJwt: looksLikeJwt(segment), underscore: false, ...fingerprint(segment) }));
}

/** Forwarding headers by lower-case name, and where each goes in the report. */
const FORWARDING: Record<string, keyof ForwardingReport> = {
  via: "via",
  forwarded: "forwarded",
  "x-forwarded-for": "xForwardedFor",
  "x-forwarded-proto": "xForwardedProto",
  "x-forwarded-host": "xForwardedHost",
  "x-forwarded-port": "xForwardedPort",
  "x-real-ip": "xRealIp",
};

/** One pass over the headers (seven filters before), in the order received. */
function buildForwarding(headers: [string, string][]): ForwardingReport {
  const forwarding: ForwardingReport = {
    via: [],
    forwarded: [],
    xForwardedFor: [],
    xForwardedProto: [],
    xForwardedHost: [],
    xForwardedPort: [],
    xRealIp: [],
  };
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    const field = Object.hasOwn(FORWARDING, lower) ? FORWARDING[lower] : undefined;
    if (field) forwarding[field].push(value);
  }
  return forwarding;
}

function buildAuthorization(
  headers: [string, string][],
  hasAlternatives: boolean,
  options: ProbeOptions,
): AuthorizationReport {
  const values = headers.filter(([n]) => n.toLowerCase() === "authorization");
  const problems: AuthProblem[] = [];
  if (values.length > 1) {
    problems.push({
      code: "duplicate",
      message: `${values.length} Authorization headers arrived; servers pick the first, the last, or refuse`,
    });
  }
  for (const [, value] of values) {
    for (const p of findValueProblems(value, options.schemes)) {
      if (!problems.some((q) => q.code === p.code)) problems.push(p);
    }
  }
  if (headers.some(([n]) => n.toLowerCase() === "authentication")) {
    problems.push({
      code: "misnamed_header",
      message: "an 'Authentication' header arrived: the standard name is 'Authorization'",
    });
  }
  if (values.length === 0 && hasAlternatives) {
    problems.push({
      code: "token_elsewhere",
      message: "no Authorization header, but a token-like value arrived elsewhere (see alternatives)",
    });
  }
  const first = values[0];
  const described = values.map(([name, value]) => describeValue(name, value, options.schemes));
  let jwtReport: AuthorizationReport["jwt"] = null;
  if (first) {
    const { credentials } = parseAuthorization(first[1]);
    if (looksLikeJwt(credentials)) {
      jwtReport = describeJwt(credentials, options.verify, (options.now ?? Date.now)());
    }
  }
  const head = described[0];
  return {
    present: values.length > 0,
    count: values.length,
    scheme: head?.scheme ?? null,
    length: head?.length ?? null,
    sha256: head?.sha256 ?? null,
    hash: head?.hash ?? null,
    values: described,
    jwt: jwtReport,
    problems,
  };
}

/** Pure: from what arrived to a report that can be shown to anyone, credentials fingerprinted. */
export function buildProbeReport(input: ProbeInput, options: ProbeOptions = {}): ProbeReport {
  return withFingerprintMemo(() => buildReport(input, options));
}

function buildReport(input: ProbeInput, options: ProbeOptions): ProbeReport {
  const headers = pairHeaders(input.rawHeaders);
  const { pathname, query } = splitUrl(input.url);
  const alternatives = [...findAlternatives(headers, query), ...pathAlternatives(pathname)].map((a) =>
    isSecretName(a.name) ? { ...a, name: redactedText(a.name) } : a,
  );
  // What may be shown of each header: a name or value that holds a key is fingerprinted.
  const shown: [string, string][] = headers.map(([n, v]) => {
    const secretName = isSecretName(n);
    return [secretName ? redactedText(n) : n, secretName || isSecretHeader(n, v) ? redactedText(v) : redactUrlsInHeader(n, v)];
  });
  const report: ProbeReport = {
    probe: "authprobe",
    version: 1,
    runtime: options.runtime ?? "node",
    ...((options.runtime ?? "node") === "node" ? { runtimeServer: "node", runtimeVersion: process.versions.node } : {}),
    request: {
      method: containsSecretRun(input.method) ? redactedText(input.method) : input.method,
      path: redactUrl(input.url),
      httpVersion: input.httpVersion,
      remoteAddress: input.remoteAddress ?? null,
    },
    headers: shown,
    authorization: buildAuthorization(headers, alternatives.length > 0, options),
    alternatives,
    forwarding: buildForwarding(shown),
  };
  // A lab hop that forwards its hop-echo path to a standalone probe names itself in X-Authprobe-Hop.
  const hop = options.hop ?? headers.find(([n]) => n.toLowerCase() === "x-authprobe-hop")?.[1];
  if (hop) report.hop = hop;
  const hopServer = options.hopServer ?? (options.hop ? undefined : hop);
  if (hopServer) report.hopServer = hopServer;
  if (options.embedded) report.embedded = true;
  // Node keeps the first maxHeadersCount headers and drops the rest without a word (measured on
  // Node 20: up to 1,023 kept with the default 1,000): at the limit, "no Authorization" is not proof.
  if (input.headerLimit && headers.length >= input.headerLimit) {
    report.headerLimit = { reached: true, limit: input.headerLimit, received: headers.length };
  }
  return report;
}
