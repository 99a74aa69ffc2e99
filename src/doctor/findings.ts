/** Stable finding codes (DESIGN.md): add codes, never rename or remove. One docs page per code. */
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
] as const;

export type FindingCode = (typeof FINDING_CODES)[number];

/** error: the token is lost or refused; warning: it will be for some clients; notice: worth knowing. */
export type Severity = "error" | "warning" | "notice";

export interface FindingInfo {
  title: string;
  severity: Severity;
  description: string;
}

export const FINDINGS: Record<FindingCode, FindingInfo> = {
  AUTH_STRIPPED: {
    title: "Authorization was stripped before the app",
    severity: "error",
    description: "The client sent Authorization; the app received none.",
  },
  AUTH_REPLACED: {
    title: "Authorization was replaced on the way",
    severity: "error",
    description: "The app received an Authorization header, but not the one the client sent.",
  },
  AUTH_ALTERED: {
    title: "Authorization was altered on the way",
    severity: "error",
    description: "The app received the client's credential changed: truncated, re-cased or re-spaced.",
  },
  AUTH_DUPLICATED: {
    title: "Authorization arrived more than once",
    severity: "error",
    description: "The app received several Authorization values (or one comma-merged value) for one sent.",
  },
  HEADER_TOO_LARGE: {
    title: "Large tokens are refused",
    severity: "warning",
    description: "A hop refuses Authorization headers above a size that real tokens reach.",
  },
  UNDERSCORE_HEADER_DROPPED: {
    title: "Headers with underscores are dropped",
    severity: "notice",
    description: "A header named like X_Auth_Token or access_token does not reach the app.",
  },
  REDIRECT_CROSS_ORIGIN: {
    title: "A redirect to another origin drops the token",
    severity: "error",
    description: "The URL redirects to another scheme, host or port; clients drop Authorization there.",
  },
  CORS_PREFLIGHT_FAILED: {
    title: "The CORS preflight fails",
    severity: "error",
    description: "The browser's OPTIONS preflight is refused, so the real request is never sent.",
  },
  CORS_AUTH_NOT_ALLOWED: {
    title: "CORS does not allow the Authorization header",
    severity: "error",
    description: "The preflight answer does not list Authorization in Access-Control-Allow-Headers.",
  },
  PROXY_AUTH_CHALLENGE: {
    title: "An intermediary answers 401 with its own challenge",
    severity: "error",
    description: "A proxy in front of the app demands its own credentials and claims the Authorization header.",
  },
  HOP_BY_HOP_STRIPPED: {
    title: "Authorization is dropped when listed in Connection",
    severity: "notice",
    description: "A client sending 'Connection: ..., Authorization' loses the header at an RFC-conformant proxy.",
  },
  UPSTREAM_UNREACHABLE: {
    title: "The upstream is unreachable",
    severity: "error",
    description: "502/503/504 or no answer: not a header problem; the app behind the proxy is not answering.",
  },
  TOKEN_REJECTED: {
    title: "The app received the token and refused it",
    severity: "error",
    description: "The header arrived intact; the app refused the token. Look at the app, not the proxy.",
  },
  SCHEME_MISMATCH: {
    title: "The app expects another Authorization scheme",
    severity: "error",
    description: "The app refuses the scheme sent (e.g. wants JWT, got Bearer).",
  },
  PROBE_NOT_FOUND: {
    title: "No authprobe probe at this URL",
    severity: "notice",
    description: "Only black-box checks were possible: what reached the app cannot be seen without a probe.",
  },
};

export function docsPath(code: FindingCode): string {
  return `docs/findings/${code}.md`;
}
