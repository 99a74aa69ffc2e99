import { ConfigError } from "../errors.js";
import { isProduction } from "./environment.js";
import { type JwtConfig, loadJwtConfig } from "./jwt-config.js";
import {
  loadLoginLimits,
  loadPostLimits,
  loadTrustProxy,
  type LoginLimits,
  type PostLimits,
  type TrustProxy,
} from "./limits-config.js";
import { loadUsers, type User } from "./users.js";

export interface AppConfig {
  jwt: JwtConfig;
  users: User[];
  demoUsers: boolean;
  /** Accepted Authorization schemes, matched case-insensitively (RFC 9110). */
  schemes: string[];
  /** Allowed CORS origins; "*" allows any origin. Empty: no CORS headers at all. */
  corsOrigins: string[];
  probe: { enabled: boolean; accessKey?: string | undefined };
  /** Failed logins per username and per client address (defaults: 5 and 20 in 15 minutes). */
  login?: LoginLimits;
  /** Whose address is the client's: the socket's (default), or as forwarded by trusted proxies. */
  trustProxy?: TrustProxy;
  /** The in-memory post store's cap (default 1000 posts, the oldest evicted). */
  posts?: PostLimits;
}

type Env = Record<string, string | undefined>;

function list(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

export function loadAppConfig(env: Env = process.env): AppConfig {
  const production = isProduction(env);
  const schemes = list(env.AUTH_SCHEMES ?? "Bearer");
  if (schemes.length === 0)
    throw new ConfigError("AUTH_SCHEMES", "must name at least one scheme, e.g. Bearer");
  for (const s of schemes) {
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(s))
      throw new ConfigError("AUTH_SCHEMES", `'${s}' is not a valid scheme`);
  }
  for (const origin of list(env.CORS_ORIGINS)) {
    if (origin !== "*" && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new ConfigError("CORS_ORIGINS", `'${origin}' is not an origin like https://app.example.com`);
    }
  }
  const jwt = loadJwtConfig(env);
  const { users, demo } = loadUsers(env);
  const accessKey = env.AUTHPROBE_PROBE_KEY || undefined;
  return {
    jwt,
    users,
    demoUsers: demo,
    schemes,
    corsOrigins: list(env.CORS_ORIGINS),
    // In production the probe is off unless a key is set, and then it answers only with that key.
    probe: { enabled: !production || accessKey !== undefined, accessKey },
    login: loadLoginLimits(env),
    trustProxy: loadTrustProxy(env),
    posts: loadPostLimits(env),
  };
}
