import { FINDINGS } from "./findings.js";
import type { DoctorResult, Finding } from "./types.js";

const SERVER_NAMES: Record<string, string> = { nginx: "nginx", apache: "Apache", node: "Node", unknown: "unknown" };

/** Exit codes (DESIGN.md): 0 nothing wrong, 1 error or warning findings, 3 nothing answered. */
export function exitCodeFor(result: Pick<DoctorResult, "verdict" | "findings">): 0 | 1 | 3 {
  if (result.verdict === "unreachable") return 3;
  return result.findings.some((f) => f.severity !== "notice") ? 1 : 0;
}

const RANK = { error: 0, warning: 1, notice: 2 } as const;

export function mostSevere(findings: Finding[]): Finding | undefined {
  return [...findings].sort((a, b) => RANK[a.severity] - RANK[b.severity])[0];
}

/** The one line a person reads first. */
export function summarize(result: Omit<DoctorResult, "summary">): string {
  if (result.verdict === "unreachable") return `Nothing answered at ${result.target}.`;
  const top = mostSevere(result.findings.filter((f) => f.severity !== "notice"));
  // Name the server the top finding blames (in a chain, not always the one in front).
  const server = top && top.server !== "unknown" ? top.server : result.server;
  const where = `(server: ${SERVER_NAMES[server] ?? server}${result.runtime ? `, runtime: ${result.runtime}` : ""})`;
  if (top?.code === "AUTH_STRIPPED") return `Authorization was stripped between the client and the app ${where}`;
  if (top) return `${FINDINGS[top.code].title} ${where}`;
  if (result.mode === "black-box") return `No probe at ${result.target}: black-box checks found no problem ${where}`;
  return `Authorization reached the app intact ${where}`;
}
