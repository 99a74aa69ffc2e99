import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { createProbeHandler } from "../../src/probe/handler.js";
import type { ProbeReport } from "../../src/probe/types.js";
import { useServers } from "../support/servers.js";

const { serve } = useServers();

/**
 * 1,100 small headers before Authorization: node:http 20 keeps the first ~1,023 and drops the rest
 * silently; newer releases (24 here) refuse the request with their own 431 instead.
 */
function send(origin: string, count: number): Promise<{ status: number; report: ProbeReport | null }> {
  const { hostname, port } = new URL(origin);
  const lines = ["GET / HTTP/1.1", `Host: ${hostname}`, ...Array.from({ length: count }, (_, i) => `X-${i}: a`), "Authorization: Bearer zq", "Connection: close", "", ""];
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(lines.join("\r\n")));
    let data = "";
    socket.on("data", (c: Buffer) => (data += c.toString("utf8")));
    socket.on("error", reject);
    socket.on("end", () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0);
      const body = data.slice(data.indexOf("\r\n\r\n") + 4);
      resolve({ status, report: status === 200 ? (JSON.parse(body) as ProbeReport) : null });
    });
  });
}

describe("the Node probe under node:http's header count limit", () => {
  it("says the limit was reached when Authorization was cut off", async () => {
    const origin = await serve(createProbeHandler());
    const { status, report } = await send(origin, 1100);
    if (status === 431) {
      // Node itself refused (no report, no silent loss): the doctor reads Node's 431 as a size refusal.
      expect(report).toBeNull();
      return;
    }
    expect(status).toBe(200);
    expect(report?.authorization.present).toBe(false);
    expect(report?.headerLimit).toMatchObject({ reached: true, limit: 1000 });
  });

  it("says nothing under the limit", async () => {
    const origin = await serve(createProbeHandler());
    const { status, report } = await send(origin, 50);
    expect(status).toBe(200);
    expect(report?.authorization.present).toBe(true);
    expect(report?.headerLimit).toBeUndefined();
  });
});
