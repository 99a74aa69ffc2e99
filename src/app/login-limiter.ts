import { createHash } from "node:crypto";
import { addressKey } from "./client-address.js";
import { FailureCounter } from "./failure-counter.js";
import type { LoginLimits } from "./limits-config.js";

export interface LoginAttempt {
  /** Call with the outcome once the password is checked. */
  done(succeeded: boolean): void;
}

/**
 * Failed logins per username and per client address. An attempt is counted before the password is
 * checked (bcrypt takes a while: 30 guesses sent at once must not all pass the check first) and
 * taken back when it succeeds. Usernames are counted whether they exist or not, under a hash, so
 * the limiter's memory never holds them and its answers never say which exist.
 */
export class LoginLimiter {
  private readonly users: FailureCounter;
  private readonly addresses: FailureCounter;

  constructor(limits: LoginLimits, now?: () => number) {
    const windowMs = limits.windowSeconds * 1000;
    this.users = new FailureCounter({ max: limits.maxFailuresPerUser, windowMs, ...(now ? { now } : {}) });
    this.addresses = new FailureCounter({ max: limits.maxFailuresPerAddress, windowMs, ...(now ? { now } : {}) });
  }

  /** Seconds to wait (for Retry-After) when the attempt is refused; otherwise the counted attempt. */
  begin(username: string, ip: string | undefined): { retryAfter: number } | LoginAttempt {
    const user = createHash("sha256").update(username).digest("base64");
    const address = addressKey(ip);
    const wait = Math.max(this.users.blockedFor(user), this.addresses.blockedFor(address));
    if (wait > 0) return { retryAfter: Math.max(1, Math.ceil(wait / 1000)) };
    this.users.record(user);
    this.addresses.record(address);
    return {
      done: (succeeded) => {
        if (!succeeded) return;
        // The right password ends the user's run of failures; the address keeps its others.
        this.users.clear(user);
        this.addresses.undo(address);
      },
    };
  }
}
