import { labelOf } from "../components.js";
import type { DoctorResult, Finding } from "../doctor/types.js";
import { escapeControl as safe } from "./escape.js";
import type { Styler } from "./style.js";

function fixFor(f: Finding): string {
  if (f.server !== "unknown") return labelOf(f.server);
  return f.candidates?.length ? `not certain; candidates: ${f.candidates.map(labelOf).join(", ")}` : "any server";
}

// Evidence, notes, fixes and the summary quote what servers sent (bodies, challenges, reports,
// URLs): every such string is escaped before it reaches the terminal, and styled only after.
function renderFinding(f: Finding, s: Styler): string[] {
  const colour = f.severity === "error" ? s.red : f.severity === "warning" ? s.yellow : s.dim;
  const lines = [
    `${s.bold(f.code)}  ${colour(f.severity)}  ${safe(f.title)}`,
    `  sent:     ${safe(f.evidence.sent)}`,
    `  received: ${safe(f.evidence.received)}`,
    ...(f.evidence.notes ?? []).map((n) => `  - ${safe(n)}`),
    `  fix (${safe(fixFor(f))}):`,
    ...f.fix.steps.map((step, i) => `    ${i + 1}. ${safe(step)}`),
    `  docs: ${safe(f.fix.docs)}`,
  ];
  return lines;
}

/** Verdict first, then each finding: code, evidence, numbered fixes, link. */
export function renderDoctor(result: DoctorResult, s: Styler, elapsedMs: number): string {
  const out = [s.bold(safe(result.summary))];
  for (const f of result.findings) out.push("", ...renderFinding(f, s));
  for (const note of result.notes) out.push("", s.yellow(`note: ${safe(note)}`));
  out.push("", s.dim(`${result.findings.length} finding(s), ${result.requests} request(s) in ${(elapsedMs / 1000).toFixed(2)}s`));
  return `${out.join("\n")}\n`;
}

/** `--json`: exactly the contract, nothing else. */
export function doctorJson(result: DoctorResult): string {
  // notes: a run cut short (deadline, request budget) must not look complete to a script.
  return `${JSON.stringify({ target: result.target, verdict: result.verdict, findings: result.findings, notes: result.notes })}\n`;
}
