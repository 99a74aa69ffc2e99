import type { KeyObject } from "node:crypto";
import jwt from "jsonwebtoken";
import type { JwtReport, JwtTime, JwtVerdict } from "./types.js";

export const CANARY_CLAIM = "authprobe_canary";

const REGISTERED = new Set(["iss", "sub", "aud", "exp", "nbf", "iat", "jti"]);
const HEADER_FIELDS = ["alg", "typ", "kid", "cty"];

export interface JwtVerifyOptions {
  /** A KeyObject made once: jsonwebtoken with a string secret is ~50x slower (DESIGN.md). */
  key: KeyObject;
  algorithms: jwt.Algorithm[];
  issuer?: string;
  audience?: string;
}

export function formatDuration(ms: number): string {
  let s = Math.round(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const parts = [d && `${d}d`, h && `${h}h`, m && `${m}m`, `${s}s`].filter(Boolean);
  return parts.slice(0, 2).join(" ");
}

function toTime(value: unknown, nowMs: number): JwtTime | undefined {
  if (typeof value !== "number" || !Number.isFinite(value)) return undefined;
  const ms = value * 1000;
  const when = ms >= nowMs ? `in ${formatDuration(ms - nowMs)}` : `${formatDuration(nowMs - ms)} ago`;
  const iso = Number.isFinite(new Date(ms).getTime()) ? new Date(ms).toISOString() : "invalid";
  return { epoch: value, iso, relative: when };
}

/** Map jsonwebtoken's error classes and messages to the report's stable verdicts. */
export function verdictFromError(err: unknown): { verdict: JwtVerdict; reason: string } {
  if (err instanceof jwt.TokenExpiredError) return { verdict: "expired", reason: err.message };
  if (err instanceof jwt.NotBeforeError) return { verdict: "not_yet_valid", reason: err.message };
  const message = err instanceof Error ? err.message : String(err);
  if (/invalid signature/.test(message)) return { verdict: "bad_signature", reason: message };
  if (/audience invalid/.test(message)) return { verdict: "wrong_audience", reason: message };
  if (/issuer invalid/.test(message)) return { verdict: "wrong_issuer", reason: message };
  if (/invalid algorithm|signature is required|must be|key.*type|asymmetric|symmetric/i.test(message)) {
    return { verdict: "algorithm_not_allowed", reason: message };
  }
  return { verdict: "malformed", reason: message };
}

export function verifyJwt(
  token: string,
  opts: JwtVerifyOptions,
  nowMs: number = Date.now(),
): { verdict: JwtVerdict; reason: string } {
  try {
    jwt.verify(token, opts.key, {
      algorithms: opts.algorithms,
      clockTimestamp: Math.floor(nowMs / 1000),
      ...(opts.issuer ? { issuer: opts.issuer } : {}),
      ...(opts.audience ? { audience: opts.audience } : {}),
    });
    return { verdict: "valid", reason: "signature, algorithm and time claims check out" };
  } catch (err) {
    return verdictFromError(err);
  }
}

/** Decode a JWT for display; registered claims in full, private claims by name unless canary. */
export function describeJwt(token: string, verify: JwtVerifyOptions | undefined, nowMs: number): JwtReport {
  let decoded: jwt.Jwt | null = null;
  try {
    decoded = jwt.decode(token, { complete: true, json: true });
  } catch {
    // A payload that is not JSON: reported as malformed below, never thrown to the caller.
  }
  if (!decoded || typeof decoded.payload !== "object" || decoded.payload === null) {
    return {
      header: null,
      claims: {},
      privateClaims: [],
      canary: false,
      verification: { verdict: "malformed", reason: "not a decodable JWT" },
    };
  }
  const payload = decoded.payload as Record<string, unknown>;
  const header: Record<string, unknown> = {};
  for (const field of HEADER_FIELDS) {
    const v = (decoded.header as unknown as Record<string, unknown>)[field];
    if (v !== undefined) header[field] = v;
  }
  const claims: JwtReport["claims"] = {};
  for (const name of ["iss", "sub", "aud", "jti"] as const) {
    if (payload[name] !== undefined) claims[name] = payload[name];
  }
  for (const name of ["exp", "nbf", "iat"] as const) {
    const t = toTime(payload[name], nowMs);
    if (t) claims[name] = t;
  }
  const privateClaims = Object.keys(payload).filter((k) => !REGISTERED.has(k));
  const canary = payload[CANARY_CLAIM] !== undefined;
  const report: JwtReport = {
    header,
    claims,
    privateClaims,
    canary,
    verification: verify
      ? verifyJwt(token, verify, nowMs)
      : { verdict: "not_checked", reason: "the probe was not given a key" },
  };
  if (canary) {
    report.privateClaimValues = Object.fromEntries(privateClaims.map((k) => [k, payload[k]]));
  }
  return report;
}
