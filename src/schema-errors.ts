import type { z } from "zod";

/**
 * The first problem zod found, in this project's words: the field's dotted path and the reason
 * ("'headers.mode' must be forward or allowlist"). Schemas carry their own messages; these fill in
 * the generic cases.
 */
export function firstIssue(error: z.ZodError): { path: (string | number)[]; field: string; reason: string } {
  const issue = error.issues[0] as z.core.$ZodIssue;
  const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
  if (issue.code === "unrecognized_keys") {
    const full = [...path, issue.keys[0] ?? ""];
    return { path: full, field: full.join("."), reason: "is not a known field" };
  }
  const generic = /^(Invalid input|Invalid option|Too (small|big))/.test(issue.message);
  let reason = issue.message;
  if (generic && issue.code === "invalid_value") reason = `must be one of ${issue.values.map(String).join(", ")}`;
  else if (generic && issue.code === "invalid_type" && issue.input === undefined) reason = "is required";
  else if (generic && issue.code === "invalid_type") reason = `must be a ${issue.expected}`;
  return { path, field: path.join("."), reason };
}
