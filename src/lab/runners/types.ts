import type { ServerKind } from "../scenario.js";

/** One started hop (proxy or gateway) of a lab deployment. */
export interface RunningHop {
  kind: ServerKind;
  label: string;
  url: string;
  /** Path at which this hop reports what it received, when it has one. */
  hopEcho?: { name: string; path: string };
  stop(): Promise<void>;
  logTail(): string;
}

export type TemplateVars = Record<string, string>;
