import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { findBinary } from "./binaries.js";
import { PROXY_CONFIGS_DIR } from "./catalog.js";
import { freePort } from "./ports.js";
import { spawnAndWait, type SpawnedServer } from "./runners/spawned.js";

export type AppServerKind = "gunicorn" | "uwsgi" | "php-fpm";

/**
 * Each application server reads its own config file, and each expands the environment itself
 * (gunicorn's is Python, uWSGI has $(VAR), PHP-FPM has ${VAR}): the files run unchanged.
 */
function commandFor(kind: AppServerKind, config: string): string[] {
  if (kind === "gunicorn") return ["-c", config];
  if (kind === "uwsgi") return ["--ini", config];
  // -n: no php.ini, so the machine's PHP settings do not leak in; -R: allowed to run as root.
  return ["-F", "-n", "-y", config, ...(process.getuid?.() === 0 ? ["-R"] : [])];
}

export async function startAppServer(kind: AppServerKind, configRel: string, dir: string): Promise<SpawnedServer> {
  const binary = findBinary(kind);
  if (!binary.path) throw new Error(`${kind} is not installed: ${binary.install}`);
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const env = {
    LISTEN_HOST: "127.0.0.1",
    LISTEN_PORT: String(port),
    PROBES_DIR: join(PROXY_CONFIGS_DIR, "probes"),
    RUN_DIR: dir,
    // PHP-FPM cannot open /proc/self/fd/2 when stderr is a socket, as under Node's spawn.
    FPM_ERROR_LOG: join(dir, "php-fpm.log"),
    PYTHONDONTWRITEBYTECODE: "1",
  };
  const errorLog = kind === "php-fpm" ? { errorLog: env.FPM_ERROR_LOG } : {};
  const args = commandFor(kind, join(PROXY_CONFIGS_DIR, configRel));
  return spawnAndWait({ label: kind, binary: binary.path, args, port, dir, env, cwd: dir, ...errorLog });
}
