import { EXIT, type ExitCode } from "./exit-codes.js";

/**
 * Every error code authprobe can raise, with the exit code the CLI uses for it. Stable: add codes,
 * never rename. One page documents them all (docs/errors.md); a test keeps the two in step.
 */
export const ERROR_CODES = {
  USAGE: { exit: EXIT.usage, meaning: "a flag, argument or command is wrong" },
  CONFIG_INVALID: { exit: EXIT.usage, meaning: "a config file or environment variable is invalid (names the file or variable)" },
  PORT_IN_USE: { exit: EXIT.failure, meaning: "the port asked for is taken" },
  SERVER_EXITED: { exit: EXIT.failure, meaning: "a lab server exited while starting (its log tail follows)" },
  SERVER_NOT_READY: { exit: EXIT.failure, meaning: "a lab server did not listen in time" },
  LAB_DIR_UNSAFE: { exit: EXIT.failure, meaning: "a lab directory under /tmp is another user's, writable by others, or a symlink: the lab will not use it" },
  SERVER_UNTRACKED: { exit: EXIT.failure, meaning: "a lab server cannot be found by its run's directory, so a killed run could not stop it" },
  TLS_UNTRUSTED: { exit: EXIT.failure, meaning: "an https certificate is not trusted: --cacert FILE or --insecure" },
  REQUEST_BUDGET: { exit: EXIT.failure, meaning: "the doctor stopped at its request budget (reported as a note)" },
  DEADLINE: { exit: EXIT.failure, meaning: "the doctor stopped at its deadline (reported as a note)" },
} as const satisfies Record<string, { exit: ExitCode; meaning: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Errors with a stable `code` from the catalog, so callers and tests never match on message text. */
export class AuthprobeError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }

  get exitCode(): ExitCode {
    return ERROR_CODES[this.code].exit;
  }
}

/** A configuration problem: names the file (or variable) and the reason. */
export class ConfigError extends AuthprobeError {
  constructor(
    readonly source: string,
    reason: string,
  ) {
    super("CONFIG_INVALID", `${source}: ${reason}`);
  }
}

/** Bad command-line usage: the CLI prints the message on one line and exits 2. */
export class UsageError extends AuthprobeError {
  constructor(message: string) {
    super("USAGE", message);
  }
}
