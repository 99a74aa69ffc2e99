import { lstatSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { ensurePrivateDir, labRuntimeDir } from "./private-dirs.js";

// Ports for servers that cannot listen on 0 (nginx, Apache, gunicorn...): picked, then bound by the
// server a moment later. In that moment the kernel may give the same port to any socket bound to
// port 0 (a test's server, a client's connection), so the lab picks below the kernel's ephemeral
// range; and it marks each pick in the lab's private directory so that parallel lab runs (of the
// same user) never pick the same one. Never under a shared /tmp name: another user could plant it.

/** Where picks are marked (shared by every lab process of this user, whatever its TMPDIR). */
export function portMarksDir(): string {
  return ensurePrivateDir(join(labRuntimeDir(), "ports"));
}

/** A mark older than this is free again: the server has bound the port by then, or failed. */
const RESERVED_MS = 60_000;
/** Below the kernel's ephemeral range, this many ports (e.g. 20000-32767 under Linux's default). */
const SPAN = 12_768;

function ephemeralLow(): number {
  try {
    const low = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 0 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

/** Creates the mark; "wx" (O_EXCL) never follows a symlink and never reuses a file. */
function mark(file: string): "marked" | "exists" | "failed" {
  try {
    writeFileSync(file, `${process.pid}\n`, { flag: "wx", mode: 0o600 });
    return "marked";
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EEXIST" ? "exists" : "failed";
  }
}

/** Marks the port as picked; false when another process picked it lately. */
function reserve(dir: string, port: number): boolean {
  const file = join(dir, String(port));
  const first = mark(file);
  if (first !== "exists") return true; // marked, or cannot mark: binding decides
  try {
    const st = lstatSync(file);
    if (st.isFile() && Date.now() - st.mtimeMs < RESERVED_MS) return false;
    // Stale (or not a plain file): replaced, never written through.
    rmSync(file, { force: true });
  } catch {
    // removed meanwhile: free
  }
  return mark(file) !== "exists";
}

function listenOn(port: number, host: string): Promise<number | null> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once("error", () => resolve(null));
    server.listen(port, host, () => {
      const address = server.address();
      server.close(() => resolve(address !== null && typeof address !== "string" ? address.port : null));
    });
  });
}

/** A free loopback port: outside the kernel's ephemeral range when there is room, marked as picked. */
export async function freePort(host = "127.0.0.1"): Promise<number> {
  const dir = portMarksDir();
  const high = ephemeralLow() - 1;
  const low = high - SPAN + 1;
  if (low >= 1024) {
    for (let attempt = 0; attempt < 200; attempt++) {
      const port = low + Math.floor(Math.random() * SPAN);
      if (reserve(dir, port) && (await listenOn(port, host)) === port) return port;
    }
  }
  // No room below the ephemeral range (or every try taken): let the kernel choose.
  const port = await listenOn(0, host);
  if (port === null) throw new Error("could not read a free port");
  reserve(dir, port);
  return port;
}
