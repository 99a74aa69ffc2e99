import { readFileSync } from "node:fs";
import { Command } from "commander";
import { registerDoctor } from "./doctor.js";
import { registerLab } from "./lab.js";
import { registerProbe } from "./probe.js";
import { registerServe } from "./serve.js";
import { registerToken } from "./token.js";

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

export function buildProgram(): Command {
  const program = new Command("authprobe")
    .description("find where the Authorization header gets lost between a client and your app")
    .version(version(), "-v, --version")
    .showSuggestionAfterError(true)
    .exitOverride()
    // Set before subcommands are added: they copy these settings. main.ts prints errors itself.
    .configureOutput({ writeErr: () => {} });
  registerServe(program);
  registerToken(program);
  registerDoctor(program);
  registerLab(program);
  registerProbe(program);
  for (const command of program.commands) command.exitOverride();
  return program;
}
