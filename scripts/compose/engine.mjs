// A Docker engine for the compose test: the one DOCKER_HOST (or the default socket) names when it
// answers, else a private dockerd that this process starts and always stops. The private daemon
// never touches the firewall (--iptables=false --ip-masq=false) and keeps its data under a stable
// root outside the clone, so the image cache survives between runs.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const DOCKER_ROOT = process.env.AUTHPROBE_DOCKER_ROOT ?? "/var/lib/authprobe-docker";

const INSTALL = "apt-get install -y docker.io mmdebstrap";

export function docker(args, options = {}) {
  const r = spawnSync("docker", args, { encoding: "utf8", maxBuffer: 64 << 20, ...options });
  if (r.error) throw new Error(`docker is missing: ${INSTALL}`);
  return r;
}

const answers = () => docker(["version", "--format", "{{.Server.Version}}"], { timeout: 10_000 }).status === 0;

/** Waits for the engine to answer; true when it did before the deadline. */
async function waitForEngine(ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (answers()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/**
 * Makes process.env.DOCKER_HOST name a working engine. Returns stop(): a no-op for an engine that
 * was already there, else it stops the private dockerd and removes the docker0 link it created.
 */
export async function ensureEngine(log = () => {}) {
  if (answers()) return { private: false, stop() {} };
  const socket = join(DOCKER_ROOT, "docker.sock");
  process.env.DOCKER_HOST = `unix://${socket}`;
  if (answers()) return { private: false, stop() {} }; // a private daemon left running by someone else
  if (!existsSync("/usr/sbin/dockerd") && spawnSync("sh", ["-c", "command -v dockerd"]).status !== 0) {
    throw new Error(`no Docker engine answers and dockerd is missing: ${INSTALL}`);
  }
  mkdirSync(DOCKER_ROOT, { recursive: true });
  const hadBridge = spawnSync("ip", ["link", "show", "docker0"], { stdio: "ignore" }).status === 0;
  const logFile = join(DOCKER_ROOT, "dockerd.log");
  const out = openSync(logFile, "a");
  log(`starting a private dockerd (data in ${DOCKER_ROOT})`);
  const daemon = spawn(
    "dockerd",
    [
      "--data-root", join(DOCKER_ROOT, "data"),
      "--exec-root", join(DOCKER_ROOT, "exec"),
      "--pidfile", join(DOCKER_ROOT, "dockerd.pid"),
      "-H", `unix://${socket}`,
      "--iptables=false",
      "--ip-masq=false",
    ],
    { stdio: ["ignore", out, out] },
  );
  let exited = false;
  daemon.on("exit", () => (exited = true));
  if (!(await waitForEngine(60_000)) || exited) {
    daemon.kill("SIGKILL");
    const tail = readFileSync(logFile, "utf8").split("\n").slice(-15).join("\n");
    throw new Error(`the private dockerd did not answer within 60 s:\n${tail}`);
  }
  let stopped = false;
  return {
    private: true,
    /** Synchronous, so that it also runs from a signal handler or process.on("exit"). */
    stop() {
      if (stopped) return;
      stopped = true;
      if (!exited) {
        daemon.kill("SIGTERM");
        // dockerd stops its containers first; wait for it (at most 30 s) before removing its bridge.
        const pid = daemon.pid;
        spawnSync("sh", ["-c", `for i in $(seq 300); do kill -0 ${pid} 2>/dev/null || exit 0; sleep 0.1; done; kill -9 ${pid}`]);
      }
      if (!hadBridge) spawnSync("ip", ["link", "delete", "docker0"], { stdio: "ignore" });
    },
  };
}
