import { loadNodeProxyConfig } from "../../proxy/config.js";
import { createNodeProxy } from "../../proxy/node-proxy.js";
import { closeServer } from "../../listen.js";
import type { RunningHop, TemplateVars } from "./types.js";

/** The Node gateway runs in the lab's own process: a real http server on a real socket. */
export async function startNodeGateway(configPath: string, vars: TemplateVars): Promise<RunningHop> {
  const config = loadNodeProxyConfig(configPath, vars);
  const server = createNodeProxy(config);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.listen.port, config.listen.host, resolve);
  });
  return {
    kind: "node",
    label: `node (${config.name})`,
    url: `http://127.0.0.1:${config.listen.port}`,
    ...(config.hopEcho ? { hopEcho: { name: config.name, path: config.hopEcho } } : {}),
    stop: () => closeServer(server),
    logTail: () => "",
  };
}
