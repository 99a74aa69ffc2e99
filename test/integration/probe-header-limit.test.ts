import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { createProbeHandler } from "../../src/probe/handler.js";
import type { ProbeReport } from "../../src/probe/types.js";
import { useServers } from "../support/servers.js";

const { serve } = useServers();

/** 1,100 small headers before Authorization: node:http keeps the first ~1,023 and drops the rest silently. */
function send(origin: string, count: number): Promise<ProbeReport> {
  const { hostname, port } = new URL(origin);
  const lines = ["GET / HTTP/1.1", `Host: ${hostname}`, ...Array.from({ length: count }, (_, i) => `X-${i}: a`), "Authorization: Bearer zq", "Connection: close", "", ""];
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(lines.join("\r\n")));
    let data = "";
    socket.on("data", (c: Buffer) => (data += c.toString("utf8")));
    socket.on("error", reject);
    socket.on("end", () => resolve(JSON.parse(data.slice(data.indexOf("\r\n\r\n") + 4)) as ProbeReport));
  });
}

describe("the Node probe under node:http's header count limit", () => {
  it("says the limit was reached when Authorization was cut off", async () => {
    const origin = await serve(createProbeHandler());
    const report = await send(origin, 1100);
    expect(report.authorization.present).toBe(false);
    expect(report.headerLimit).toMatchObject({ reached: true, limit: 1000 });
  });

  it("says nothing under the limit", async () => {
    const origin = await serve(createProbeHandler());
    const report = await send(origin, 50);
    expect(report.authorization.present).toBe(true);
    expect(report.headerLimit).toBeUndefined();
  });
});
