import { readdirSync, readFileSync } from "node:fs";
import { AuthprobeError } from "../../errors.js";
import { LAB_DIR_VARIABLE, spawnServer, waitForPort } from "../processes.js";
import type { ServerKind } from "../scenario.js";
import { belongsTo } from "../workdirs.js";
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
  /** Its working directory: the server's own directory unless its config needs another. */
  cwd?: string;
  afterStop?: () => void;
}): Promise<SpawnedServer> {
  const proc = spawnServer(options.label, options.binary, options.args, {
    env: { ...options.env, [LAB_DIR_VARIABLE]: options.dir },
    ...(options.errorLog ? { errorLog: options.errorLog } : {}),
    // Servers that rewrite their environment (nginx, PHP-FPM) stay findable by their run this way.
    cwd: options.cwd ?? options.dir,
  });
  const stop = async () => {
    await proc.stop();
    options.afterStop?.();
  };
  await waitForPort(proc, options.port)
    .then(() => {
      const lost = proc.child.pid === undefined ? [] : untracked(proc.child.pid, options.dir);
      if (lost.length) {
        throw new AuthprobeError(
          "SERVER_UNTRACKED",
          `${options.label}: process(es) ${lost.join(", ")} carry neither ${LAB_DIR_VARIABLE} nor a working directory in ${options.dir}: a killed run could not stop them`,
        );
      }
    })
    .catch(async (err) => {
      await stop();
      throw err;
    });
  return { port: options.port, stop, logTail: () => proc.logTail() };
}

/** The processes of a server's group that a later run could not find by the server's directory. */
function untracked(leader: number, dir: string): string[] {
  return readdirSync("/proc").filter((pid) => {
    if (!/^\d+$/.test(pid)) return false;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // Zombies have no environment or working directory left; they are not running.
      return fields[0] !== "Z" && Number(fields[2]) === leader && !belongsTo(pid, [dir]);
    } catch {
      return false; // gone meanwhile
    }
  });
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
