import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import { AuthprobeError } from "../errors.js";
import { portOwner } from "./port-owner.js";

/**
 * Set in the environment of every server the lab starts (children inherit it, whatever they call
 * themselves later): how a later run, or a test, finds what a dead run left behind.
 */
export const LAB_DIR_VARIABLE = "AUTHPROBE_LAB_DIR";

/**
 * Every server the lab started whose process group is not yet confirmed empty (a parent may exit
 * before its children): stopped on exit and on Ctrl-C.
 */
const groups = new Set<ManagedProcess>();

export class ManagedProcess {
  private exited: Promise<void>;
  exitCode: number | null = null;
  private output = "";

  constructor(
    readonly label: string,
    readonly child: ChildProcess,
    readonly errorLog: string | null,
  ) {
    groups.add(this);
    this.exited = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        this.exitCode = code ?? (signal ? 128 : 0);
        resolve();
      });
    });
    const keep = (d: Buffer) => {
      this.output = (this.output + d.toString()).slice(-8000);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
  }

  get running(): boolean {
    return this.exitCode === null;
  }

  /** The last lines of the server's error log (or its output): shown when a scenario fails. */
  logTail(lines = 15): string {
    let text = this.output;
    if (this.errorLog && existsSync(this.errorLog)) text = `${readFileSync(this.errorLog, "utf8")}${text}`;
    return text.trimEnd().split("\n").slice(-lines).join("\n");
  }

  private signalGroup(signal: NodeJS.Signals | 0): boolean {
    const pid = this.child.pid;
    if (pid === undefined) return false;
    try {
      process.kill(-pid, signal);
      return true;
    } catch {
      return false; // ESRCH: nothing left in the group
    }
  }

  /**
   * SIGTERM to the whole process group, SIGKILL after the grace period, then SIGKILL to whatever
   * of the group outlived its parent (Apache's mod_cgid daemon does), polling until none is left.
   */
  async stop(graceMs = 5000): Promise<void> {
    if (this.running) {
      this.signalGroup("SIGTERM");
      const timer = setTimeout(() => this.signalGroup("SIGKILL"), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
    const deadline = Date.now() + graceMs;
    while (this.signalGroup(0) && Date.now() < deadline) {
      this.signalGroup("SIGKILL");
      await new Promise((r) => setTimeout(r, 20));
    }
    groups.delete(this);
  }
}

export function spawnServer(
  label: string,
  command: string,
  args: string[],
  options: { env?: Record<string, string>; errorLog?: string; cwd?: string },
): ManagedProcess {
  const child = spawn(command, args, {
    env: { ...process.env, ...options.env },
    ...(options.cwd ? { cwd: options.cwd } : {}),
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so stop() can reap the children a server forks, and Ctrl-C on the
    // terminal reaches only us: the lab stops its servers in order.
    detached: true,
  });
  child.on("error", () => {
    // reported through the exit code and the log tail; never an unhandled error
  });
  return new ManagedProcess(label, child, options.errorLog ?? null);
}

function tryConnect(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Polls until the port accepts connections; fails at once if the process exits first. */
export async function waitForPort(
  proc: ManagedProcess,
  port: number,
  host = "127.0.0.1",
  timeoutMs = 15_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!proc.running) {
      throw new AuthprobeError(
        "SERVER_EXITED",
        `${proc.label} exited with code ${proc.exitCode}:\n${proc.logTail()}`,
      );
    }
    // Accepting is not enough: the port must be held by the server we started, not another one.
    if ((await tryConnect(port, host)) && (proc.child.pid === undefined || portOwner(port, proc.child.pid) !== "other")) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new AuthprobeError(
    "SERVER_NOT_READY",
    `${proc.label} did not listen on ${host}:${port}:\n${proc.logTail()}`,
  );
}

export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...groups].map((p) => p.stop()));
  groups.clear();
}
