import { chmodSync, cpSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { APACHE_MODULES_DIR } from "../binaries.js";
import { makeStagingDir, removeWorkdir } from "../workdirs.js";
import { APACHE_MPM_TUNING } from "./apache-mpm.js";
import { asHop, spawnAndWait } from "./spawned.js";
import { hopEchoIn, type RunningHop, type TemplateVars } from "./types.js";

const MODULES = [
  "mpm_event",
  "authz_core",
  "authz_host",
  "authz_user",
  "authn_core",
  "authn_file",
  "auth_basic",
  "headers",
  "proxy",
  "proxy_http",
  "setenvif",
  "env",
  "alias",
  "mime",
  "cgid",
  "proxy_fcgi",
  "rewrite",
  "dir",
];

/**
 * Apache reads `${VAR}` from its environment, so the scenario file is included unchanged: the very
 * file users copy. This wrapper only supplies what a distribution's apache2.conf would.
 */
function mainConfig(dir: string, socketDir: string, scenarioFile: string, wsgi: boolean): string {
  const modules = [...MODULES, ...(wsgi ? ["wsgi"] : [])]
    .map((m) => `LoadModule ${m}_module ${APACHE_MODULES_DIR}/mod_${m}.so`)
    .join("\n");
  // As root, workers must drop privileges; the probes and configs are world-readable.
  const user = process.getuid?.() === 0 ? "User www-data\nGroup www-data\n" : "";
  return `ServerRoot ${dir}
ServerName 127.0.0.1
PidFile ${dir}/httpd.pid
ErrorLog ${dir}/error.log
LogLevel warn
DefaultRuntimeDir ${dir}
Mutex file:${dir} default
${modules}
${user}${APACHE_MPM_TUNING}ScriptSock ${socketDir}/cgid.sock
TypesConfig /etc/mime.types
Include ${scenarioFile}
`;
}

/**
 * As root, Apache's workers run as www-data and must read the probes, the htpasswd file and the cgid
 * socket. A checkout under /root or a private TMPDIR is out of their reach, so those are staged in a
 * world-readable directory of their own (same content, removed on stop).
 */
function stageForWorkers(vars: TemplateVars): { vars: TemplateVars; dir: string | null } {
  if (process.getuid?.() !== 0) return { vars, dir: null };
  const dir = makeStagingDir();
  chmodSync(dir, 0o755);
  const staged = { ...vars };
  if (vars.PROBES_DIR) {
    cpSync(vars.PROBES_DIR, join(dir, "probes"), { recursive: true, filter: (src) => !src.includes("__pycache__") });
    staged.PROBES_DIR = join(dir, "probes");
  }
  if (vars.HTPASSWD_FILE) {
    cpSync(vars.HTPASSWD_FILE, join(dir, basename(vars.HTPASSWD_FILE)));
    staged.HTPASSWD_FILE = join(dir, basename(vars.HTPASSWD_FILE));
  }
  return { vars: staged, dir };
}

export async function startApache(
  binary: string,
  config: string,
  vars: TemplateVars,
  dir: string,
): Promise<RunningHop> {
  const staged = stageForWorkers(vars);
  const socketDir = staged.dir ?? dir;
  const wsgi = /^\s*WSGI/m.test(readFileSync(config, "utf8"));
  writeFileSync(join(dir, "httpd.conf"), mainConfig(dir, socketDir, config, wsgi));
  const errorLog = join(dir, "error.log");
  const server = await spawnAndWait({
    label: "apache",
    binary,
    args: ["-f", join(dir, "httpd.conf"), "-DFOREGROUND"],
    port: Number(vars.LISTEN_PORT),
    dir,
    env: staged.vars,
    errorLog,
    afterStop: () => {
      if (staged.dir) removeWorkdir(staged.dir);
    },
  });
  return asHop("apache", server, vars, hopEchoIn(readFileSync(config, "utf8")));
}
