import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderTemplate } from "../../proxy/render-template.js";
import { asHop, spawnAndWait } from "./spawned.js";
import { hopEchoIn, type RunningHop, type TemplateVars } from "./types.js";

/** The parameter files a conf.d block includes by their bare name, as in nginx's own conf dir. */
const STOCK_INCLUDES = ["fastcgi_params", "uwsgi_params", "scgi_params", "mime.types"];
const STOCK_DIRS = ["/etc/nginx", "/usr/local/nginx/conf"];

/**
 * The template is a conf.d server block, as nginx's docker image includes it after envsubst; here
 * we render it the same way and include it from a minimal main config in a private directory.
 */
function mainConfig(dir: string): string {
  return `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path ${dir}/client_body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;
    include ${dir}/conf.d/*.conf;
}
`;
}

function copyStockIncludes(dir: string): void {
  for (const name of STOCK_INCLUDES) {
    const source = STOCK_DIRS.map((d) => join(d, name)).find((p) => existsSync(p));
    if (source) copyFileSync(source, join(dir, name));
  }
}

export async function startNginx(binary: string, template: string, vars: TemplateVars, dir: string): Promise<RunningHop> {
  mkdirSync(join(dir, "conf.d"), { recursive: true });
  const text = readFileSync(template, "utf8");
  writeFileSync(join(dir, "conf.d", "scenario.conf"), renderTemplate(text, vars, template));
  writeFileSync(join(dir, "nginx.conf"), mainConfig(dir));
  copyStockIncludes(dir);
  const errorLog = join(dir, "error.log");
  const server = await spawnAndWait({
    label: "nginx",
    binary,
    args: ["-p", `${dir}/`, "-c", join(dir, "nginx.conf"), "-e", errorLog],
    port: Number(vars.LISTEN_PORT),
    dir,
    errorLog,
  });
  return asHop("nginx", server, vars, hopEchoIn(text));
}
