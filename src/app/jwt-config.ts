import { createPrivateKey, createPublicKey, createSecretKey, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import jwt from "jsonwebtoken";
import { ConfigError } from "../errors.js";
import type { JwtAlgorithm } from "../probe/jwt.js";
import { parseDuration } from "./duration.js";
import { isProduction, lowEntropyReason } from "./environment.js";

/** Documented in the README so nobody mistakes it for a secret: refused in production. */
export const DEFAULT_DEV_SECRET = "authprobe-dev-secret-do-not-use-in-production";
const MIN_SECRET_BYTES = 32;
const HMAC = ["HS256", "HS384", "HS512"] as const;
const ASYMMETRIC = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256"] as const;

export interface JwtConfig {
  /** Exactly one algorithm is accepted: pinning it defeats `alg: none` and key confusion. */
  algorithm: JwtAlgorithm;
  verifyKey: KeyObject;
  signKey: KeyObject | null;
  issuer: string;
  audience: string;
  ttlSeconds: number;
  usingDefaultSecret: boolean;
}

type Env = Record<string, string | undefined>;

function readKeyFile(path: string, variable: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError(
      `${variable}=${path}`,
      `cannot read the key file (${(err as NodeJS.ErrnoException).code})`,
    );
  }
}

function hmacKeys(
  env: Env,
  production: boolean,
): Pick<JwtConfig, "verifyKey" | "signKey" | "usingDefaultSecret"> {
  const secret = env.JWT_SECRET;
  if (production) {
    if (!secret) throw new ConfigError("JWT_SECRET", "is required when NODE_ENV=production");
    if (secret === DEFAULT_DEV_SECRET) {
      throw new ConfigError("JWT_SECRET", "is the documented development default; set a random secret");
    }
    if (Buffer.byteLength(secret) < MIN_SECRET_BYTES) {
      throw new ConfigError("JWT_SECRET", `must be at least ${MIN_SECRET_BYTES} bytes in production`);
    }
    const weak = lowEntropyReason(secret);
    if (weak) throw new ConfigError("JWT_SECRET", `${weak} (refused in production)`);
  }
  if (secret === "") throw new ConfigError("JWT_SECRET", "is empty");
  const key = createSecretKey(Buffer.from(secret ?? DEFAULT_DEV_SECRET));
  return {
    verifyKey: key,
    signKey: key,
    usingDefaultSecret: secret === undefined || secret === DEFAULT_DEV_SECRET,
  };
}

function asymmetricKeys(env: Env): Pick<JwtConfig, "verifyKey" | "signKey" | "usingDefaultSecret"> {
  const publicPath = env.JWT_PUBLIC_KEY_FILE;
  const privatePath = env.JWT_PRIVATE_KEY_FILE;
  if (!publicPath && !privatePath) {
    throw new ConfigError("JWT_PUBLIC_KEY_FILE", `is required with JWT_ALGORITHM=${env.JWT_ALGORITHM}`);
  }
  try {
    const signKey = privatePath ? createPrivateKey(readKeyFile(privatePath, "JWT_PRIVATE_KEY_FILE")) : null;
    const verifyKey = publicPath
      ? createPublicKey(readKeyFile(publicPath, "JWT_PUBLIC_KEY_FILE"))
      : createPublicKey(signKey as KeyObject);
    return { verifyKey, signKey, usingDefaultSecret: false };
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(
      "JWT_PUBLIC_KEY_FILE/JWT_PRIVATE_KEY_FILE",
      `not a PEM key: ${(err as Error).message}`,
    );
  }
}

export function loadJwtConfig(env: Env = process.env): JwtConfig {
  const production = isProduction(env);
  const algorithm = (env.JWT_ALGORITHM ?? "HS256").toUpperCase();
  let keys: Pick<JwtConfig, "verifyKey" | "signKey" | "usingDefaultSecret">;
  if ((HMAC as readonly string[]).includes(algorithm)) keys = hmacKeys(env, production);
  else if ((ASYMMETRIC as readonly string[]).includes(algorithm)) keys = asymmetricKeys(env);
  else {
    throw new ConfigError(
      "JWT_ALGORITHM",
      `'${env.JWT_ALGORITHM}' is not one of ${[...HMAC, ...ASYMMETRIC].join(", ")}`,
    );
  }
  return {
    algorithm: algorithm as JwtAlgorithm,
    ...keys,
    issuer: env.JWT_ISSUER ?? "authprobe",
    audience: env.JWT_AUDIENCE ?? "authprobe-api",
    ttlSeconds: parseDuration(env.JWT_TTL ?? "15m", "JWT_TTL"),
  };
}

export interface TokenClaims {
  sub: string;
  role?: string;
  name?: string;
  ttlSeconds?: number;
}

export function signToken(config: JwtConfig, claims: TokenClaims): string {
  if (!config.signKey) throw new ConfigError("JWT_PRIVATE_KEY_FILE", "is required to sign tokens");
  const payload: Record<string, unknown> = { role: claims.role ?? "user" };
  if (claims.name) payload.name = claims.name;
  return jwt.sign(payload, config.signKey, {
    algorithm: config.algorithm,
    expiresIn: claims.ttlSeconds ?? config.ttlSeconds,
    issuer: config.issuer,
    audience: config.audience,
    subject: claims.sub,
  });
}
