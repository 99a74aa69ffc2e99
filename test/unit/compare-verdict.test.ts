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
