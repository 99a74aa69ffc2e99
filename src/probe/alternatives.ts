import { fingerprint } from "./fingerprint.js";
import { isTokenishName, looksLikeJwt } from "./sensitive.js";
import type { Alternative } from "./types.js";

/** Headers that carry a credential under another name than Authorization. */
const IGNORED_HEADERS = new Set(["authorization", "cookie", "x-authprobe-key"]);

function alternative(where: Alternative["where"], name: string, value: string): Alternative {
  return {
    where,
    name,
    looksLikeJwt: looksLikeJwt(value),
    underscore: name.includes("_"),
    ...fingerprint(value),
  };
}

export function parseCookies(header: string): [string, string][] {
  return header
    .split(";")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf("=");
      return eq < 0 ? [part, ""] : [part.slice(0, eq).trim(), part.slice(eq + 1).trim()];
    });
}

/** A token placed in a cookie, the query string or a non-standard header: reported, fingerprinted. */
export function findAlternatives(headers: [string, string][], query: URLSearchParams): Alternative[] {
  const found: Alternative[] = [];
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (lower === "cookie") {
      for (const [cname, cvalue] of parseCookies(value)) {
        if (isTokenishName(cname) || looksLikeJwt(cvalue)) found.push(alternative("cookie", cname, cvalue));
      }
    } else if (!IGNORED_HEADERS.has(lower) && !lower.startsWith("x-authprobe-")) {
      if (isTokenishName(lower) || looksLikeJwt(value)) found.push(alternative("header", name, value));
    }
  }
  for (const [name, value] of query) {
    if (isTokenishName(name) || looksLikeJwt(value)) found.push(alternative("query", name, value));
  }
  return found;
}
