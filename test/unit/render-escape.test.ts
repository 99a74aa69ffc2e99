import { describe, expect, it } from "vitest";
import { escapeControl, escapeLines } from "../../src/cli/escape.js";
import { renderDoctor } from "../../src/cli/render-doctor.js";
import { renderLabMatrix } from "../../src/cli/render-lab.js";
import { styler } from "../../src/cli/style.js";
import { makeFinding } from "../../src/doctor/finding.js";
import type { DoctorResult } from "../../src/doctor/types.js";
import type { LabResult } from "../../src/lab/matrix.js";

// Whatever a server wrote reaches the terminal as visible escapes: no title set, no screen
// cleared, no text overwritten. Colour codes are the renderer's own and stay.

const ATTACK = "\x1b]0;PWNED\x07\x1b[2J\x9b1;1H\u202eevil\x00";
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/;

describe("escapeControl", () => {
  it("shows C0, C1, DEL and bidi controls as escapes and leaves printable text alone", () => {
    expect(escapeControl(ATTACK)).toBe("\\x1b]0;PWNED\\x07\\x1b[2J\\x9b1;1H\\u202eevil\\x00");
    expect(escapeControl("a\tb\nc\x7f")).toBe("a\\x09b\\x0ac\\x7f");
    expect(escapeControl("Bearer é ✓ 200 OK")).toBe("Bearer é ✓ 200 OK");
  });
  it("escapeLines keeps the line breaks", () => {
    expect(escapeLines("one\x1b[2J\ntwo")).toBe("one\\x1b[2J\ntwo");
  });
});

describe("renderers escape what servers wrote", () => {
  it("renderDoctor: summary, evidence, notes and run notes; colour codes still wrap the code", () => {
    const finding = makeFinding("TOKEN_REJECTED", { sent: "GET x", received: `401 ${ATTACK}`, notes: [ATTACK] }, { server: "unknown" });
    const result: DoctorResult = {
      target: "http://x/",
      verdict: "problems",
      summary: `runtime: ${ATTACK}`,
      mode: "black-box",
      server: "unknown",
      runtime: ATTACK,
      requests: 2,
      findings: [finding],
      notes: [ATTACK],
    };
    const plain = renderDoctor(result, styler(false), 10);
    expect(plain).not.toMatch(CONTROL);
    expect(plain.split("\\x1b]0;PWNED\\x07").length - 1).toBe(4);
    const coloured = renderDoctor(result, styler(true), 10);
    expect(coloured).toContain("\x1b[1mTOKEN_REJECTED\x1b[0m");
    expect(coloured.replace(/\x1b\[\d+m/g, "")).not.toMatch(CONTROL);
  });

  it("renderLabMatrix: cells, the failure reason and the log tail (its lines kept)", () => {
    const failed: LabResult = {
      id: "nginx-x",
      title: "t",
      server: "nginx",
      stack: ["nginx", "node"],
      blame: null,
      status: "fail",
      expected: { outcome: "intact" },
      observed: null,
      reason: `nginx said ${ATTACK}`,
      logTail: `line one ${ATTACK}\nline two`,
      doctor: { codes: [ATTACK], exitCode: 1, summary: ATTACK, fixes: [], requests: 1, ms: 1, server: null, notes: [] },
      durationMs: 5,
    };
    const out = renderLabMatrix([failed], styler(false), 1000);
    expect(out).not.toMatch(CONTROL);
    expect(out).toContain("FAIL nginx-x: nginx said \\x1b]0;PWNED");
    expect(out).toContain("    line one \\x1b]0;PWNED\\x07\\x1b[2J\\x9b1;1H\\u202eevil\\x00\n    line two");
  });
});
