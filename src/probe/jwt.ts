import type { KeyObject } from "node:crypto";
import jwt from "jsonwebtoken";
import { bounded } from "./bounded.js";
import type { JwtReport, JwtTime, JwtVerdict } from "./types.js";

export const CANARY_CLAIM = "authprobe_canary";

const REGISTERED = new Set(["iss", "sub", "aud", "exp", "nbf", "iat", "jti"]);
/** Larger than any real token and than Node's whole default header limit: not decoded at all. */
export const MAX_DECODED_TOKEN = 16_384;
/** JWS header parameters this code understands (RFC 7515 4.1.11): a `crit` naming others is refused. */
const UNDERSTOOD_CRIT = new Set<string>();

/** RFC 7515 4.1.11: a token whose `crit` names an extension we do not implement must be rejected. */
export function unsupportedCrit(header: unknown): string | null {
  const crit = (header as { crit?: unknown } | null)?.crit;
  if (crit === undefined) return null;
  if (!Array.isArray(crit) || crit.length === 0) return "the crit header parameter is malformed";
  const unknown = crit.filter((c) => typeof c !== "string" || !UNDERSTOOD_CRIT.has(c));
  return unknown.length ? "the token requires an extension this server does not implement (crit)" : null;
}
const HEADER_FIELDS = ["alg", "typ", "kid", "cty"];

/** JWS algorithms (RFC 7518), spelled out so the public types need no @types/jsonwebtoken. */
export type JwtAlgorithm =
  | "HS256" | "HS384" | "HS512"
  | "RS256" | "RS384" | "RS512"
  | "ES256" | "ES384" | "ES512"
  | "PS256" | "PS384" | "PS512";

export interface JwtVerifyOptions {
  /** A KeyObject made once: jsonwebtoken turns a string secret into a KeyObject on every verify. */
  key: KeyObject;
  algorithms: JwtAlgorithm[];
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
    const verified = jwt.verify(token, opts.key, {
      algorithms: opts.algorithms,
      clockTimestamp: Math.floor(nowMs / 1000),
      complete: true,
      ...(opts.issuer ? { issuer: opts.issuer } : {}),
      ...(opts.audience ? { audience: opts.audience } : {}),
    });
    const crit = unsupportedCrit(verified.header);
    if (crit) return { verdict: "malformed", reason: crit };
    return { verdict: "valid", reason: "signature, algorithm and time claims check out" };
  } catch (err) {
    return verdictFromError(err);
  }
}

/** A JWS in compact form: header and payload segments, the signature possibly empty (alg none). */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Header and payload of a compact JWS, for display only (never trusted): what jws.decode gave,
 * without its per-call regex, splits and stream machinery. A JWE, a payload that is not a JSON
 * object or a token over MAX_DECODED_TOKEN decodes to null. The size bound and bounded() on every
 * shown value keep a hostile payload (nested thousands of levels deep) harmless.
 */
export function decodeJws(token: string): { header: unknown; payload: Record<string, unknown> } | null {
  if (token.length > MAX_DECODED_TOKEN || !COMPACT_JWS.test(token)) return null;
  const dot1 = token.indexOf(".");
  const dot2 = token.indexOf(".", dot1 + 1);
  // jws read the header as latin1 and the payload as UTF-8; so does this, for the same claims.
  const header = parseJson(Buffer.from(token.slice(0, dot1), "base64url").toString("latin1"));
  if (!header) return null;
  const payload = parseJson(Buffer.from(token.slice(dot1 + 1, dot2), "base64url").toString("utf8"));
  if (typeof payload !== "object" || payload === null) return null;
  return { header, payload: payload as Record<string, unknown> };
}

/** Decode a JWT for display; registered claims in full, private claims by name unless canary. */
export function describeJwt(token: string, verify: JwtVerifyOptions | undefined, nowMs: number): JwtReport {
  const decoded = decodeJws(token);
  if (!decoded) {
    return {
      header: null,
      claims: {},
      privateClaims: [],
      canary: false,
      verification: { verdict: "malformed", reason: "not a decodable JWT" },
    };
  }
  const payload = decoded.payload;
  const header: Record<string, unknown> = {};
  for (const field of HEADER_FIELDS) {
    const v = (decoded.header as Record<string, unknown>)[field];
    if (v !== undefined) header[field] = bounded(v);
  }
  const claims: JwtReport["claims"] = {};
  for (const name of ["iss", "sub", "aud", "jti"] as const) {
    if (payload[name] !== undefined) claims[name] = bounded(payload[name]);
  }
  for (const name of ["exp", "nbf", "iat"] as const) {
    const t = toTime(payload[name], nowMs);
    if (t) claims[name] = t;
  }
  const privateClaims = Object.keys(payload)
    .filter((k) => !REGISTERED.has(k))
    .slice(0, 50)
    .map((k) => k.slice(0, 128));
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
    report.privateClaimValues = Object.fromEntries(privateClaims.map((k) => [k, bounded(payload[k])]));
  }
  return report;
}
