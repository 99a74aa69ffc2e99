/** Errors with a stable string `code`, so callers and tests never match on message text. */
export class AuthprobeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
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
