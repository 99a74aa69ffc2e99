import { describe, expect, it } from "vitest";
import { compareArrival } from "../../src/doctor/compare.js";
import { exitCodeFor } from "../../src/doctor/verdict.js";
import { sha256Hex } from "../../src/probe/fingerprint.js";

describe("comparison and exit codes", () => {
  it("compareArrival: intact, missing, replaced", () => {
    const sent = "Bearer abc";
    expect(compareArrival(sent, { present: true, sha256: sha256Hex(sent), length: 10 }).arrival).toBe("intact");
    expect(compareArrival(sent, { present: false, sha256: null, length: null }).arrival).toBe("missing");
    expect(compareArrival(sent, { present: true, sha256: sha256Hex("Basic x"), length: 7 }).arrival).toBe("replaced");
  });

  it.each([
    ["unreachable", [], 3],
    ["ok", [], 0],
    ["ok", ["notice"], 0],
    ["problems", ["notice", "warning"], 1],
    ["problems", ["error"], 1],
  ] as const)("exitCodeFor(%s, %j) = %i", (verdict, severities, code) => {
    const findings = severities.map((severity) => ({ severity }) as never);
    expect(exitCodeFor({ verdict, findings })).toBe(code);
  });
});

describe("compareArrival: each alteration a hop is known to make, named exactly", () => {
  const sent = "Bearer eyJhbGciOi.abc.def";
  const got = (value: string) => ({ present: true, sha256: sha256Hex(value), length: Buffer.byteLength(value) });
  it.each([
    ["bearer eyJhbGciOi.abc.def", "scheme re-cased to 'bearer'"],
    ["BEARER eyJhbGciOi.abc.def", "scheme re-cased to 'BEARER'"],
    ["Bearer  eyJhbGciOi.abc.def", "whitespace changed after the scheme"],
    ["eyJhbGciOi.abc.def", "the scheme was removed"],
    ["Bearer eyJhbG", "truncated to 13 of 25 bytes"],
  ])("%s: %s", (received, change) => {
    expect(compareArrival(sent, got(received))).toEqual({ arrival: "altered", change });
  });

  it("a longer value is never a truncation, and any other value is a replacement", () => {
    expect(compareArrival(sent, got(`${sent}x`))).toEqual({ arrival: "replaced" });
    expect(compareArrival(sent, got("Bearer other"))).toEqual({ arrival: "replaced" });
    expect(compareArrival(sent, { present: true, sha256: sha256Hex("Bearer eyJhbG"), length: null })).toEqual({ arrival: "replaced" });
  });

  it("present without a fingerprint counts as missing; intact carries no change", () => {
    expect(compareArrival(sent, { present: true, sha256: null, length: 3 })).toEqual({ arrival: "missing" });
    expect(compareArrival(sent, got(sent))).toEqual({ arrival: "intact" });
  });

  it("a value without a scheme: only truncation can be told apart", () => {
    expect(compareArrival("abcdef", got("abc"))).toEqual({ arrival: "altered", change: "truncated to 3 of 6 bytes" });
    expect(compareArrival("abcdef", got("ABCDEF"))).toEqual({ arrival: "replaced" });
  });
});
