import { join, resolve } from "node:path";
import { findBinary } from "./binaries.js";
import { PROXY_CONFIGS_DIR } from "./catalog.js";
import { freePort } from "./ports.js";
import { startApache } from "./runners/apache.js";
import { startNginx } from "./runners/nginx.js";
import { startNodeGateway } from "./runners/node.js";
import type { RunningHop, TemplateVars } from "./runners/types.js";
import type { Scenario } from "./scenario.js";
import { type RunningUpstream, reserveDeadPort, startProbe, startSampleApp } from "./upstream.js";

export interface Deployment {
  url: string;
  /** Hops from the client towards the app, each with its hop-echo path when it has one. */
  hops: RunningHop[];
  upstreamPort: number | null;
  logTail(): string;
  stop(): Promise<void>;
}

function startUpstream(kind: Scenario["upstream"]): Promise<RunningUpstream> | null {
  if (kind === "app") return startSampleApp();
  if (kind === "probe") return startProbe();
  if (kind === "down") return reserveDeadPort();
  return null; // wsgi and cgi run inside Apache itself
}

/** Starts upstream, optional gateway, then the front proxy; on any failure stops what started. */
export async function startDeployment(scenario: Scenario, workdir: string): Promise<Deployment> {
  const stoppers: (() => Promise<void>)[] = [];
  const hops: RunningHop[] = [];
  const stopAll = async () => {
    for (const stop of stoppers.reverse()) await stop().catch(() => {});
    stoppers.length = 0;
  };
  try {
    const upstream = await startUpstream(scenario.upstream);
    if (upstream) stoppers.push(() => upstream.stop());
    const hopEcho = await startProbe();
    stoppers.push(() => hopEcho.stop());
    let nextPort = upstream?.port ?? 0;
    if (scenario.gateway) {
      const gatewayPort = await freePort();
      const gateway = await startNodeGateway(resolve(PROXY_CONFIGS_DIR, scenario.gateway), {
        LISTEN_HOST: "127.0.0.1",
        LISTEN_PORT: String(gatewayPort),
        UPSTREAM_HOST: "127.0.0.1",
        UPSTREAM_PORT: String(nextPort),
      });
      stoppers.push(() => gateway.stop());
      hops.push(gateway);
      nextPort = gatewayPort;
    }
    const vars: TemplateVars = {
      LISTEN_HOST: "127.0.0.1",
      LISTEN_PORT: String(await freePort()),
      UPSTREAM_HOST: "127.0.0.1",
      UPSTREAM_PORT: String(nextPort),
      HOP_ECHO_HOST: "127.0.0.1",
      HOP_ECHO_PORT: String(hopEcho.port),
      PROBES_DIR: join(PROXY_CONFIGS_DIR, "probes"),
      HTPASSWD_FILE: join(PROXY_CONFIGS_DIR, "apache", "edge.htpasswd"),
    };
    const configPath = resolve(PROXY_CONFIGS_DIR, scenario.config);
    let front: RunningHop;
    if (scenario.server === "nginx") {
      front = await startNginx(findBinary("nginx").path ?? "nginx", configPath, vars, workdir);
    } else if (scenario.server === "apache") {
      front = await startApache(findBinary("apache").path ?? "apache2", configPath, vars, workdir);
    } else {
      front = await startNodeGateway(configPath, vars);
    }
    stoppers.push(() => front.stop());
    hops.unshift(front);
    return {
      url: front.url,
      hops,
      upstreamPort: upstream?.port ?? null,
      logTail: () =>
        hops
          .map((h) => h.logTail())
          .filter(Boolean)
          .join("\n"),
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
