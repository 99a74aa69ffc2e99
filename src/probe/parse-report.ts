import type { ProbeReport } from "./types.js";

// Probe report v1 as the doctor reads it (docs/probe-report.schema.json in code): what the doctor
// and the lab rely on is checked before they touch it. Unknown keys pass (the contract is
// additive). Hand-written rather than zod: the doctor reads a report on nearly every run, and
// importing zod cost it ~120 ms of start-up (issue 25), more than the rest of its modules.

type Path = (string | number)[];
/** The first field that breaks the contract, and why; null when the value fits. */
type Check = (value: unknown, path: Path) => Problem | null;
interface Problem {
  path: Path;
  reason: string;
}

const kindOf = (v: unknown): string => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
const wrongType = (value: unknown, path: Path, expected: string): Problem => ({
  path,
  reason: value === undefined ? "is required" : `must be ${expected}, not ${kindOf(value)}`,
});

const str: Check = (v, p) => (typeof v === "string" ? null : wrongType(v, p, "a string"));
const nonEmpty: Check = (v, p) => str(v, p) ?? (v === "" ? { path: p, reason: "must not be empty" } : null);
const bool: Check = (v, p) => (typeof v === "boolean" ? null : wrongType(v, p, "a boolean"));
const num: Check = (v, p) => (typeof v === "number" && Number.isFinite(v) ? null : wrongType(v, p, "a number"));
const count: Check = (v, p) =>
  Number.isInteger(v) ? ((v as number) >= 0 ? null : { path: p, reason: "must be >= 0" }) : wrongType(v, p, "an integer");
const sha256: Check = (v, p) =>
  str(v, p) ?? (/^[0-9a-f]{64}$/.test(v as string) ? null : { path: p, reason: "must be 64 lowercase hex digits" });
const unknownValue: Check = () => null;

function oneOf(...allowed: readonly (string | number | boolean)[]): Check {
  return (v, p) => (allowed.includes(v as string) ? null : { path: p, reason: `must be one of ${allowed.join(", ")}` });
}
function nullable(check: Check): Check {
  return (v, p) => (v === null ? null : check(v, p));
}
function optional(check: Check): Check {
  return (v, p) => (v === undefined ? null : check(v, p));
}
function arrayOf(item: Check): Check {
  return (v, p) => {
    if (!Array.isArray(v)) return wrongType(v, p, "an array");
    for (let i = 0; i < v.length; i++) {
      const problem = item(v[i], [...p, i]);
      if (problem) return problem;
    }
    return null;
  };
}
/** A plain object (not null, not an array). Keys are checked in the order given, like the schema. */
function object(shape: Record<string, Check>): Check {
  return (v, p) => {
    if (kindOf(v) !== "object") return wrongType(v, p, "an object");
    const o = v as Record<string, unknown>;
    for (const [key, check] of Object.entries(shape)) {
      const problem = check(o[key], [...p, key]);
      if (problem) return problem;
    }
    return null;
  };
}
const record: Check = (v, p) => (kindOf(v) === "object" ? null : wrongType(v, p, "an object"));
const pair: Check = (v, p) => {
  if (!Array.isArray(v)) return wrongType(v, p, "a [name, value] pair");
  if (v.length !== 2) return { path: p, reason: `must be a [name, value] pair, not ${v.length} items` };
  return str(v[0], [...p, 0]) ?? str(v[1], [...p, 1]);
};

const strings = arrayOf(str);
const time = object({ epoch: num, iso: str, relative: str });

const jwt = object({
  header: nullable(record),
  claims: object({
    iss: unknownValue,
    sub: unknownValue,
    aud: unknownValue,
    jti: unknownValue,
    exp: optional(time),
    nbf: optional(time),
    iat: optional(time),
  }),
  privateClaims: strings,
  privateClaimValues: optional(record),
  canary: bool,
  verification: object({
    verdict: oneOf("valid", "bad_signature", "expired", "not_yet_valid", "wrong_audience", "wrong_issuer", "malformed", "algorithm_not_allowed", "not_checked"),
    reason: str,
  }),
});

const report = object({
  probe: oneOf("authprobe"),
  version: oneOf(1),
  runtime: oneOf("node", "wsgi", "cgi", "php"),
  runtimeServer: optional(nonEmpty),
  runtimeVersion: optional(nonEmpty),
  serverSoftware: optional(str),
  hop: optional(nonEmpty),
  hopServer: optional(nonEmpty),
  embedded: optional(oneOf(true)),
  request: object({ method: nonEmpty, path: str, httpVersion: str, remoteAddress: nullable(str) }),
  headers: arrayOf(pair),
  authorization: object({
    present: bool,
    count,
    scheme: nullable(str),
    length: nullable(count),
    sha256: nullable(sha256),
    values: arrayOf(object({ name: str, scheme: nullable(str), length: count, sha256 })),
    jwt: nullable(jwt),
    problems: arrayOf(
      object({
        code: oneOf("duplicate", "comma_merged", "lowercase_scheme", "no_scheme", "extra_whitespace", "empty", "misnamed_header", "token_elsewhere", "unknown_scheme"),
        message: str,
      }),
    ),
  }),
  alternatives: arrayOf(
    object({
      where: oneOf("cookie", "query", "header", "env", "path"),
      name: str,
      length: count,
      sha256,
      looksLikeJwt: bool,
      underscore: bool,
    }),
  ),
  forwarding: object({
    via: strings,
    forwarded: strings,
    xForwardedFor: strings,
    xForwardedProto: strings,
    xForwardedHost: strings,
    xForwardedPort: strings,
    xRealIp: strings,
  }),
});

/**
 * What a response body is: not a probe report (not JSON, or not `probe: "authprobe", version: 1`),
 * a valid report, or one that claims to be a report and breaks the contract (the field and why).
 */
export type ReadReport =
  | { kind: "none" }
  | { kind: "report"; report: ProbeReport }
  | { kind: "invalid"; field: string; reason: string };

export function readProbeReport(body: string): ReadReport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { kind: "none" }; // not JSON (or cut off): somebody else answered
  }
  if (typeof parsed !== "object" || parsed === null) return { kind: "none" };
  const claimed = parsed as { probe?: unknown; version?: unknown };
  if (claimed.probe !== "authprobe" || claimed.version !== 1) return { kind: "none" };
  const problem = report(parsed, []);
  // The body as sent: fields newer than this schema are kept.
  if (!problem) return { kind: "report", report: parsed as ProbeReport };
  return { kind: "invalid", field: problem.path.join(".") || "(report)", reason: problem.reason };
}

/** A response body is a probe report only if it says so, speaks version 1 and follows its schema. */
export function parseProbeReport(body: string): ProbeReport | null {
  const read = readProbeReport(body);
  return read.kind === "report" ? read.report : null;
}
