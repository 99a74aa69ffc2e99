import { describe, expect, it } from "vitest";
import { renderDoctor } from "../../src/cli/render-doctor.js";
import { renderLabMatrix } from "../../src/cli/render-lab.js";
import { styler } from "../../src/cli/style.js";
import type { ServerName } from "../../src/components.js";
import { describeSent, makeFinding } from "../../src/doctor/finding.js";
import { FINDINGS, type FindingCode, type Severity } from "../../src/doctor/findings.js";
import { fixSteps } from "../../src/doctor/fixes.js";
import type { Finding } from "../../src/doctor/types.js";
import { mostSevere, summarize } from "../../src/doctor/verdict.js";
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

describe("the summary line names the worst finding and who is blamed", () => {
  const base = { target: "http://x/", verdict: "problems" as const, server: "nginx" as const, runtime: null, requests: 3, notes: [], mode: "probe" as const };
  const finding = (code: FindingCode, severity: Severity, server: ServerName = "nginx", candidates?: ServerName[]): Finding => ({
    code,
    severity,
    title: FINDINGS[code].title,
    evidence: { sent: "s", received: "r" },
    server,
    ...(candidates ? { candidates } : {}),
    fix: { steps: ["x"], docs: "d" },
  });

  it("stripped: its own sentence, with the server and the runtime", () => {
    expect(summarize({ ...base, runtime: "mod_wsgi", findings: [finding("AUTH_STRIPPED", "error", "apache")] })).toBe(
      "Authorization was stripped between the client and the app (server: Apache, runtime: mod_wsgi)",
    );
  });

  it("an error outranks a warning listed before it; notices never make the summary", () => {
    const findings = [finding("UNDERSCORE_HEADER_DROPPED", "notice"), finding("HEADER_TOO_LARGE", "warning", "haproxy"), finding("REDIRECT_CROSS_ORIGIN", "error", "caddy")];
    expect(summarize({ ...base, findings })).toBe("A redirect to another origin drops the token (server: Caddy)");
    expect(summarize({ ...base, verdict: "ok", findings: [finding("UNDERSCORE_HEADER_DROPPED", "notice", "haproxy")] })).toBe(
      "Authorization reached the app intact (server: nginx)",
    );
  });

  it("unknown with candidates lists them; unknown without says so", () => {
    expect(summarize({ ...base, findings: [finding("AUTH_REPLACED", "error", "unknown", ["nginx", "varnish"])] })).toBe(
      "Authorization was replaced on the way (server: unknown; candidates: nginx, Varnish)",
    );
    expect(summarize({ ...base, findings: [finding("AUTH_REPLACED", "error", "unknown")] })).toBe("Authorization was replaced on the way (server: unknown)");
  });

  it("nothing answered: the target, and no 'incomplete' even with notes", () => {
    expect(summarize({ ...base, verdict: "unreachable", findings: [], notes: ["x"] })).toBe("Nothing answered at http://x/.");
  });

  it("mostSevere keeps the list it was given in order", () => {
    const findings = [finding("HEADER_TOO_LARGE", "warning"), finding("AUTH_STRIPPED", "error")];
    expect(mostSevere(findings)?.code).toBe("AUTH_STRIPPED");
    expect(findings.map((f) => f.code)).toEqual(["HEADER_TOO_LARGE", "AUTH_STRIPPED"]);
    expect(mostSevere([])).toBeUndefined();
  });
});

describe("a finding as built by the checks", () => {
  it("carries its catalog title, default severity, docs page and fix", () => {
    const f = makeFinding("HEADER_TOO_LARGE", { sent: "s", received: "r" }, { server: "caddy" });
    expect(f).toEqual({
      code: "HEADER_TOO_LARGE",
      severity: "warning",
      title: "Large tokens are refused",
      evidence: { sent: "s", received: "r" },
      server: "caddy",
      fix: { steps: fixSteps("HEADER_TOO_LARGE", { server: "caddy" }), docs: "docs/findings/HEADER_TOO_LARGE.md" },
    });
    expect(makeFinding("HEADER_TOO_LARGE", { sent: "s", received: "r" }, { server: "caddy" }, "error").severity).toBe("error");
  });

  it("lists candidates only when the server is unknown, never 'unknown' among them", () => {
    expect(makeFinding("AUTH_STRIPPED", { sent: "", received: "" }, { server: "unknown", candidates: ["unknown", "nginx"] }).candidates).toEqual(["nginx"]);
    expect(makeFinding("AUTH_STRIPPED", { sent: "", received: "" }, { server: "unknown", candidates: ["unknown"] })).not.toHaveProperty("candidates");
    expect(makeFinding("AUTH_STRIPPED", { sent: "", received: "" }, { server: "unknown" })).not.toHaveProperty("candidates");
    expect(makeFinding("AUTH_STRIPPED", { sent: "", received: "" }, { server: "nginx", candidates: ["apache"] })).not.toHaveProperty("candidates");
  });

  it("describes a sent credential by scheme and size, never its value", () => {
    expect(describeSent("Bearer abc.def")).toBe("Authorization: Bearer <canary, 14 bytes>");
    expect(describeSent("abcdef", "X-Token")).toBe("X-Token: <canary, 6 bytes>");
    expect(describeSent(" leading")).toBe("Authorization: <canary, 8 bytes>");
    expect(describeSent("Bearer é")).toBe("Authorization: Bearer <canary, 9 bytes>");
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
