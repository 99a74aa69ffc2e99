import { createHash, createHmac, randomBytes } from "node:crypto";
import type { Fingerprint, FingerprintHash } from "./types.js";

/**
 * A plain sha256 of a short credential is the credential to anyone with a word list (a Basic
 * `alice:hunter2` comes back in milliseconds). So every fingerprint is an HMAC-SHA256 under a key
 * drawn once per process and never shown: equal values still match within one report (and one
 * probe process), nothing can be looked up outside it. The one exception is the doctor's canary,
 * recognised by its claim without any key: its plain sha256 is what the doctor compares, and the
 * canary is worthless (signed with a random key nobody keeps).
 */
const PROCESS_KEY = randomBytes(32);

/** `{"authprobe_canary":` as the canary's payload segment starts (the doctor puts that claim first). */
const CANARY_PAYLOAD_START = "{\"authprobe_canary\":";
const CANARY_CLAIM_NAME = "authprobe_canary";
/** The doctor's Basic variant: `authprobe:<runId>`, the runId 12 hex digits. */
const CANARY_BASIC = /^authprobe:[0-9a-f]{12}$/;

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value, "latin1").digest("hex");
}

export function hmacHex(value: string): string {
  return createHmac("sha256", PROCESS_KEY).update(value, "latin1").digest("hex");
}

function base64urlText(segment: string): string {
  return Buffer.from(segment, "base64url").toString("latin1");
}

/** A JWT payload segment (possibly cut short by a hop) that is the canary's. */
function isCanaryPayload(segment: string): boolean {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) return false;
  // Decoded once: a truncated segment's whole 4-character groups decode to the start of this text.
  const text = base64urlText(segment);
  if (text.startsWith(CANARY_PAYLOAD_START)) return true;
  // Without an escape the claim's name can only appear as written: no parse needed to say no.
  if (!text.includes("\\") && !text.includes(CANARY_CLAIM_NAME)) return false;
  try {
    const claims: unknown = JSON.parse(text);
    return typeof claims === "object" && claims !== null && CANARY_CLAIM_NAME in claims;
  } catch {
    return false;
  }
}

/**
 * Whether a value carries the doctor's canary: `[scheme ]<JWT with the canary claim>` (also cut
 * short, re-cased or re-spaced by a hop), or the Basic variant. Needs no key: the claim says it.
 */
export function isCanaryValue(value: string): boolean {
  const trimmed = value.trim();
  const match = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+)[ \t]+(.*)$/s.exec(trimmed);
  const credentials = (match ? (match[2] ?? "") : trimmed).trim();
  if (match && match[1]?.toLowerCase() === "basic") return CANARY_BASIC.test(Buffer.from(credentials, "base64").toString("latin1"));
  const parts = credentials.split(".");
  return parts.length >= 2 && (parts[0] ?? "").startsWith("ey") && isCanaryPayload(parts[1] ?? "");
}

export function fingerprintHash(value: string): FingerprintHash {
  return isCanaryValue(value) ? "sha256" : "hmac-sha256";
}

/**
 * Fingerprints already made for the report being built: a report fingerprints its Authorization
 * value twice (in the header list and in its analysis). Only while one report is built
 * (synchronously), then dropped: no credential outlives its request here.
 */
let memo: Map<string, Fingerprint> | null = null;

export function withFingerprintMemo<T>(build: () => T): T {
  const outer = memo;
  memo = outer ?? new Map();
  try {
    return build();
  } finally {
    memo = outer;
  }
}

/** Length in bytes as received on the wire (header values are latin1 octets in Node). */
export function fingerprint(value: string): Fingerprint {
  const known = memo?.get(value);
  if (known) return { ...known };
  const hash = fingerprintHash(value);
  const fp: Fingerprint = { length: Buffer.byteLength(value, "latin1"), sha256: hash === "sha256" ? sha256Hex(value) : hmacHex(value), hash };
  memo?.set(value, fp);
  return { ...fp };
}

/** What stands in a header list for a secret value: enough to compare, nothing to replay or look up. */
export function redactedText(value: string): string {
  const fp = fingerprint(value);
  return `[redacted length=${fp.length} ${fp.hash === "sha256" ? "sha256" : "hmac"}=${fp.sha256.slice(0, 12)}]`;
}
