import { createServer, type Server } from "node:http";
import { loadAppConfig } from "../app/config.js";
import { createApp } from "../app/create-app.js";
import { createProbeHandler } from "../probe/handler.js";
import { closeServer, listen } from "../listen.js";
import { freePort } from "./ports.js";

export interface RunningUpstream {
  port: number;
  stop(): Promise<void>;
}

/** Upstreams accept big headers, so a size limit in a scenario is the proxy's, not theirs. */
const UPSTREAM_MAX_HEADER = 65536;

async function start(server: Server): Promise<RunningUpstream> {
  const url = await listen(server, "127.0.0.1", 0);
  return { port: Number(new URL(url).port), stop: () => closeServer(server) };
}

export function startProbe(): Promise<RunningUpstream> {
  return start(createServer({ maxHeaderSize: UPSTREAM_MAX_HEADER }, createProbeHandler()));
}

/**
 * The lab's app uses JWT_SECRET (or the development default) so `authprobe token` works against it,
 * and answers CORS for any origin (`*`, no credentials): the lab's browser page runs on a port of its
 * own, and its probe follows the app's CORS policy.
 */
export function startSampleApp(): Promise<RunningUpstream> {
  const config = loadAppConfig({ NODE_ENV: "development", JWT_SECRET: process.env.JWT_SECRET || undefined, CORS_ORIGINS: "*" });
  return start(createServer({ maxHeaderSize: UPSTREAM_MAX_HEADER }, createApp(config)));
}

/** A port with nothing behind it: the "upstream down" case. */
export async function reserveDeadPort(): Promise<RunningUpstream> {
  return { port: await freePort(), stop: async () => {} };
}
