import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAuthorization } from "../../src/probe/authorization.js";
import { containsSecretRun, decoded, looksLikeJwt } from "../../src/probe/sensitive.js";

/**
 * The probe's hand-written scans (they run on every header name and value) against the regexes
 * they replaced: the same answer on any text.
 */
function secretRunByRegex(text: string): boolean {
  for (const [run] of text.matchAll(/[A-Za-z0-9+/_=-]{24,}/g)) {
    if (/[0-9]/.test(run) && /[A-Za-z]/.test(run)) return true;
  }
  return false;
}
function decodedBefore(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}

const alphabet = fc.constantFrom(..."aZ09+/_=-%. é\t".split(""), "%2", "%41", "ey", "é", "\u{1F600}");
const text = fc.oneof(fc.string({ maxLength: 80 }), fc.array(alphabet, { maxLength: 80 }).map((a) => a.join("")));

describe("the probe's scans agree with the regexes they replaced", () => {
  it("containsSecretRun", () => {
    fc.assert(fc.property(text, (t) => {
      expect(containsSecretRun(t)).toBe(secretRunByRegex(t));
    }), { numRuns: 5000 });
    expect(containsSecretRun(`x ${"a1".repeat(12)} y`)).toBe(true);
    expect(containsSecretRun(`x ${"a".repeat(23)}1 y`)).toBe(true);
    expect(containsSecretRun(`x ${"a".repeat(22)}1 y`)).toBe(false);
    expect(containsSecretRun("a".repeat(40))).toBe(false);
  });

  it("decoded", () => {
    fc.assert(fc.property(text, (t) => {
      expect(decoded(t)).toBe(decodedBefore(t));
    }), { numRuns: 5000 });
  });

  it("looksLikeJwt", () => {
    const shape = /^ey[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*(\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)?$/;
    fc.assert(fc.property(text, (t) => {
      expect(looksLikeJwt(t)).toBe(shape.test(t.trim()));
    }), { numRuns: 5000 });
    expect(looksLikeJwt(" eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0. ")).toBe(true);
  });
});

describe("parseAuthorization by hand agrees with the RFC 9110 regex it replaced", () => {
  it("on any value", () => {
    const before = (value: string) => {
      const trimmed = value.trim();
      const match = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+)[ \t]+(.*)$/s.exec(trimmed);
      if (!match) return { scheme: null, credentials: trimmed };
      return { scheme: match[1] ?? null, credentials: (match[2] ?? "").trim() };
    };
    const parts = fc.constantFrom("Bearer", "basic", " ", "\t", "  ", "\n", "ey.J", ",", "é", "a b", "\u00a0", "=", "");
    const value = fc.oneof(fc.string({ maxLength: 40 }), fc.array(parts, { maxLength: 8 }).map((a) => a.join("")));
    fc.assert(
      fc.property(value, (v) => {
        expect(parseAuthorization(v)).toEqual(before(v));
      }),
      { numRuns: 5000 },
    );
  });
});
