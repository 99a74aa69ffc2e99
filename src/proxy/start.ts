import type { Server } from "node:http";
import { listen } from "../listen.js";
import { loadNodeProxyConfig } from "./config.js";
import { createNodeProxy } from "./node-proxy.js";

export interface RunningProxy {
  name: string;
  url: string;
  target: string;
  /** The path this gateway answers itself with what it received, if its config has one. */
  hopEcho: string | null;
  server: Server;
}

export async function startNodeProxy(
  path: string,
  vars: Record<string, string | undefined>,
  overrides: { host?: string | undefined; port?: number | undefined } = {},
): Promise<RunningProxy> {
  const config = loadNodeProxyConfig(path, vars);
  const server = createNodeProxy(config);
  const url = await listen(
    server,
    overrides.host ?? config.listen.host,
    overrides.port ?? config.listen.port,
  );
  return { name: config.name, url, target: config.target, hopEcho: config.hopEcho, server };
}
