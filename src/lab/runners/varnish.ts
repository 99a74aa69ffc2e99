import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderTemplate } from "../../proxy/render-template.js";
import { asHop, spawnAndWait } from "./spawned.js";
import { hopEchoIn, type RunningHop, type TemplateVars } from "./types.js";

/**
 * Run-time parameters (e.g. http_req_hdr_len) are not VCL: they sit beside it in NAME.params, one
 * `name=value` a line, and become `-p name=value` (the official image appends them to varnishd too).
 */
export function varnishParams(vclPath: string): string[] {
  const file = vclPath.replace(/\.vcl(\.template)?$/, ".params");
  if (file === vclPath || !existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"))
    .flatMap((l) => ["-p", l]);
}

/**
 * varnishd compiles the VCL with `gcc -g -O2` by default: ~1 s of CPU per start-up, most of the
 * time a Varnish scenario takes. -O0 without debug info compiles the same C in a third of that, and
 * a lab run needs no faster VCL, only a faster start.
 */
const FAST_CC = "cc_command=exec cc -O0 -pthread -fpic -shared -Wl,-x -o %o %s";

/** VCL has no environment: the template is rendered like nginx's, then varnishd runs in the foreground. */
export async function startVarnish(binary: string, template: string, vars: TemplateVars, dir: string): Promise<RunningHop> {
  const text = readFileSync(template, "utf8");
  const vcl = join(dir, "default.vcl");
  writeFileSync(vcl, renderTemplate(text, vars, template));
  mkdirSync(join(dir, "work"), { recursive: true });
  const port = Number(vars.LISTEN_PORT);
  const server = await spawnAndWait({
    label: "varnish",
    binary,
    // -j none: no privilege separation, so it runs as whoever runs the lab, in its own directory.
    args: ["-F", "-j", "none", "-a", `${vars.LISTEN_HOST}:${port}`, "-f", vcl, "-n", join(dir, "work"), "-s", "malloc,32m", "-p", FAST_CC, ...varnishParams(template)],
    port,
    dir,
  });
  return asHop("varnish", server, vars, hopEchoIn(text));
}
