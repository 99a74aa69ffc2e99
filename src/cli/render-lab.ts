import { describeExpectation, describeObservation, type LabResult } from "../lab/matrix.js";
import type { HopObservation } from "../lab/observe.js";
import { escapeControl as safe, escapeLines } from "./escape.js";
import { pad, type Styler } from "./style.js";

const MARK: Record<HopObservation["arrival"], string> = {
  intact: "ok",
  missing: "missing",
  replaced: "replaced",
  altered: "altered",
  rejected: "rejected",
};

function hopsText(result: LabResult): string {
  if (!result.observed) return "-";
  return result.observed.hops.map((h) => `${h.hop}:${MARK[h.arrival]}`).join(" > ") || "-";
}

/** The lab matrix as text: one row per scenario, then failures with their log tails. */
export function renderLabMatrix(results: LabResult[], s: Styler, elapsedMs: number): string {
  const withBrowser = results.some((r) => r.browser);
  const rows = results.map((r) => [
    r.id,
    r.server,
    describeExpectation(r.expected),
    r.observed ? describeObservation(r.observed) : r.status === "skipped" ? "skipped" : "error",
    hopsText(r),
    r.doctor ? r.doctor.codes.join(",") || "-" : "-",
    ...(withBrowser ? [r.browser?.outcome ?? "-"] : []),
  ].map(safe)); // cells quote what servers and their logs said: escaped, so the terminal obeys none of it
  const header = ["SCENARIO", "SERVER", "EXPECTED", "OBSERVED", "AT EACH HOP", "DOCTOR", ...(withBrowser ? ["BROWSER"] : [])];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  // Every cell padded, the coloured result last: escape codes never upset the alignment.
  const line = (cells: string[], last: string) => `${cells.map((c, i) => pad(c, widths[i] ?? 0)).join("  ")}  ${last}`;
  const result = (status: LabResult["status"]) =>
    status === "pass" ? s.green("PASS") : status === "fail" ? s.red("FAIL") : s.yellow("SKIPPED");
  const out = [s.bold(line(header, "RESULT"))];
  rows.forEach((row, i) => out.push(line(row, result((results[i] as LabResult).status))));
  const failed = results.filter((r) => r.status === "fail");
  const skipped = results.filter((r) => r.status === "skipped");
  for (const r of failed) {
    out.push("", s.red(`FAIL ${safe(r.id)}: ${safe(r.reason ?? "")}`));
    if (r.logTail) out.push(s.dim(escapeLines(r.logTail).replace(/^/gm, "    ")));
  }
  const reasons = [...new Set(skipped.map((r) => r.reason ?? ""))];
  if (reasons.length) out.push("", ...reasons.map((reason) => s.yellow(`skipped: ${safe(reason)}`)));
  const passed = results.filter((r) => r.status === "pass").length;
  out.push(
    "",
    `${passed} passed, ${failed.length} failed, ${skipped.length} skipped in ${(elapsedMs / 1000).toFixed(1)}s`,
  );
  return `${out.join("\n")}\n`;
}
