import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { AuthprobeError, UsageError } from "./errors.js";

export async function listen(server: Server, host: string, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EADDRINUSE") {
        reject(
          new AuthprobeError("PORT_IN_USE", `port ${port} on ${host} is in use (--port; 0 picks a free one)`),
        );
      } else if (err.code === "EADDRNOTAVAIL" || err.code === "ENOTFOUND" || err.code === "EAI_AGAIN") {
        // A value the user gave that names no local address: bad usage (exit 2), like any bad flag.
        reject(new UsageError(`--host: cannot listen on '${host}': not an address of this machine`));
      } else reject(err);
    });
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const shown = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  return `http://${shown}:${addr.port}`;
}

/** Stops accepting and drops idle keep-alive sockets, so close() resolves promptly. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** SIGINT/SIGTERM: stop accepting, close idle keep-alive sockets, then exit 0. */
export function closeOnSignals(servers: Server[], onClosed: () => void = () => process.exit(0)): void {
  let closing = false;
  const close = () => {
    if (closing) return;
    closing = true;
    void Promise.all(servers.map(closeServer)).then(onClosed);
  };
  process.once("SIGINT", close);
  process.once("SIGTERM", close);
}
