import { createHmac, randomBytes } from "node:crypto";
import { sha256Hex } from "../probe/fingerprint.js";
import type { Fingerprint } from "../probe/types.js";

export interface Canary extends Fingerprint {
  runId: string;
  token: string;
  /** The exact Authorization value sent: `Bearer <token>`. */
  value: string;
  scheme: string;
}

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

/**
 * A fresh JWT per run, signed with a random key nobody keeps: worthless if it leaks, and
 * recognisable by the probe (the canary claim) so its claims can be shown.
 */
export function mintCanary(options: { bytes?: number; runId?: string } = {}): Canary {
  const runId = options.runId ?? randomBytes(6).toString("hex");
  const scheme = "Bearer";
  const key = randomBytes(32);
  const iat = Math.floor(Date.now() / 1000);
  // HS256 by hand (RFC 7515): the doctor loads no JWT library. The canary claim comes first: the
  // probe recognises a canary by its payload's opening, even when a hop truncated the rest.
  const sign = (pad: string) => {
    const header = b64url({ alg: "HS256", typ: "JWT" });
    const payload = b64url({ authprobe_canary: runId, ...(pad ? { pad } : {}), iat, exp: iat + 300, sub: "authprobe-canary" });
    const signature = createHmac("sha256", key).update(`${header}.${payload}`).digest("base64url");
    return `${header}.${payload}.${signature}`;
  };
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
