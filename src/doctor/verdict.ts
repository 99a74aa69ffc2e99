import { labelOf } from "../components.js";
import { EXIT } from "../exit-codes.js";
import { FINDINGS } from "./findings.js";
import type { DoctorResult, Finding } from "./types.js";

/** Exit codes: 0 nothing wrong, 1 error or warning findings, 3 nothing answered. */
export function exitCodeFor(result: Pick<DoctorResult, "verdict" | "findings">): number {
  if (result.verdict === "unreachable") return EXIT.failure;
  return result.findings.some((f) => f.severity !== "notice") ? EXIT.findings : EXIT.ok;
}

const RANK = { error: 0, warning: 1, notice: 2 } as const;

export function mostSevere(findings: Finding[]): Finding | undefined {
  return [...findings].sort((a, b) => RANK[a.severity] - RANK[b.severity])[0];
}

function blamed(f: Finding): string {
  if (f.server !== "unknown") return labelOf(f.server);
  return f.candidates?.length ? `unknown; candidates: ${f.candidates.map(labelOf).join(", ")}` : "unknown";
}

/** The one line a person reads first; a run that stopped early says so. */
export function summarize(result: Omit<DoctorResult, "summary">): string {
  const line = summaryLine(result);
  return result.notes.length && result.verdict !== "unreachable" ? `${line} (incomplete: see the notes)` : line;
}

function summaryLine(result: Omit<DoctorResult, "summary">): string {
  if (result.verdict === "unreachable") return `Nothing answered at ${result.target}.`;
  const top = mostSevere(result.findings.filter((f) => f.severity !== "notice"));
  const runtime = result.runtime ? `, runtime: ${result.runtime}` : "";
  if (top) {
    const where = `(server: ${blamed(top)}${runtime})`;
    if (top.code === "AUTH_STRIPPED") return `Authorization was stripped between the client and the app ${where}`;
    return `${FINDINGS[top.code].title} ${where}`;
  }
  const where = `(server: ${labelOf(result.server)}${runtime})`;
  if (result.mode === "black-box") return `No probe at ${result.target}: black-box checks found no problem ${where}`;
  return `Authorization reached the app intact ${where}`;
}
