import { describe, expect, it } from "vitest";
import { bounded } from "../../src/probe/bounded.js";
import {
  containsSecretRun,
  isKnownScheme,
  isSecretHeader,
  isSecretName,
  isSecretParam,
  isSecretSegment,
  isTokenishName,
  looksLikeJwt,
} from "../../src/probe/sensitive.js";

describe("what counts as a credential", () => {
  it.each(["Basic", "Bearer", "Digest", "DPoP", "HOBA", "Mutual", "Negotiate", "NTLM", "OAuth", "SCRAM-SHA-1", "SCRAM-SHA-256", "vapid", "PrivateToken", "Concealed", "JWT", "Token", "AWS4-HMAC-SHA256", "ApiKey", "Key", "SharedAccessSignature", "Hawk"])(
    "%s is a known auth scheme, in any case",
    (scheme) => {
      expect(isKnownScheme(scheme)).toBe(true);
      expect(isKnownScheme(scheme.toLowerCase())).toBe(true);
    },
  );

  it.each(["s3cr3tTok3n", "eyJhbGciOi", "Bearerx", "abc"])("%s is not an auth scheme", (word) => {
    expect(isKnownScheme(word)).toBe(false);
  });

  it.each([
    ["X-Api-Key", true],
    ["X_Auth_Token", true],
    ["Key", true],
    ["client_secret", true],
    ["sig", true],
    ["code", true],
    ["pwd", true],
    ["Ocp-Apim-Subscription-Key", true],
    ["session_id", true],
    ["monkey", false],
    ["Accept-Encoding", false],
    ["keyboard", false],
    ["passport", false],
    ["X-Request-Id", false],
  ])("name %s is credential-like: %s", (name, expected) => {
    expect(isTokenishName(name)).toBe(expected);
  });

  it.each([
    ["a".repeat(30), false],
    ["1".repeat(30), false],
    ["a1".repeat(11) + "a", false],
    ["a1".repeat(12), true],
    ["prefix k7AbCdEfGhIjKlMnOpQrStUv9 suffix", true],
    ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36", false],
  ])("containsSecretRun(%j) = %s", (text, expected) => {
    expect(containsSecretRun(text)).toBe(expected);
  });

  it("JWT shape needs the JSON header's 'ey', three or five parts", () => {
    expect(looksLikeJwt("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln")).toBe(true);
    expect(looksLikeJwt("eyJh.eyJz.c2ln.aXY.dGFn")).toBe(true);
    expect(looksLikeJwt("api.example.com")).toBe(false);
    expect(looksLikeJwt("aaa.bbb.ccc")).toBe(false);
  });

  it("headers: by name, then by shape, never Host by JWT shape", () => {
    expect(isSecretHeader("X-Authprobe-Control", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln")).toBe(false);
    expect(isSecretHeader("Cookie", "a=b")).toBe(true);
    expect(isSecretHeader("X-Anything", "Bearer abc")).toBe(true);
    expect(isSecretHeader("X-Anything", "dpop xyz")).toBe(true);
    expect(isSecretHeader("Host", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln")).toBe(false);
    expect(isSecretHeader("Host", "k7AbCdEfGhIjKlMnOpQrStUv9.example.com")).toBe(true);
    expect(isSecretHeader("Accept", "text/html")).toBe(false);
  });

  it("query parameters and names, decoded", () => {
    expect(isSecretParam("%74oken", "x")).toBe(true);
    expect(isSecretParam("q", "Bearer%20abc")).toBe(true);
    expect(isSecretParam("page", "2")).toBe(false);
    expect(isSecretName("k7AbCdEfGhIjKlMnOpQrStUv9")).toBe(true);
    expect(isSecretName("page")).toBe(false);
  });

  it("path segments, percent-encoded or not", () => {
    expect(isSecretSegment("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln")).toBe(true);
    expect(isSecretSegment(encodeURIComponent("k7AbCdEfGhIjKlMnOpQrStUv9"))).toBe(true);
    expect(isSecretSegment("orders")).toBe(false);
    expect(isSecretSegment("%E0%A4%A")).toBe(false);
  });
});

describe("claim values shown bounded", () => {
  it("keeps small values as they are", () => {
    expect(bounded({ a: [1, "x", true, null] })).toEqual({ a: [1, "x", true, null] });
  });
  it("cuts long strings and says how long they were", () => {
    expect(bounded("x".repeat(300))).toBe(`${"x".repeat(256)}... (300 characters)`);
    expect(bounded("x".repeat(256))).toBe("x".repeat(256));
  });
  it("stops at 4 levels", () => {
    expect(bounded([[[["deep"]]]])).toEqual([[[["deep"]]]]);
    expect(bounded([[[[["deeper"]]]]])).toEqual([[[["[array nested deeper than 4 levels: not shown]"]]]]);
    expect(bounded({ a: { b: { c: { d: { e: 1 } } } } })).toEqual({ a: { b: { c: { d: "[object nested deeper than 4 levels: not shown]" } } } });
  });
  it("shows 20 items of a list or an object, and how many more", () => {
    const list = Array.from({ length: 25 }, (_, i) => i);
    expect(bounded(list)).toEqual([...list.slice(0, 20), "... 5 more"]);
    const obj = Object.fromEntries(list.map((i) => [`k${i}`, i]));
    const shown = bounded(obj) as Record<string, unknown>;
    expect(Object.keys(shown)).toHaveLength(21);
    expect(shown["..."]).toBe("5 more");
    expect(bounded(Array.from({ length: 20 }, () => 0))).toHaveLength(20);
  });
  it("non-finite numbers and other types become text", () => {
    expect(bounded(Number.POSITIVE_INFINITY)).toBe("Infinity");
    expect(bounded(10n)).toBe("[bigint]");
    expect(bounded({ ["k".repeat(300)]: 1 })).toEqual({ ["k".repeat(256)]: 1 });
  });
});
