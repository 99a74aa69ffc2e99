import { describe, expect, it } from "vitest";
import { renderDoctor } from "../../src/cli/render-doctor.js";
import { renderLabMatrix } from "../../src/cli/render-lab.js";
import { styler } from "../../src/cli/style.js";
import { summarize } from "../../src/doctor/verdict.js";
import type { LabResult } from "../../src/lab/matrix.js";
import { renderProbeHtml } from "../../src/probe/html.js";
import { buildProbeReport } from "../../src/probe/report.js";

const plain = styler(false);

describe("the summary line", () => {
  const base = { target: "http://x/", verdict: "ok" as const, server: "nginx" as const, runtime: null, requests: 3, notes: [] };
  it("black box, nothing wrong: says no probe and no problem, naming the server", () => {
    expect(summarize({ ...base, mode: "black-box", findings: [] })).toBe("No probe at http://x/: black-box checks found no problem (server: nginx)");
  });
  it("probe, nothing wrong: intact", () => {
    expect(summarize({ ...base, mode: "probe", findings: [], runtime: "gunicorn" })).toBe("Authorization reached the app intact (server: nginx, runtime: gunicorn)");
  });
  it("a run that stopped early says so", () => {
    expect(summarize({ ...base, mode: "probe", findings: [], notes: ["stopped at the deadline"] })).toMatch(/\(incomplete: see the notes\)$/);
  });
});

describe("the lab matrix", () => {
  it("a failed row is followed by its reason and the server's log tail, indented", () => {
    const failed: LabResult = {
      id: "nginx-x",
      title: "t",
      server: "nginx",
      stack: ["nginx", "node"],
      blame: null,
      status: "fail",
      expected: { outcome: "intact" },
      observed: null,
      reason: "nginx exited with code 1",
      logTail: "line one\nline two",
      durationMs: 5,
    };
    const out = renderLabMatrix([failed], plain, 1000);
    expect(out).toContain("FAIL nginx-x: nginx exited with code 1");
    expect(out).toContain("    line one\n    line two");
    expect(out).toMatch(/0 passed, 1 failed, 0 skipped in 1\.0s/);
  });
});

describe("the probe's HTML page", () => {
  it("shows the JWT's algorithm, subject, expiry and verdict rows", () => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const token = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ sub: "user-42", exp: Math.floor(Date.now() / 1000) + 600 })}.c2ln`;
    const html = renderProbeHtml(buildProbeReport({ method: "GET", url: "/", rawHeaders: ["Authorization", `Bearer ${token}`], httpVersion: "1.1" }));
    expect(html).toMatch(/<th>jwt alg<\/th><td>HS256<\/td>/);
    expect(html).toMatch(/<th>jwt sub<\/th><td>user-42<\/td>/);
    expect(html).toMatch(/<th>jwt expires<\/th><td>in (9m|10m)/);
    expect(html).toMatch(/<th>jwt verdict<\/th><td>not_checked/);
  });
});

describe("the doctor's text output", () => {
  it("an unknown server lists its candidates on the fix line", () => {
    const out = renderDoctor(
      {
        target: "t",
        verdict: "problems",
        summary: "s",
        mode: "probe",
        server: "unknown",
        runtime: null,
        requests: 1,
        notes: [],
        findings: [
          {
            code: "AUTH_STRIPPED",
            severity: "error",
            title: "x",
            evidence: { sent: "a", received: "b" },
            server: "unknown",
            candidates: ["nginx", "varnish"],
            fix: { steps: ["do it"], docs: "d" },
          },
        ],
      },
      plain,
      10,
    );
    expect(out).toContain("fix (not certain; candidates: nginx, Varnish):");
  });
});
