import type { ServerKind } from "../scenario.js";

/** One started hop (proxy, cache or gateway) of a lab deployment. */
export interface RunningHop {
  kind: ServerKind;
  label: string;
  url: string;
  port: number;
  /** Path at which this hop reports what it received, when its config has one. */
  hopEcho?: { name: string; path: string };
  stop(): Promise<void>;
  logTail(): string;
}

export type TemplateVars = Record<string, string>;

/** Starts one hop from its config file: the very file users copy. */
export type HopRunner = (binary: string, config: string, vars: TemplateVars, dir: string) => Promise<RunningHop>;

/** `/__hop/NAME` in a config: the hop answers that path with what it received. */
export function hopEchoIn(text: string): { name: string; path: string } | undefined {
  const match = /\/__hop\/([a-z0-9-]+)/.exec(text);
  return match ? { name: match[1] as string, path: match[0] } : undefined;
}
