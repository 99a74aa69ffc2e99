import { fingerprint } from "./fingerprint.js";
import { isKnownScheme } from "./sensitive.js";
import type { AuthorizationValue, AuthProblem } from "./types.js";

/** Canonical spelling of the schemes clients commonly send; used to flag re-cased schemes. */
const CANONICAL_SCHEMES = ["Bearer", "Basic", "Digest", "JWT", "Token", "Negotiate", "DPoP"];

export interface ParsedAuthorization {
  scheme: string | null;
  credentials: string;
}

/** RFC 9110 credentials: a scheme token, one or more spaces, then the token68 or parameters. */
const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+.^_`|~-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") TCHAR[c.charCodeAt(0)] = 1;

/**
 * `^(tchar+)[ \t]+(.*)$` by hand: the longest run of token characters, then a space or tab. A
 * regex ran over the whole ~1 KB value several times a request.
 */
export function parseAuthorization(value: string): ParsedAuthorization {
  const trimmed = value.trim();
  let k = 0;
  while (k < trimmed.length) {
    const c = trimmed.charCodeAt(k);
    if (c >= 128 || TCHAR[c] !== 1) break;
    k++;
  }
  const next = trimmed.charCodeAt(k);
  if (k === 0 || (next !== 0x20 && next !== 0x09)) return { scheme: null, credentials: trimmed };
  return { scheme: trimmed.slice(0, k), credentials: trimmed.slice(k + 1).trim() };
}

/**
 * The scheme is shown only when it is an auth scheme (or one the app says it accepts): a first word
 * that is not may be the secret itself, and is then known by the value's fingerprint alone.
 */
export function shownScheme(value: string, accepted: readonly string[] = []): string | null {
  const { scheme } = parseAuthorization(value);
  if (scheme === null) return null;
  return isKnownScheme(scheme) || accepted.some((a) => a.toLowerCase() === scheme.toLowerCase()) ? scheme : null;
}

export function describeValue(name: string, value: string, accepted: readonly string[] = []): AuthorizationValue {
  return { name, scheme: shownScheme(value, accepted), ...fingerprint(value) };
}

/** Problems a real proxy or client introduces; each one explains a 401 that "should not happen". */
export function findValueProblems(value: string, accepted: readonly string[] = []): AuthProblem[] {
  const problems: AuthProblem[] = [];
  if (value.trim() === "") {
    problems.push({ code: "empty", message: "Authorization is present but empty" });
    return problems;
  }
  const { scheme } = parseAuthorization(value);
  if (scheme === null) {
    problems.push({
      code: "no_scheme",
      message: "Authorization has no scheme: send 'Bearer <token>', not the bare token",
    });
  } else if (shownScheme(value, accepted) === null) {
    problems.push({
      code: "unknown_scheme",
      message: "the first word of Authorization is not an auth scheme (not shown: it may be the token): send 'Bearer <token>'",
    });
  } else {
    const canonical = CANONICAL_SCHEMES.find((s) => s.toLowerCase() === scheme.toLowerCase());
    if (canonical && canonical !== scheme) {
      problems.push({
        code: "lowercase_scheme",
        message: `scheme sent as '${scheme}', not '${canonical}': RFC 9110 says case-insensitive, many apps compare exactly`,
      });
    }
  }
  if (/^\s|\s$/.test(value) || /^[^ \t]+([ \t]{2,}|\t)/.test(value)) {
    problems.push({
      code: "extra_whitespace",
      message: "extra whitespace around or inside the Authorization value",
    });
  }
  if (/,\s*(Bearer|Basic|JWT|Token|Digest)\s/i.test(value)) {
    problems.push({
      code: "comma_merged",
      message: "two credentials merged into one value with a comma: a hop joined duplicate headers",
    });
  }
  return problems;
}
