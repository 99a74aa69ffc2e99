import { createServer, type RequestListener, type Server } from "node:http";
import { afterAll } from "vitest";
import { closeServer, listen } from "../../src/listen.js";

/**
 * Loopback servers for a test file: `serve(handler)` listens on a free port and returns the base
 * URL; every server is closed after the file's tests (idle keep-alive sockets included).
 */
export interface TestServers {
  serve(handler: RequestListener, options?: { maxHeaderSize?: number }): Promise<string>;
  servers: Server[];
}

export function useServers(): TestServers {
  const servers: Server[] = [];
  afterAll(async () => {
    await Promise.all(servers.map(closeServer));
  });
  return {
    servers,
    async serve(handler, options = {}) {
      const server = createServer(options, handler);
      servers.push(server);
      return listen(server, "127.0.0.1", 0);
    },
  };
}
