import { z } from "zod";
import { firstIssue } from "../schema-errors.js";
import type { ProbeReport } from "./types.js";

// Probe report v1 as zod reads it (docs/probe-report.schema.json in code): what the doctor and the
// lab rely on is checked before they touch it. Unknown keys pass (the contract is additive).
const strings = z.array(z.string());
const count = z.number().int().min(0);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const time = z.object({ epoch: z.number(), iso: z.string(), relative: z.string() });

const jwt = z.object({
  header: z.record(z.string(), z.unknown()).nullable(),
  claims: z.object({
    iss: z.unknown().optional(),
    sub: z.unknown().optional(),
    aud: z.unknown().optional(),
    jti: z.unknown().optional(),
    exp: time.optional(),
    nbf: time.optional(),
    iat: time.optional(),
  }),
  privateClaims: strings,
  privateClaimValues: z.record(z.string(), z.unknown()).optional(),
  canary: z.boolean(),
  verification: z.object({
    verdict: z.enum(["valid", "bad_signature", "expired", "not_yet_valid", "wrong_audience", "wrong_issuer", "malformed", "algorithm_not_allowed", "not_checked"]),
    reason: z.string(),
  }),
});

const reportSchema = z.object({
  probe: z.literal("authprobe"),
  version: z.literal(1),
  runtime: z.enum(["node", "wsgi", "cgi", "php"]),
  runtimeServer: z.string().min(1).optional(),
  runtimeVersion: z.string().min(1).optional(),
  serverSoftware: z.string().optional(),
  hop: z.string().min(1).optional(),
  hopServer: z.string().min(1).optional(),
  embedded: z.literal(true).optional(),
  request: z.object({
    method: z.string().min(1),
    path: z.string(),
    httpVersion: z.string(),
    remoteAddress: z.string().nullable(),
  }),
  headers: z.array(z.tuple([z.string(), z.string()])),
  authorization: z.object({
    present: z.boolean(),
    count,
    scheme: z.string().nullable(),
    length: count.nullable(),
    sha256: sha256.nullable(),
    values: z.array(z.object({ name: z.string(), scheme: z.string().nullable(), length: count, sha256 })),
    jwt: jwt.nullable(),
    problems: z.array(
      z.object({
        code: z.enum(["duplicate", "comma_merged", "lowercase_scheme", "no_scheme", "extra_whitespace", "empty", "misnamed_header", "token_elsewhere", "unknown_scheme"]),
        message: z.string(),
      }),
    ),
  }),
  alternatives: z.array(
    z.object({
      where: z.enum(["cookie", "query", "header", "env", "path"]),
      name: z.string(),
      length: count,
      sha256,
      looksLikeJwt: z.boolean(),
      underscore: z.boolean(),
    }),
  ),
  forwarding: z.object({
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
  const result = reportSchema.safeParse(parsed);
  // The body as sent, not zod's copy: fields newer than this schema are kept.
  if (result.success) return { kind: "report", report: parsed as ProbeReport };
  const { field, reason } = firstIssue(result.error);
  return { kind: "invalid", field: field || "(report)", reason };
}

/** A response body is a probe report only if it says so, speaks version 1 and follows its schema. */
export function parseProbeReport(body: string): ProbeReport | null {
  const read = readProbeReport(body);
  return read.kind === "report" ? read.report : null;
}
