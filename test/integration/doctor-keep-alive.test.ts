import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { diagnose } from "../../src/doctor/diagnose.js";
import { createProbeHandler } from "../../src/probe/handler.js";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A probe that counts the TCP connections the doctor opens and how many are still open. */
async function countingProbe(): Promise<{ url: string; server: Server; connections: () => number }> {
  let connections = 0;
  const server = createServer(createProbeHandler({}));
  server.on("connection", () => (connections += 1));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`, server, connections: () => connections };
}

const openConnections = (server: Server) => new Promise<number>((r) => server.getConnections((_e, n) => r(n)));

describe("the doctor's connections", () => {
  it("reuses keep-alive connections: fewer TCP connections than requests", async () => {
    const probe = await countingProbe();
    const result = await diagnose({ target: probe.url });
    expect(result.requests).toBeGreaterThanOrEqual(3);
    expect(probe.connections()).toBeLessThan(result.requests);
  });

  it("closes every connection when the run ends: nothing keeps the process alive", async () => {
    const probe = await countingProbe();
    await diagnose({ target: probe.url });
    // The close reaches the server a moment later: poll, with a bound, for it to see none open.
    const until = Date.now() + 2000;
    let open = await openConnections(probe.server);
    while (open > 0 && Date.now() < until) {
      await new Promise((r) => setImmediate(r));
      open = await openConnections(probe.server);
    }
    expect(open).toBe(0);
  });

  it("a server that closes a kept-alive connection after every answer: the next request goes on a fresh one", async () => {
    // No "Connection: close" to warn the client: the socket looks reusable until the server's FIN.
    const server = createServer((req, res) => {
      createProbeHandler({})(req, res);
      res.on("finish", () => setImmediate(() => req.socket.destroy()));
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const result = await diagnose({ target: `http://127.0.0.1:${(server.address() as AddressInfo).port}/x` });
    expect(result.mode).toBe("probe");
    expect(result.findings.map((f) => f.code)).toEqual([]);
  });
});
