/**
 * Which header names, query parameters and cookie names carry credentials. Kept in one place so the
 * redaction and the "token found elsewhere" detection can never disagree.
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

/** Names that people use for tokens and API keys, with '-' or '_' and any case. */
const TOKENISH_NAME = /(auth|token|jwt|api[-_]?key|secret|passw|session|credential|signature|bearer)/i;

const JWT_SHAPE = /^[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*$/;
const CREDENTIAL_VALUE = /^\s*(bearer|basic|jwt|token|digest|negotiate)\s+\S/i;

export function looksLikeJwt(value: string): boolean {
  return JWT_SHAPE.test(value.trim());
}

export function isTokenishName(name: string): boolean {
  return TOKENISH_NAME.test(name);
}

/** A header value is secret by its name, or by its shape whatever the name. */
export function isSecretHeader(name: string, value: string): boolean {
  const lower = name.toLowerCase();
  if (SAFE_HEADERS.has(lower)) return false;
  if (ALWAYS_SECRET_HEADERS.has(lower) || isTokenishName(lower)) return true;
  return looksLikeJwt(value) || CREDENTIAL_VALUE.test(value);
}

export function isSecretParam(name: string, value: string): boolean {
  return isTokenishName(name) || looksLikeJwt(value) || CREDENTIAL_VALUE.test(value);
}
