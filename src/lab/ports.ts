import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

// Ports for servers that cannot listen on 0 (nginx, Apache, gunicorn...): picked, then bound by the
// server a moment later. In that moment the kernel may give the same port to any socket bound to
// port 0 (a test's server, a client's connection), so the lab picks below the kernel's ephemeral
// range; and it marks each pick under /tmp so that parallel lab runs never pick the same one.

/** Where picks are marked (shared by every process, whatever its TMPDIR). */
const RESERVATIONS = "/tmp/authprobe-ports";
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

/** Marks the port as picked; false when another process picked it lately. */
function reserve(port: number): boolean {
  const file = join(RESERVATIONS, String(port));
  try {
    mkdirSync(RESERVATIONS, { recursive: true });
    writeFileSync(file, `${process.pid}\n`, { flag: "wx" });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") return true; // cannot mark: binding decides
    try {
      if (Date.now() - statSync(file).mtimeMs < RESERVED_MS) return false;
      writeFileSync(file, `${process.pid}\n`);
    } catch {
      // removed meanwhile: free
    }
    return true;
  }
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
  const high = ephemeralLow() - 1;
  const low = high - SPAN + 1;
  if (low >= 1024) {
    for (let attempt = 0; attempt < 200; attempt++) {
      const port = low + Math.floor(Math.random() * SPAN);
      if (reserve(port) && (await listenOn(port, host)) === port) return port;
    }
  }
  // No room below the ephemeral range (or every try taken): let the kernel choose.
  const port = await listenOn(0, host);
  if (port === null) throw new Error("could not read a free port");
  reserve(port);
  return port;
}
