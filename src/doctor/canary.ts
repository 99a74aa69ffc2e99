import { createSecretKey, randomBytes } from "node:crypto";
import jwt from "jsonwebtoken";
import { sha256Hex } from "../probe/fingerprint.js";
import { CANARY_CLAIM } from "../probe/jwt.js";
import type { Fingerprint } from "../probe/types.js";

export interface Canary extends Fingerprint {
  runId: string;
  token: string;
  /** The exact Authorization value sent: `Bearer <token>`. */
  value: string;
  scheme: string;
}

/**
 * A fresh JWT per run, signed with a random key nobody keeps: worthless if it leaks, and
 * recognisable by the probe (the canary claim) so its claims can be shown.
 */
export function mintCanary(options: { bytes?: number; runId?: string } = {}): Canary {
  const runId = options.runId ?? randomBytes(6).toString("hex");
  const scheme = "Bearer";
  const key = createSecretKey(randomBytes(32));
  const sign = (pad: string) =>
    jwt.sign({ [CANARY_CLAIM]: runId, ...(pad ? { pad } : {}) }, key, {
      algorithm: "HS256",
      expiresIn: 300,
      subject: "authprobe-canary",
    });
  let token = sign("");
  const target = options.bytes ?? 0;
  const overhead = scheme.length + 1;
  if (target > token.length + overhead) {
    // base64url grows 4/3: pad the claim so the whole header value lands near the target size.
    const padChars = Math.max(0, Math.floor(((target - overhead - token.length) * 3) / 4) - 4);
    token = sign("x".repeat(padChars));
  }
  const value = `${scheme} ${token}`;
  // The plain sha256 the probe shows for a value it recognises as a canary (probe/fingerprint.ts).
  return { runId, token, value, scheme, length: Buffer.byteLength(value, "latin1"), sha256: sha256Hex(value), hash: "sha256" };
}
