// One compose profile's life: up, wait until every service is healthy, and down with its volumes.
// Any failure names the services that did not come up, with their own log lines.
import { spawnSync } from "node:child_process";
import { docker } from "./engine.mjs";

export function compose(composeFile, project, args) {
  const r = spawnSync("docker-compose", ["-f", composeFile, "-p", project, ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.error) throw new Error("docker-compose is missing: apt-get install -y docker-compose");
  return r;
}

/** The profile's containers with their compose service name, state and health. */
export function containers(project) {
  const ids = docker(["ps", "-aq", "--filter", `label=com.docker.compose.project=${project}`]).stdout.split("\n").filter(Boolean);
  if (!ids.length) return [];
  const format = "{{.Id}}|{{index .Config.Labels \"com.docker.compose.service\"}}|{{.State.Status}}|{{if .State.Health}}{{.State.Health.Status}}{{end}}";
  return docker(["inspect", "--format", format, ...ids]).stdout.split("\n").filter(Boolean).map((line) => {
    const [id, service, state, health] = line.split("|");
    return { id, service, state, health: health || null };
  });
}

export function logsOf(id, lines = 20) {
  const r = docker(["logs", "--tail", String(lines), id]);
  return `${r.stdout}${r.stderr}`.trim();
}

/** Why each unready container is not ready, with its log tail. */
function describeUnready(list) {
  return list
    .map((c) => {
      const health = docker(["inspect", "--format", "{{if .State.Health}}{{range .State.Health.Log}}{{.Output}}{{end}}{{end}}", c.id]).stdout.trim();
      const why = c.state !== "running" ? c.state : `health ${c.health}${health ? ` (check said: ${health.split("\n").at(-1)})` : ""}`;
      return `--- ${c.service}: ${why}; its log:\n${logsOf(c.id) || "(empty)"}`;
    })
    .join("\n");
}

const ready = (c) => c.state === "running" && (c.health === null || c.health === "healthy");
const broken = (c) => ["exited", "dead", "restarting"].includes(c.state) || c.health === "unhealthy";

/** Brings a profile up and returns once every container is healthy; throws with the logs otherwise. */
export async function up(composeFile, project, profile, timeoutMs = 180_000) {
  const r = compose(composeFile, project, ["--profile", profile, "up", "-d", "--no-build", "--quiet-pull"]);
  const end = Date.now() + timeoutMs;
  for (;;) {
    const list = containers(project);
    const bad = list.filter(broken);
    if (r.status !== 0 || bad.length) {
      const unready = list.filter((c) => !ready(c));
      throw new Error(`profile ${profile} did not come up: ${(r.stderr || "").trim().split("\n").slice(-3).join(" | ")}\n${describeUnready(unready.length ? unready : bad)}`);
    }
    if (list.length && list.every(ready)) return list;
    if (Date.now() > end) throw new Error(`profile ${profile}: not healthy after ${timeoutMs / 1000} s\n${describeUnready(list.filter((c) => !ready(c)))}`);
    await new Promise((res) => setTimeout(res, 500));
  }
}

/**
 * What a run that died left under this project (a network, a volume, a container): removed before
 * the first profile, so only this run's own leftovers count. Returns what it removed.
 */
export function clearStale(composeFile, project) {
  const before = down(composeFile, project, "all");
  for (const net of docker(["network", "ls", "-q", "--filter", `label=com.docker.compose.project=${project}`]).stdout.split("\n").filter(Boolean)) {
    docker(["network", "rm", net]);
  }
  return before;
}

/** Removes the profile's containers, networks and volumes; returns what is left (should be nothing). */
export function down(composeFile, project, profile) {
  compose(composeFile, project, ["--profile", profile, "down", "-v", "--remove-orphans", "-t", "5"]);
  const left = containers(project).map((c) => c.service);
  const nets = docker(["network", "ls", "-q", "--filter", `label=com.docker.compose.project=${project}`]).stdout.trim();
  const vols = docker(["volume", "ls", "-q", "--filter", `label=com.docker.compose.project=${project}`]).stdout.trim();
  return [...left, ...(nets ? [`networks ${nets.replace(/\n/g, " ")}`] : []), ...(vols ? [`volumes ${vols.replace(/\n/g, " ")}`] : [])];
}
