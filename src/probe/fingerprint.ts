import { createHash } from "node:crypto";
import type { Fingerprint } from "./types.js";

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value, "latin1").digest("hex");
}

/** Length in bytes as received on the wire (header values are latin1 octets in Node). */
export function fingerprint(value: string): Fingerprint {
  return { length: Buffer.byteLength(value, "latin1"), sha256: sha256Hex(value) };
}

/** What stands in a header list for a secret value: enough to compare, nothing to replay. */
export function redactedText(value: string): string {
  const fp = fingerprint(value);
  return `[redacted length=${fp.length} sha256=${fp.sha256.slice(0, 12)}]`;
}
