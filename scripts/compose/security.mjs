// Checks on what a profile runs, read from the engine (docker inspect, docker top, docker history):
// ports published on 127.0.0.1 only, servers not running as root, no secret in an image's layers.
import { docker } from "./engine.mjs";

/**
 * Containers whose main process may be root: Apache's parent starts as root and runs its workers as
 * www-data (User www-data in docker/apache/httpd.conf), and certs is a one-shot key maker, not a server.
 */
const ROOT_ALLOWED = { "authprobe/apache:local": "drops to www-data", "authprobe/certs:local": "not a server" };

/** Words that mark a secret in a layer's command or an image's environment. */
const SECRET = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_KEY)\s*=|BEGIN [A-Z ]*PRIVATE KEY/i;

export function publishedOutsideLoopback(id) {
  const bindings = JSON.parse(docker(["inspect", "--format", "{{json .HostConfig.PortBindings}}", id]).stdout || "null") ?? {};
  return Object.entries(bindings).flatMap(([port, list]) => (list ?? []).filter((b) => b.HostIp !== "127.0.0.1").map((b) => `${b.HostIp || "0.0.0.0"}:${b.HostPort}->${port}`));
}

export function runsAsRoot(id) {
  const image = docker(["inspect", "--format", "{{.Config.Image}}", id]).stdout.trim();
  if (ROOT_ALLOWED[image]) return null;
  const users = docker(["top", id, "-eo", "user"]).stdout.split("\n").slice(1).map((u) => u.trim()).filter(Boolean);
  return users.includes("root") ? `${image} runs a process as root` : null;
}

export function secretsIn(image) {
  const history = docker(["history", "--no-trunc", "--format", "{{.CreatedBy}}", image]).stdout;
  const env = docker(["image", "inspect", "--format", "{{range .Config.Env}}{{println .}}{{end}}", image]).stdout;
  return [...history.split("\n"), ...env.split("\n")].filter((l) => SECRET.test(l)).map((l) => `${image}: ${l.slice(0, 160)}`);
}

/** Every problem with a profile's running containers (empty when all is well). */
export function auditContainers(list) {
  return list.flatMap((c) => [
    ...publishedOutsideLoopback(c.id).map((p) => `${c.service} publishes ${p}`),
    ...[runsAsRoot(c.id)].filter(Boolean).map((m) => `${c.service}: ${m}`),
  ]);
}
