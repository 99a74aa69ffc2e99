import type { ProbeReport } from "./types.js";

/** A response body is a probe report only if it says so and speaks version 1 of the contract. */
export function parseProbeReport(body: string): ProbeReport | null {
  try {
    const parsed = JSON.parse(body) as ProbeReport;
    return parsed?.probe === "authprobe" && parsed.version === 1 ? parsed : null;
  } catch {
    return null; // not JSON: somebody else answered
  }
}
