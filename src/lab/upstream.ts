import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { loadAppConfig } from "../app/config.js";
import { createApp } from "../app/create-app.js";
import { createProbeHandler } from "../probe/handler.js";
import { closeServer } from "../listen.js";
import { freePort } from "./ports.js";

export interface RunningUpstream {
  port: number;
  stop(): Promise<void>;
}

/** Upstreams accept big headers, so a size limit in a scenario is the proxy's, not theirs. */
const UPSTREAM_MAX_HEADER = 65536;

async function listen(server: Server): Promise<RunningUpstream> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    stop: () => closeServer(server),
  };
}

export function startProbe(): Promise<RunningUpstream> {
  return listen(createServer({ maxHeaderSize: UPSTREAM_MAX_HEADER }, createProbeHandler()));
}

/** The lab's app uses JWT_SECRET (or the development default) so `authprobe token` works against it. */
export function startSampleApp(): Promise<RunningUpstream> {
  const config = loadAppConfig({ NODE_ENV: "development", JWT_SECRET: process.env.JWT_SECRET || undefined });
  return listen(createServer({ maxHeaderSize: UPSTREAM_MAX_HEADER }, createApp(config)));
}

/** A port with nothing behind it: the "upstream down" case. */
export async function reserveDeadPort(): Promise<RunningUpstream> {
  return { port: await freePort(), stop: async () => {} };
}
