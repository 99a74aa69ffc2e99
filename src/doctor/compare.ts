import { sha256Hex } from "../probe/fingerprint.js";

export type Arrival = "intact" | "missing" | "replaced" | "altered";

export interface Received {
  present: boolean;
  sha256: string | null;
  length: number | null;
  /** `hmac-sha256`: keyed by the probe because the value is no canary, not even a cut one. */
  hash?: string | null;
}

export interface Comparison {
  arrival: Arrival;
  /** For `altered`: what changed, in words. */
  change?: string;
}

/** Transformations hops are known to apply; each is checked by hashing the sent value likewise. */
function alterations(sent: string, receivedLength: number): [string, string][] {
  const space = sent.indexOf(" ");
  const scheme = space > 0 ? sent.slice(0, space) : "";
  const rest = space > 0 ? sent.slice(space) : sent;
  const candidates: [string, string][] = [
    [`${scheme.toLowerCase()}${rest}`, `scheme re-cased to '${scheme.toLowerCase()}'`],
    [`${scheme.toUpperCase()}${rest}`, `scheme re-cased to '${scheme.toUpperCase()}'`],
    [sent.replace(" ", "  "), "whitespace changed after the scheme"],
    [rest.trim(), "the scheme was removed"],
  ];
  if (receivedLength < sent.length) {
    candidates.push([
      sent.slice(0, receivedLength),
      `truncated to ${receivedLength} of ${sent.length} bytes`,
    ]);
  }
  return candidates;
}

/** Compares what the probe received with what was sent, by fingerprint only. */
export function compareArrival(sentValue: string, received: Received): Comparison {
  if (!received.present || received.sha256 === null) return { arrival: "missing" };
  // The probe hashes plainly only what still carries the canary; anything keyed replaced it.
  if (received.hash === "hmac-sha256") return { arrival: "replaced" };
  if (received.sha256 === sha256Hex(sentValue)) return { arrival: "intact" };
  for (const [candidate, change] of alterations(sentValue, received.length ?? 0)) {
    if (sha256Hex(candidate) === received.sha256) return { arrival: "altered", change };
  }
  return { arrival: "replaced" };
}
