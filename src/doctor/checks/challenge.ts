/** Parsing WWW-Authenticate: which schemes an answer asks for. */

/** The auth schemes a WWW-Authenticate value names (RFC 9110 section 11.6.1), in order. */
export function challengeSchemes(value: string | null): string[] {
  if (!value) return [];
  const schemes: string[] = [];
  // A scheme is a token at the start or after a comma, followed by a space, a token68 or nothing,
  // and not by '=' (which would make it a parameter name).
  const re = /(?:^|,)\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)(?=\s+[^=,]|\s*,|\s*$)/g;
  for (const m of value.matchAll(re)) if (m[1]) schemes.push(m[1]);
  return schemes;
}

/** Schemes an intermediary uses for its own credentials; a bearer-style token cannot satisfy them. */
export const PROXY_SCHEMES = ["basic", "digest", "negotiate", "ntlm"];

export function schemeOf(authorization: string): string {
  const space = authorization.indexOf(" ");
  return space > 0 ? authorization.slice(0, space) : "";
}
