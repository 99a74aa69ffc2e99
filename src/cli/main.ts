import { CommanderError } from "commander";
import { AuthprobeError } from "../errors.js";
import { EXIT } from "../exit-codes.js";
import { escapeLines } from "./escape.js";
import { buildProgram } from "./program.js";

function fail(message: string, code: number): never {
  // Whatever it quotes (a URL a server redirected to, a log line) shows its control characters escaped.
  process.stderr.write(`authprobe: ${escapeLines(message)}\n`);
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
    // One table (src/errors.ts) maps every error code to its exit code.
    if (err instanceof AuthprobeError) fail(err.message, err.exitCode);
    fail(`unexpected failure: ${(err as Error).message ?? String(err)}`, EXIT.failure);
  }
}

await main(process.argv);
