import type { ServerName } from "../components.js";
import { namedProxies } from "./attribution.js";
import type { RunState } from "./checks/types.js";

/** The server a run names in its summary: the front proxy the evidence names, else unknown. */
export function attributionOfRun(state: RunState): ServerName {
  return namedProxies(state.path)[0] ?? "unknown";
}
