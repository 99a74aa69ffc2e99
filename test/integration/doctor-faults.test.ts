import { afterAll, describe, expect, it } from "vitest";
import { diagnose } from "../../src/doctor/diagnose.js";
import { exitCodeFor } from "../../src/doctor/verdict.js";
import { createProbeHandler } from "../../src/probe/handler.js";
import { useServers } from "../support/servers.js";

/** Servers that misbehave in time, not in headers: the doctor must end by its deadline and claim no size limit. */
const timers = new Set<NodeJS.Timeout>();
afterAll(() => {
  for (const t of timers) clearInterval(t);
});
const { serve } = useServers();

const probe = createProbeHandler();

describe("the doctor against slow and failing servers", () => {
  it("a server that trickles one byte a second: the run ends at its deadline with a note", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      const t = setInterval(() => res.write(" "), 1000);
      timers.add(t);
      res.on("close", () => clearInterval(t));
    });
    const started = Date.now();
    const result = await diagnose({ target: url, deadlineMs: 2000 });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.notes.join("\n")).toMatch(/deadline \(2 s, --deadline\)/);
    expect(result.findings.map((f) => f.code)).not.toContain("HEADER_TOO_LARGE");
    expect(exitCodeFor(result)).toBe(3);
  });

  it("a server that stops answering partway: no size limit is claimed, the run ends by its deadline", async () => {
    let answered = 0;
    const url = await serve((req, res) => {
      answered += 1;
      if (answered <= 1) probe(req, res); // then hang: accept and never answer
    });
    const started = Date.now();
    const result = await diagnose({ target: url, deadlineMs: 3000, timeoutMs: 500 });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(result.findings.map((f) => f.code)).not.toContain("HEADER_TOO_LARGE");
  });

  it("a server that starts resetting connections partway: not reported as a size limit", async () => {
    let answered = 0;
    const url = await serve((req, res) => {
      answered += 1;
      if (answered <= 1) probe(req, res);
      else req.socket.destroy();
    });
    const result = await diagnose({ target: url, deadlineMs: 5000 });
    expect(result.findings.map((f) => f.code)).not.toContain("HEADER_TOO_LARGE");
  });

  it("a real size limit still is one: a server that resets only large requests", async () => {
    const url = await serve((req, res) => {
      if ((req.headers.authorization ?? "").length > 9000) req.socket.destroy();
      else probe(req, res);
    });
    const result = await diagnose({ target: url });
    const finding = result.findings.find((f) => f.code === "HEADER_TOO_LARGE");
    expect(finding?.severity).toBe("notice");
    expect(finding?.evidence.data).toMatchObject({ largestPassed: expect.any(Number) });
    expect(Number(finding?.evidence.data?.largestPassed)).toBeGreaterThan(8700);
    expect(Number(finding?.evidence.data?.largestPassed)).toBeLessThanOrEqual(9000);
  });
});
