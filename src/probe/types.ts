/** Probe report v1: the contract shared by the Node, WSGI and CGI probes (docs/probe-report.schema.json). */

export type ProbeRuntime = "node" | "wsgi" | "cgi" | "php";

export interface ProbeInput {
  method: string;
  /** Path and query exactly as received on the request line. */
  url: string;
  /** Node's `rawHeaders`: alternating names and values, original case, duplicates kept. */
  rawHeaders: readonly string[];
  httpVersion: string;
  remoteAddress?: string | undefined;
  /** How many headers the server keeps (Node's maxHeadersCount); 0 or absent: no known limit. */
  headerLimit?: number | undefined;
}

/**
 * How `sha256` was made: `sha256` (plain, only for the doctor's recognised canary, so the doctor can
 * compare it) or `hmac-sha256` (keyed with a random per-process key: comparable within one probe
 * process, useless to a word list).
 */
export type FingerprintHash = "sha256" | "hmac-sha256";

/** A credential is never echoed: its length and keyed hash stand in for it. */
export interface Fingerprint {
  length: number;
  sha256: string;
  /** Additive to v1: absent in reports of older probes, which always hashed plainly. */
  hash?: FingerprintHash;
}

export type AuthProblemCode =
  | "duplicate"
  | "comma_merged"
  | "lowercase_scheme"
  | "no_scheme"
  | "extra_whitespace"
  | "empty"
  | "misnamed_header"
  | "token_elsewhere"
  | "unknown_scheme";

export interface AuthProblem {
  code: AuthProblemCode;
  message: string;
}

export interface AuthorizationValue extends Fingerprint {
  /** The header name as received (e.g. `authorization` after a proxy lowercased it). */
  name: string;
  scheme: string | null;
}

export type JwtVerdict =
  | "valid"
  | "bad_signature"
  | "expired"
  | "not_yet_valid"
  | "wrong_audience"
  | "wrong_issuer"
  | "malformed"
  | "algorithm_not_allowed"
  | "not_checked";

export interface JwtTime {
  epoch: number;
  iso: string;
  /** "in 59m 12s" or "3m 4s ago". */
  relative: string;
}

export interface JwtReport {
  header: Record<string, unknown> | null;
  claims: {
    iss?: unknown;
    sub?: unknown;
    aud?: unknown;
    jti?: unknown;
    exp?: JwtTime;
    nbf?: JwtTime;
    iat?: JwtTime;
  };
  /** Names of non-registered claims; their values only for authprobe canary tokens. */
  privateClaims: string[];
  privateClaimValues?: Record<string, unknown>;
  canary: boolean;
  verification: { verdict: JwtVerdict; reason: string };
}

export interface AuthorizationReport {
  present: boolean;
  count: number;
  /** Scheme, length and sha256 of the first Authorization value received. */
  scheme: string | null;
  length: number | null;
  sha256: string | null;
  /** How that `sha256` was made (see Fingerprint); null when no Authorization arrived. */
  hash?: FingerprintHash | null;
  values: AuthorizationValue[];
  jwt: JwtReport | null;
  problems: AuthProblem[];
}

export interface Alternative extends Fingerprint {
  /** env: a CGI/FastCGI variable other than HTTP_AUTHORIZATION, e.g. REDIRECT_HTTP_AUTHORIZATION. */
  where: "cookie" | "query" | "header" | "env" | "path";
  name: string;
  looksLikeJwt: boolean;
  /** Header names with underscores are dropped by nginx, gunicorn >= 22 and others by default. */
  underscore: boolean;
}

export interface ForwardingReport {
  via: string[];
  forwarded: string[];
  xForwardedFor: string[];
  xForwardedProto: string[];
  xForwardedHost: string[];
  xForwardedPort: string[];
  xRealIp: string[];
}

export interface ProbeReport {
  probe: "authprobe";
  version: 1;
  runtime: ProbeRuntime;
  /** The application server that ran the probe: node, mod_wsgi, gunicorn, uwsgi, php-fpm, cgi. */
  runtimeServer?: string;
  runtimeVersion?: string;
  /** SERVER_SOFTWARE as a CGI, FastCGI or WSGI app saw it: the web server that spoke to it. */
  serverSoftware?: string;
  /** Set when a lab hop answers its hop-echo path: which hop this report describes. */
  hop?: string;
  /** The product of that hop (nginx, haproxy, node, ...), when it says. */
  hopServer?: string;
  /** Set by the Express router: the app's own middleware may answer some requests before the probe. */
  embedded?: true;
  /**
   * Node only, set when the request brought at least as many headers as the server keeps
   * (http maxHeadersCount): Node silently drops the rest, so a missing header may have been sent.
   */
  headerLimit?: { reached: true; limit: number; received: number };
  request: {
    method: string;
    path: string;
    httpVersion: string;
    remoteAddress: string | null;
  };
  headers: [string, string][];
  authorization: AuthorizationReport;
  alternatives: Alternative[];
  forwarding: ForwardingReport;
}
