import { isIP } from "node:net";
import { ConfigError } from "../errors.js";
import { parseDuration } from "./duration.js";

/** Failed logins allowed per username and per client address in a sliding window; 0 turns one off. */
export interface LoginLimits {
  maxFailuresPerUser: number;
  maxFailuresPerAddress: number;
  windowSeconds: number;
}

/**
 * Express's `trust proxy`: false uses the socket's address (a client cannot pick its own with
 * X-Forwarded-For); a hop count, or the addresses and subnets of the proxies in front.
 */
export type TrustProxy = boolean | number | string[];

export interface PostLimits {
  /** Posts kept in memory; the oldest is evicted when a new one would go over. */
  max: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { maxFailuresPerUser: 5, maxFailuresPerAddress: 20, windowSeconds: 15 * 60 };
export const DEFAULT_POST_LIMITS: PostLimits = { max: 1000 };

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number): number {
  const value = env[name];
  if (value === undefined || value.trim() === "") return fallback;
  if (!/^\d{1,9}$/.test(value.trim())) throw new ConfigError(name, `'${value}' is not a whole number (${min} or more)`);
  const n = Number(value.trim());
  if (n < min) throw new ConfigError(name, `must be ${min} or more`);
  return n;
}

export function loadLoginLimits(env: Env): LoginLimits {
  return {
    maxFailuresPerUser: integer(env, "LOGIN_MAX_FAILURES_PER_USER", DEFAULT_LOGIN_LIMITS.maxFailuresPerUser, 0),
    maxFailuresPerAddress: integer(env, "LOGIN_MAX_FAILURES_PER_ADDRESS", DEFAULT_LOGIN_LIMITS.maxFailuresPerAddress, 0),
    windowSeconds: env.LOGIN_FAILURE_WINDOW ? parseDuration(env.LOGIN_FAILURE_WINDOW, "LOGIN_FAILURE_WINDOW") : DEFAULT_LOGIN_LIMITS.windowSeconds,
  };
}

export function loadPostLimits(env: Env): PostLimits {
  return { max: integer(env, "POSTS_MAX", DEFAULT_POST_LIMITS.max, 1) };
}

const NAMED_RANGES = new Set(["loopback", "linklocal", "uniquelocal"]);

function isAddressOrSubnet(value: string): boolean {
  if (NAMED_RANGES.has(value)) return true;
  const [address = "", prefix, ...more] = value.split("/");
  const family = isIP(address);
  if (family === 0 || more.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** TRUST_PROXY: unset or `false`, `true` (any: only when nothing but the proxy can reach the app), a hop count, or a list. */
export function loadTrustProxy(env: Env): TrustProxy {
  const value = (env.TRUST_PROXY ?? "").trim();
  if (value === "" || value === "false") return false;
  if (value === "true") return true;
  if (/^\d{1,3}$/.test(value)) return Number(value);
  const list = value.split(",").map((s) => s.trim()).filter(Boolean);
  for (const entry of list) {
    if (!isAddressOrSubnet(entry)) {
      throw new ConfigError("TRUST_PROXY", `'${entry}' is not an address, a subnet like 10.0.0.0/8, loopback, linklocal or uniquelocal`);
    }
  }
  return list;
}
