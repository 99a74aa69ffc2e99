import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { type AppServerKind, startAppServer } from "./app-servers.js";
import { findBinary } from "./binaries.js";
import { PROXY_CONFIGS_DIR } from "./catalog.js";
import { freePort } from "./ports.js";
import { startApache } from "./runners/apache.js";
import { startCaddy } from "./runners/caddy.js";
import { startHaproxy } from "./runners/haproxy.js";
import { startNginx } from "./runners/nginx.js";
import { startNodeGateway } from "./runners/node.js";
import type { HopRunner, RunningHop, TemplateVars } from "./runners/types.js";
import { startVarnish } from "./runners/varnish.js";
import type { Hop, Scenario } from "./scenario.js";
import { makeLabCertificates } from "./tls.js";
import { type RunningUpstream, reserveDeadPort, startProbe, startSampleApp } from "./upstream.js";

export interface Deployment {
  url: string;
  /** Hops from the client towards the app, each with its hop-echo path when it has one. */
  hops: RunningHop[];
  upstreamPort: number | null;
  /** The CA file that signs the entry's certificate, for a TLS scenario. */
  cacert: string | null;
  logTail(): string;
  stop(): Promise<void>;
}

const RUNNERS: Record<Exclude<Hop["server"], "node">, HopRunner> = {
  nginx: startNginx,
  apache: startApache,
  haproxy: startHaproxy,
  caddy: startCaddy,
  varnish: startVarnish,
};

function startUpstream(scenario: Scenario, workdir: string): Promise<RunningUpstream> | null {
  const kind = scenario.upstream;
  if (kind === "app") return startSampleApp();
  if (kind === "probe") return startProbe();
  if (kind === "down") return reserveDeadPort();
  if (kind === "wsgi" || kind === "cgi") return null; // they run inside Apache itself
  return startAppServer(kind as AppServerKind, scenario.upstreamConfig as string, join(workdir, kind));
}

function startHop(hop: Hop, vars: TemplateVars, dir: string): Promise<RunningHop> {
  const config = resolve(PROXY_CONFIGS_DIR, hop.config);
  if (hop.server === "node") return startNodeGateway(config, vars);
  mkdirSync(dir, { recursive: true });
  return RUNNERS[hop.server](findBinary(hop.server).path ?? hop.server, config, vars, dir);
}

/** Starts the upstream, then each hop from the app outwards; on any failure stops what started. */
export async function startDeployment(scenario: Scenario, workdir: string): Promise<Deployment> {
  const stoppers: (() => Promise<void>)[] = [];
  const hops: RunningHop[] = [];
  const stopAll = async () => {
    for (const stop of stoppers.reverse()) await stop().catch(() => {});
    stoppers.length = 0;
  };
  try {
    const upstream = await startUpstream(scenario, workdir);
    if (upstream) stoppers.push(() => upstream.stop());
    const hopEcho = await startProbe();
    stoppers.push(() => hopEcho.stop());
    const certs = scenario.tls ? makeLabCertificates(workdir) : null;
    let nextPort = upstream?.port ?? 0;
    for (let i = scenario.hops.length - 1; i >= 0; i--) {
      const hop = scenario.hops[i] as Hop;
      const vars: TemplateVars = {
        LISTEN_HOST: "127.0.0.1",
        LISTEN_PORT: String(await freePort()),
        UPSTREAM_HOST: "127.0.0.1",
        UPSTREAM_PORT: String(nextPort),
        HOP_ECHO_HOST: "127.0.0.1",
        HOP_ECHO_PORT: String(hopEcho.port),
        // A standalone probe beside the API (the recipes): the lab's hop-echo probe serves as one.
        PROBE_HOST: "127.0.0.1",
        PROBE_PORT: String(hopEcho.port),
        PROBES_DIR: join(PROXY_CONFIGS_DIR, "probes"),
        HTPASSWD_FILE: join(PROXY_CONFIGS_DIR, "apache", "edge.htpasswd"),
        ...(certs && i === 0 ? { TLS_CERT: certs.cert, TLS_KEY: certs.key } : {}),
        ...(certs && i === 0 && scenario.tls === "entry" ? { LISTEN_SCHEME: "https" } : {}),
        ...(certs && i === 0 && scenario.tls === "redirect" ? { TLS_PORT: String(await freePort()) } : {}),
      };
      const running = await startHop(hop, vars, join(workdir, `${i}-${hop.server}`));
      stoppers.push(() => running.stop());
      hops.unshift(running);
      nextPort = running.port;
    }
    const front = hops[0] as RunningHop;
    return {
      url: front.url,
      hops,
      upstreamPort: upstream?.port ?? null,
      cacert: certs?.ca ?? null,
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
