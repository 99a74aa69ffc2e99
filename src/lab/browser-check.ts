import type { FindingCode } from "../doctor/findings.js";
import type { BrowserOutcome } from "./browser.js";

/** The finding the doctor (with --origin) must report for each way Chromium failed. */
const EXPECTED_CODE: Partial<Record<BrowserOutcome, FindingCode>> = {
  "blocked: preflight": "CORS_PREFLIGHT_FAILED",
  "blocked: header not allowed": "CORS_AUTH_NOT_ALLOWED",
  "blocked: redirect on preflight": "CORS_PREFLIGHT_FAILED",
  "lost on redirect": "REDIRECT_CROSS_ORIGIN",
  refused: "HEADER_TOO_LARGE",
};
const BROWSER_CODES: readonly string[] = ["CORS_PREFLIGHT_FAILED", "CORS_AUTH_NOT_ALLOWED", "REDIRECT_CROSS_ORIGIN"];

/**
 * The doctor agrees with the browser when it reports CORS or redirect findings exactly when Chromium
 * failed, and the one for the failure Chromium reported. Null when they agree, else why not.
 */
export function browserDisagreement(outcome: BrowserOutcome, codes: string[]): string | null {
  const browserish = codes.filter((c) => BROWSER_CODES.includes(c));
  const want = EXPECTED_CODE[outcome];
  if (!want) {
    return browserish.length ? `Chromium got through (${outcome}) but the doctor reported ${browserish.join(", ")}` : null;
  }
  return codes.includes(want) ? null : `Chromium: ${outcome}; the doctor did not report ${want} (it reported ${codes.join(", ") || "nothing"})`;
}
