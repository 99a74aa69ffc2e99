import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { mintCanary } from "../../src/doctor/canary.js";
import { blameForMissing } from "../../src/doctor/checks/authorization.js";
import { compareArrival } from "../../src/doctor/compare.js";
import { buildProbeReport } from "../../src/probe/report.js";
import { assertValidReport } from "../support/schema.js";

const plain = (v: string) => createHash("sha256").update(v, "latin1").digest("hex");
const arrive = (value: string) => buildProbeReport({ method: "GET", url: "/", rawHeaders: ["Authorization", value], httpVersion: "1.1" });

describe("item 11: fingerprints are keyed except for the doctor's canary", () => {
  it("a weak Basic credential gets no plain sha256 anywhere in the report", () => {
    const value = `Basic ${Buffer.from("alice:hunter2").toString("base64")}`;
    const report = arrive(value);
    const body = JSON.stringify(report);
    expect(body).not.toContain(plain(value).slice(0, 12));
    expect(report.authorization.hash).toBe("hmac-sha256");
    assertValidReport(report);
  });

  it("the canary keeps its plain sha256, so the doctor's comparison says intact", () => {
    const canary = mintCanary();
    const report = arrive(canary.value);
    expect(report.authorization).toMatchObject({ sha256: canary.sha256, hash: "sha256" });
    expect(compareArrival(canary.value, report.authorization).arrival).toBe("intact");
  });

  it.each([
    ["re-cased scheme", (v: string) => v.replace("Bearer", "bearer"), "scheme re-cased to 'bearer'"],
    ["extra space", (v: string) => v.replace(" ", "  "), "whitespace changed after the scheme"],
    ["scheme removed", (v: string) => v.slice("Bearer ".length), "the scheme was removed"],
    ["truncated", (v: string) => v.slice(0, 120), "truncated to 120 of"],
  ])("a canary %s by a hop is still recognised and named altered", (_name, alter, change) => {
    const canary = mintCanary();
    const result = compareArrival(canary.value, arrive(alter(canary.value)).authorization);
    expect(result.arrival).toBe("altered");
    expect(result.change).toContain(change);
  });

  it("a value that replaced the canary is keyed and named replaced", () => {
    const canary = mintCanary();
    const report = arrive("Bearer service-token");
    expect(report.authorization.hash).toBe("hmac-sha256");
    expect(compareArrival(canary.value, report.authorization).arrival).toBe("replaced");
  });
});

describe("item 12: Node's header count limit", () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => [`X-H${i}`, "a"]).flat();

  it("the report says when the header count reached the server's limit", () => {
    const report = buildProbeReport({ method: "GET", url: "/", rawHeaders: many(1023), httpVersion: "1.1", headerLimit: 1000 });
    expect(report.headerLimit).toEqual({ reached: true, limit: 1000, received: 1023 });
    expect(report.authorization.present).toBe(false);
    assertValidReport(report);
    expect(buildProbeReport({ method: "GET", url: "/", rawHeaders: many(10), httpVersion: "1.1", headerLimit: 1000 }).headerLimit).toBeUndefined();
  });

  it("the doctor blames the probe's own Node server, not a proxy, for a missing Authorization then", () => {
    const report = buildProbeReport({ method: "GET", url: "/", rawHeaders: many(1023), httpVersion: "1.1", headerLimit: 1000 });
    const blame = blameForMissing(report, { serverHeader: "nginx", minHops: 1 } as never, false);
    expect(blame.server).toBe("node");
    expect(blame.basis[0]?.detail).toMatch(/maxHeadersCount/);
  });
});
