import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { portOwner } from "../../src/lab/port-owner.js";
import { freePort } from "../../src/lab/ports.js";

// Picking ports for servers that cannot listen on 0, and knowing that the one listening is ours:
// with test files and lab workers in parallel, a picked port can be taken before the server binds.

const ephemeralLow = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);

describe("free ports", () => {
  it("are picked below the kernel's ephemeral range, marked for other processes, and not picked twice", async () => {
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    expect(new Set(ports).size).toBe(20);
    for (const port of ports) {
      expect(port).toBeLessThan(ephemeralLow);
      expect(port).toBeGreaterThanOrEqual(1024);
      expect(existsSync(`/tmp/authprobe-ports/${port}`)).toBe(true);
    }
  });

  it("can be bound", async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve));
    await new Promise((r) => server.close(r));
  });
});

describe("who holds a listening port", () => {
  it("ours when this process (or a child) listens; another process's when it does not descend from the one named", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    const other = spawn("sleep", ["5"], { stdio: "ignore" });
    try {
      expect(portOwner(port, process.pid)).toBe("ours");
      expect(portOwner(port, other.pid as number)).toBe("other");
    } finally {
      other.kill();
      await new Promise((r) => server.close(r));
    }
  });

  it("unknown when nothing listens there", async () => {
    const port = await freePort();
    expect(portOwner(port, process.pid)).toBe("unknown");
  });
});
