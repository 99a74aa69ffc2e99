import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderTemplate } from "../../proxy/render-template.js";
import { spawnServer, waitForPort } from "../processes.js";
import type { RunningHop, TemplateVars } from "./types.js";

/**
 * The template is a conf.d server block, as nginx's docker image includes it after envsubst; here
 * we render it the same way and include it from a minimal main config in a private directory.
 */
function mainConfig(dir: string): string {
  return `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;
events { worker_connections 256; }
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

export async function startNginx(
  binary: string,
  template: string,
  vars: TemplateVars,
  dir: string,
): Promise<RunningHop> {
  mkdirSync(join(dir, "conf.d"), { recursive: true });
  const text = readFileSync(template, "utf8");
  writeFileSync(join(dir, "conf.d", "scenario.conf"), renderTemplate(text, vars, template));
  writeFileSync(join(dir, "nginx.conf"), mainConfig(dir));
  const errorLog = join(dir, "error.log");
  const proc = spawnServer(
    "nginx",
    binary,
    ["-p", `${dir}/`, "-c", join(dir, "nginx.conf"), "-e", errorLog],
    {
      errorLog,
    },
  );
  const port = Number(vars.LISTEN_PORT);
  await waitForPort(proc, port).catch(async (err) => {
    await proc.stop();
    throw err;
  });
  return {
    kind: "nginx",
    label: "nginx",
    url: `http://127.0.0.1:${port}`,
    ...(text.includes("/__hop/nginx") ? { hopEcho: { name: "nginx", path: "/__hop/nginx" } } : {}),
    stop: () => proc.stop(),
    logTail: () => proc.logTail(),
  };
}
