import { LAB_DIR_VARIABLE, spawnServer, waitForPort } from "../processes.js";
import type { ServerKind } from "../scenario.js";
import type { RunningHop } from "./types.js";

export interface SpawnedServer {
  port: number;
  stop(): Promise<void>;
  logTail(): string;
}

/** Spawns a server, waits until its port accepts connections, and stops it if it never does. */
export async function spawnAndWait(options: {
  label: string;
  binary: string;
  args: string[];
  port: number;
  /** The scenario directory this server belongs to: marked in its environment (see LAB_DIR_VARIABLE). */
  dir: string;
  env?: Record<string, string>;
  errorLog?: string;
  cwd?: string;
  afterStop?: () => void;
}): Promise<SpawnedServer> {
  const proc = spawnServer(options.label, options.binary, options.args, {
    env: { ...options.env, [LAB_DIR_VARIABLE]: options.dir },
    ...(options.errorLog ? { errorLog: options.errorLog } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  const stop = async () => {
    await proc.stop();
    options.afterStop?.();
  };
  await waitForPort(proc, options.port).catch(async (err) => {
    await stop();
    throw err;
  });
  return { port: options.port, stop, logTail: () => proc.logTail() };
}

/** A spawned server as a hop of the deployment. */
export function asHop(
  kind: ServerKind,
  server: SpawnedServer,
  vars: { LISTEN_HOST?: string; LISTEN_SCHEME?: string },
  hopEcho?: { name: string; path: string },
): RunningHop {
  const scheme = vars.LISTEN_SCHEME === "https" ? "https" : "http";
  return {
    kind,
    label: kind,
    url: `${scheme}://${vars.LISTEN_HOST ?? "127.0.0.1"}:${server.port}`,
    port: server.port,
    ...(hopEcho ? { hopEcho } : {}),
    stop: () => server.stop(),
    logTail: () => server.logTail(),
  };
}
