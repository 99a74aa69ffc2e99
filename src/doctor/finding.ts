import { type FindingCode, FINDINGS, docsPath, type Severity } from "./findings.js";
import { type FixContext, fixSteps } from "./fixes.js";
import type { Finding } from "./types.js";

export function makeFinding(
  code: FindingCode,
  evidence: Finding["evidence"],
  fix: FixContext,
  severity: Severity = FINDINGS[code].severity,
): Finding {
  const candidates = fix.server === "unknown" ? (fix.candidates ?? []).filter((c) => c !== "unknown") : [];
  return {
    code,
    severity,
    title: FINDINGS[code].title,
    evidence,
    server: fix.server,
    ...(candidates.length ? { candidates } : {}),
    fix: { steps: fixSteps(code, fix), docs: docsPath(code) },
  };
}

/** How a sent credential is described in evidence: never its value. */
export function describeSent(value: string, label = "Authorization"): string {
  const space = value.indexOf(" ");
  const scheme = space > 0 ? `${value.slice(0, space)} ` : "";
  return `${label}: ${scheme}<canary, ${Buffer.byteLength(value)} bytes>`;
}
