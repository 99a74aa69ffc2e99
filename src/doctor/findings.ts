/** Stable finding codes: add codes, never rename or remove (users match on them). One docs page per code. */
export const FINDING_CODES = [
  "AUTH_STRIPPED",
  "AUTH_REPLACED",
  "AUTH_ALTERED",
  "AUTH_DUPLICATED",
  "HEADER_TOO_LARGE",
  "UNDERSCORE_HEADER_DROPPED",
  "REDIRECT_CROSS_ORIGIN",
  "CORS_PREFLIGHT_FAILED",
  "CORS_AUTH_NOT_ALLOWED",
  "PROXY_AUTH_CHALLENGE",
  "HOP_BY_HOP_STRIPPED",
  "UPSTREAM_UNREACHABLE",
  "TOKEN_REJECTED",
  "SCHEME_MISMATCH",
  "PROBE_NOT_FOUND",
  "AUTH_NOT_VERIFIED",
  "PROBE_REPORT_INVALID",
] as const;

export type FindingCode = (typeof FINDING_CODES)[number];

/** error: the token is lost or refused; warning: it will be for some clients; notice: worth knowing. */
export type Severity = "error" | "warning" | "notice";

export interface FindingInfo {
  title: string;
  severity: Severity;
}

export const FINDINGS: Record<FindingCode, FindingInfo> = {
  AUTH_STRIPPED: {
    title: "Authorization was stripped before the app",
    severity: "error",
  },
  AUTH_REPLACED: {
    title: "Authorization was replaced on the way",
    severity: "error",
  },
  AUTH_ALTERED: {
    title: "Authorization was altered on the way",
    severity: "error",
  },
  AUTH_DUPLICATED: {
    title: "Authorization arrived more than once",
    severity: "error",
  },
  HEADER_TOO_LARGE: {
    title: "Large tokens are refused",
    severity: "warning",
  },
  UNDERSCORE_HEADER_DROPPED: {
    title: "Headers with underscores are dropped",
    severity: "notice",
  },
  REDIRECT_CROSS_ORIGIN: {
    title: "A redirect to another origin drops the token",
    severity: "error",
  },
  CORS_PREFLIGHT_FAILED: {
    title: "The CORS preflight fails",
    severity: "error",
  },
  CORS_AUTH_NOT_ALLOWED: {
    title: "CORS does not allow the Authorization header",
    severity: "error",
  },
  PROXY_AUTH_CHALLENGE: {
    title: "An intermediary answers 401 with its own challenge",
    severity: "error",
  },
  HOP_BY_HOP_STRIPPED: {
    title: "Authorization is dropped when listed in Connection",
    severity: "notice",
  },
  UPSTREAM_UNREACHABLE: {
    title: "The upstream is unreachable",
    severity: "error",
  },
  TOKEN_REJECTED: {
    title: "The app received the token and refused it",
    severity: "error",
  },
  SCHEME_MISMATCH: {
    title: "The app expects another Authorization scheme",
    severity: "error",
  },
  PROBE_NOT_FOUND: {
    title: "No authprobe probe at this URL",
    severity: "notice",
  },
  AUTH_NOT_VERIFIED: {
    title: "Could not verify that a token reaches the app",
    severity: "warning",
  },
  PROBE_REPORT_INVALID: {
    title: "A probe answered with an invalid report",
    severity: "error",
  },
};

export function docsPath(code: FindingCode): string {
  return `docs/findings/${code}.md`;
}
