import { CommanderError } from "commander";
import { AuthprobeError, ConfigError, UsageError } from "../errors.js";
import { EXIT } from "../exit-codes.js";
import { buildProgram } from "./program.js";

function fail(message: string, code: number): never {
  process.stderr.write(`authprobe: ${message}\n`);
  process.exit(code);
}

async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) process.exit(0); // --help, --version
      fail(err.message.replace(/^error: /, "").split("\n")[0] ?? err.message, EXIT.usage);
    }
    if (err instanceof UsageError || err instanceof ConfigError) fail(err.message, EXIT.usage);
    if (err instanceof AuthprobeError) fail(err.message, EXIT.failure);
    fail(`unexpected failure: ${(err as Error).message ?? String(err)}`, EXIT.failure);
  }
}

await main(process.argv);
