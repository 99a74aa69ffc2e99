/**
 * Which header names, query parameters, cookie names and path segments carry credentials. Kept in
 * one place so the redaction and the "token found elsewhere" detection can never disagree. The
 * Python and PHP probes carry the same lists (proxy-configs/probes/).
 */

const ALWAYS_SECRET_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "authentication",
  "x-authprobe-key",
]);

/** Our own diagnostic headers: safe to echo, and the doctor needs to see them arrive. */
const SAFE_HEADERS = new Set(["x-authprobe-control", "x-authprobe-hop"]);

/** Names of where a request was sent: never redacted by the shape of their value. */
const NEVER_BY_SHAPE = new Set(["host", "x-forwarded-host", "forwarded", "x-forwarded-server", "x-original-host"]);

/** Names that people use for tokens, keys and passwords, with '-' or '_' and any case. */
const TOKENISH_NAME = /(auth|token|jwt|api[-_]?key|secret|passw|passphrase|passcode|session|credential|signature|bearer)/i;
/**
 * Short words that are credentials only as a whole name part: `key`, `X-Access-Key`, `sig`, `code`,
 * one-time and PIN codes (`X-GitHub-OTP`, `X-Amz-Mfa`, `X-Totp`, `X-Card-Pin`).
 */
const TOKENISH_PART = /(^|[-_.])(key|sig|code|pass|pwd|apikey|subscription-key|otp|totp|hotp|mfa|pin)([-_.]|$)/i;

/** A JWS or JWE: base64url segments, the first a JSON header (always "eyJ" or "ey" when encoded). */
const JWT_SHAPE = /^ey[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*(\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)?$/;
const CREDENTIAL_VALUE = /^\s*(bearer|basic|jwt|token|digest|negotiate|dpop)\s+\S/i;
/**
 * A random-looking run anywhere in a text: 24+ characters of the alphabets tokens are written in
 * (base64, base64url, hex), mixing letters and digits. An API key, a session id or a token there.
 */
const SECRET_RUN_LENGTH = 24;
/** 1 for a letter, 2 for a digit, 3 for the other characters of a run (+ / _ = -), by char code. */
const RUN_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  RUN_CHAR[c] = /[A-Za-z]/.test(ch) ? 1 : /[0-9]/.test(ch) ? 2 : /[+/_=-]/.test(ch) ? 3 : 0;
}

/** One pass over the text, no regex or match objects: it runs on every header name and value. */
export function containsSecretRun(text: string): boolean {
  if (text.length < SECRET_RUN_LENGTH) return false;
  let run = 0;
  let letter = false;
  let digit = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const kind = c < 128 ? (RUN_CHAR[c] as number) : 0;
    if (kind === 0) {
      run = 0;
      letter = false;
      digit = false;
      continue;
    }
    run++;
    if (kind === 1) letter = true;
    else if (kind === 2) digit = true;
    if (run >= SECRET_RUN_LENGTH && letter && digit) return true;
  }
  return false;
}

export function decoded(text: string): string {
  // Most names and values have nothing to decode.
  if (!text.includes("%") && !text.includes("+")) return text;
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text; // a malformed escape is still something we must not echo
  }
}

export function looksLikeJwt(value: string): boolean {
  const trimmed = value.trim();
  return trimmed.startsWith("ey") && JWT_SHAPE.test(trimmed);
}

export function isTokenishName(name: string): boolean {
  return TOKENISH_NAME.test(name) || TOKENISH_PART.test(name);
}

/** A header value is secret by its name, or by its shape whatever the name (not for Host and kin). */
export function isSecretHeader(name: string, value: string): boolean {
  const lower = name.toLowerCase();
  if (SAFE_HEADERS.has(lower)) return false;
  if (ALWAYS_SECRET_HEADERS.has(lower) || isTokenishName(lower)) return true;
  // Where the request was sent: not by JWT or scheme shape (api.example.com is no token), but a
  // random 24+ character run is a key wherever it stands.
  if (NEVER_BY_SHAPE.has(lower)) return containsSecretRun(value);
  return looksLikeJwt(value) || CREDENTIAL_VALUE.test(value) || containsSecretRun(value);
}

/** A header name, cookie name or query name can itself hold a key (`X-Key-3f9a...`): shown by fingerprint then. */
export function isSecretName(name: string): boolean {
  return containsSecretRun(decoded(name));
}

export function isSecretParam(name: string, value: string): boolean {
  const v = decoded(value);
  if (isTokenishName(decoded(name)) || isSecretName(name)) return true;
  return looksLikeJwt(v) || CREDENTIAL_VALUE.test(v) || containsSecretRun(v);
}

/** A path segment that is a token or key itself (`/t/eyJ...`, `/keys/3f9a...`). */
export function isSecretSegment(segment: string): boolean {
  const d = decoded(segment);
  return looksLikeJwt(d) || containsSecretRun(d);
}

/**
 * HTTP authentication schemes: IANA's registry and the ones apps commonly accept. A first word
 * outside this list is shown only by length and fingerprint: it may be the secret itself.
 */
const KNOWN_SCHEMES = new Set([
  "basic",
  "bearer",
  "digest",
  "dpop",
  "hoba",
  "mutual",
  "negotiate",
  "ntlm",
  "oauth",
  "scram-sha-1",
  "scram-sha-256",
  "vapid",
  "privatetoken",
  "concealed",
  "jwt",
  "token",
  "aws4-hmac-sha256",
  "apikey",
  "key",
  "sharedaccesssignature",
  "hawk",
]);

export function isKnownScheme(scheme: string): boolean {
  return KNOWN_SCHEMES.has(scheme.toLowerCase());
}
