import { redactedText } from "./fingerprint.js";
import { containsSecretRun, decoded, isSecretName, isSecretParam, isSecretSegment } from "./sensitive.js";

/**
 * URLs carry credentials in five places: userinfo (`https://alice:pw@host`), path segments
 * (`/t/eyJ...`), matrix parameters (`/files;token=...`), the query (`?code=...`, a bare `?<key>`)
 * and the fragment; and a query value may itself be a URL (`?next=%2Freset%3Ftoken%3D...`).
 * One set of rules for the request target and for URL-valued headers; the Python and PHP probes
 * carry the same (proxy-configs/probes/). A URL with nothing secret comes back byte for byte.
 */

/** Headers whose whole value is a URL or a path (the original request of a rewrite, a copy source). */
const URL_HEADERS = new Set([
  "referer",
  "origin",
  "location",
  "content-location",
  "x-original-uri",
  "x-original-url",
  "x-rewrite-url",
  "x-forwarded-uri",
  "x-forwarded-prefix",
  "x-envoy-original-path",
  "x-ms-copy-source",
  "x-amz-copy-source",
]);

/** How deep a URL nested in a query value is followed; deeper, the whole value is fingerprinted. */
const MAX_NESTING = 4;

const ABSOLUTE = /^([A-Za-z][A-Za-z0-9+.-]*:)?\/\/([^/?#]*)(.*)$/s;
/** An absolute URL inside any header value (a Link, a callback): up to a delimiter. */
const EMBEDDED_URL = /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s<>"',]+/g;

function hidden(text: string): string {
  return encodeURIComponent(redactedText(text));
}

/** A query value worth parsing again: a path, an absolute URL, or something with a query of its own. */
function looksLikeUrl(text: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\/|^\/|\?|;/.test(text);
}

/** `name=value` of a query or matrix parameter; a bare `<key>` is a value without a name: hidden. */
function redactParam(part: string, depth: number): string {
  if (part === "") return part;
  const eq = part.indexOf("=");
  if (eq < 0) return hidden(part);
  const name = part.slice(0, eq);
  const value = part.slice(eq + 1);
  const shownName = isSecretName(name) ? hidden(name) : name;
  if (isSecretParam(name, value)) return `${shownName}=${hidden(value)}`;
  const inner = decoded(value);
  if (looksLikeUrl(inner)) {
    if (depth >= MAX_NESTING) return `${shownName}=${hidden(value)}`;
    const redacted = redactUrl(inner, depth + 1);
    if (redacted !== inner) return `${shownName}=${encodeURIComponent(redacted)}`;
  }
  return `${shownName}=${value}`;
}

function redactQuery(query: string, depth: number): string {
  return query
    .split("&")
    .map((part) => redactParam(part, depth))
    .join("&");
}

/** Each segment: a token in it hides it whole; `;name=value` matrix parameters follow the query's rules. */
function redactPathSegments(path: string, depth: number): string {
  return path
    .split("/")
    .map((segment) => {
      const [first = "", ...params] = segment.split(";");
      const head = isSecretSegment(first) ? hidden(first) : first;
      return [head, ...params.map((p) => redactParam(p, depth))].join(";");
    })
    .join("/");
}

function redactAuthority(authority: string): string {
  const at = authority.lastIndexOf("@");
  const host = at < 0 ? authority : authority.slice(at + 1);
  const shownHost = containsSecretRun(decoded(host)) ? hidden(host) : host;
  // Userinfo is a credential whatever it holds: `user:password`, or a token used as the user name.
  return at < 0 ? shownHost : `${hidden(authority.slice(0, at))}@${shownHost}`;
}

/** A request target or a URL-valued header with its credentials replaced by fingerprints. */
export function redactUrl(url: string, depth = 0): string {
  const hash = url.indexOf("#");
  const beforeHash = hash < 0 ? url : url.slice(0, hash);
  const fragment = hash < 0 ? null : url.slice(hash + 1);
  const absolute = ABSOLUTE.exec(beforeHash);
  const prefix = absolute ? `${absolute[1] ?? ""}//${redactAuthority(absolute[2] ?? "")}` : "";
  const rest = absolute ? (absolute[3] ?? "") : beforeHash;
  const q = rest.indexOf("?");
  const path = q < 0 ? rest : rest.slice(0, q);
  const query = q < 0 ? null : rest.slice(q + 1);
  let out = prefix + redactPathSegments(path, depth);
  if (query !== null) out += `?${redactQuery(query, depth)}`;
  if (fragment !== null) out += `#${redactQuery(fragment, depth)}`;
  return out;
}

/**
 * A header value that is not a credential as a whole may still hold one in a URL: URL-valued
 * headers are parsed whole; in any other value each absolute URL is, and so is a value that is a path.
 */
export function redactUrlsInHeader(name: string, value: string): string {
  if (URL_HEADERS.has(name.toLowerCase()) || value.startsWith("/")) return redactUrl(value);
  if (!value.includes("://")) return value;
  return value.replace(EMBEDDED_URL, (url) => redactUrl(url));
}
