import { spawn } from "node:child_process";
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { portOwner } from "../../src/lab/port-owner.js";
import { freePort, portMarksDir } from "../../src/lab/ports.js";
import { labRuntimeDir } from "../../src/lab/private-dirs.js";

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
      expect(existsSync(join(portMarksDir(), String(port)))).toBe(true);
    }
  });

  it("are marked in a private directory of ours: $XDG_RUNTIME_DIR/authprobe when that is ours, else /tmp/authprobe-<uid>", () => {
    const uid = process.getuid?.() as number;
    const runtime = mkdtempSync(join(tmpdir(), "xdg-"));
    try {
      expect(labRuntimeDir({ XDG_RUNTIME_DIR: runtime })).toBe(join(runtime, "authprobe"));
      const made = lstatSync(join(runtime, "authprobe"));
      expect({ dir: made.isDirectory(), uid: made.uid, mode: made.mode & 0o777 }).toEqual({ dir: true, uid, mode: 0o700 });
      // Not a directory of ours (a relative path, or gone): the /tmp fallback, checked the same way.
      expect(labRuntimeDir({ XDG_RUNTIME_DIR: "relative/dir" })).toBe(`/tmp/authprobe-${uid}`);
      expect(labRuntimeDir({ XDG_RUNTIME_DIR: join(runtime, "missing") })).toBe(`/tmp/authprobe-${uid}`);
      expect(lstatSync(`/tmp/authprobe-${uid}`).mode & 0o077).toBe(0);
    } finally {
      rmSync(runtime, { recursive: true, force: true });
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
