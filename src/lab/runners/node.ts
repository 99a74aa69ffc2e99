import { closeServer } from "../../listen.js";
import { startNodeProxy } from "../../proxy/start.js";
import type { RunningHop, TemplateVars } from "./types.js";

/** The Node gateway runs in the lab's own process: a real http server on a real socket. */
export async function startNodeGateway(configPath: string, vars: TemplateVars): Promise<RunningHop> {
  const proxy = await startNodeProxy(configPath, vars);
  return {
    kind: "node",
    label: `node (${proxy.name})`,
    url: proxy.url,
    port: Number(new URL(proxy.url).port),
    ...(proxy.hopEcho ? { hopEcho: { name: proxy.name, path: proxy.hopEcho } } : {}),
    stop: () => closeServer(proxy.server),
    logTail: () => "",
  };
}
