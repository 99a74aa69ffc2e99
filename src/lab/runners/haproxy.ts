import { readFileSync } from "node:fs";
import { asHop, spawnAndWait } from "./spawned.js";
import { hopEchoIn, type RunningHop, type TemplateVars } from "./types.js";

/** HAProxy expands "${VAR}" from its environment itself: the file runs unchanged. */
export async function startHaproxy(binary: string, config: string, vars: TemplateVars, dir: string): Promise<RunningHop> {
  const server = await spawnAndWait({
    label: "haproxy",
    binary,
    args: ["-db", "-f", config],
    port: Number(vars.LISTEN_PORT),
    dir,
    env: vars,
  });
  return asHop("haproxy", server, vars, hopEchoIn(readFileSync(config, "utf8")));
}
