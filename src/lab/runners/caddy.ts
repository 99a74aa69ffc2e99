import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { asHop, spawnAndWait } from "./spawned.js";
import { hopEchoIn, type RunningHop, type TemplateVars } from "./types.js";

/**
 * Caddy reads `{$VAR}` from its environment when it adapts the Caddyfile: the file runs unchanged.
 * Its data and config homes point into the scenario's directory, so nothing lands in $HOME.
 */
export async function startCaddy(binary: string, config: string, vars: TemplateVars, dir: string): Promise<RunningHop> {
  for (const sub of ["data", "config"]) mkdirSync(join(dir, sub), { recursive: true });
  const server = await spawnAndWait({
    label: "caddy",
    binary,
    args: ["run", "--config", config, "--adapter", "caddyfile"],
    port: Number(vars.LISTEN_PORT),
    dir,
    env: { ...vars, HOME: dir, XDG_DATA_HOME: join(dir, "data"), XDG_CONFIG_HOME: join(dir, "config") },
  });
  return asHop("caddy", server, vars, hopEchoIn(readFileSync(config, "utf8")));
}
