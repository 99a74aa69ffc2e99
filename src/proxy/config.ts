import { readFileSync } from "node:fs";
import { ConfigError } from "../errors.js";
import { renderTemplate } from "./render-template.js";

/**
 * A Node gateway's behaviour, from proxy-configs/node/*.json. `headers.mode` says how client headers
 * reach the upstream: `forward` (all, like http-proxy's default), `allowlist` (rebuilt from a list,
 * as hand-written gateways do), plus `set` to overwrite some with fixed values.
 */
export interface NodeProxyConfig {
  name: string;
  listen: { host: string; port: number };
  target: string;
  keepAlive: boolean;
  xForwarded: boolean;
  maxHeaderSize: number;
  timeoutMs: number;
  headers: { mode: "forward" | "allowlist"; allow: string[]; set: Record<string, string> };
  /** Path this hop answers itself with a fingerprint report of what it received. */
  hopEcho: string | null;
}

type Json = Record<string, unknown>;

function field<T>(
  obj: Json,
  key: string,
  check: (v: unknown) => v is T,
  what: string,
  source: string,
  def?: T,
): T {
  const value = obj[key];
  if (value === undefined && def !== undefined) return def;
  if (!check(value)) throw new ConfigError(source, `'${key}' must be ${what}`);
  return value;
}

const isString = (v: unknown): v is string => typeof v === "string" && v !== "";
const isBool = (v: unknown): v is boolean => typeof v === "boolean";
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function toInt(value: unknown, key: string, source: string, min: number, max: number): number {
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(source, `'${key}' must be a whole number from ${min} to ${max}`);
  }
  return n;
}

export function parseNodeProxyConfig(text: string, vars: Record<string, string | undefined>, source: string) {
  let raw: unknown;
  try {
    raw = JSON.parse(renderTemplate(text, vars, source));
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(source, `not valid JSON: ${(err as Error).message}`);
  }
  if (!isObject(raw)) throw new ConfigError(source, "must be a JSON object");
  const listen = field(raw, "listen", isObject, "an object {host, port}", source, {});
  const headers = field(raw, "headers", isObject, "an object {mode, allow, set}", source, {});
  const mode = headers.mode ?? "forward";
  if (mode !== "forward" && mode !== "allowlist")
    throw new ConfigError(source, "'headers.mode' must be forward or allowlist");
  const allow = headers.allow ?? [];
  if (!Array.isArray(allow) || !allow.every(isString))
    throw new ConfigError(source, "'headers.allow' must be a list of names");
  const set = headers.set ?? {};
  if (!isObject(set) || !Object.values(set).every((v) => typeof v === "string")) {
    throw new ConfigError(source, "'headers.set' must map header names to strings");
  }
  const target = field(raw, "target", isString, "an http:// URL", source);
  if (!/^http:\/\/[^/\s]+\/?$/.test(target))
    throw new ConfigError(source, `'target' must be http://host:port, got '${target}'`);
  const config: NodeProxyConfig = {
    name: field(raw, "name", isString, "a non-empty string", source),
    listen: {
      host: field(listen, "host", isString, "a host", source, "127.0.0.1"),
      port: toInt(listen.port ?? 0, "listen.port", source, 0, 65535),
    },
    target,
    keepAlive: field(raw, "keepAlive", isBool, "true or false", source, true),
    xForwarded: field(raw, "xForwarded", isBool, "true or false", source, true),
    maxHeaderSize: toInt(raw.maxHeaderSize ?? 16384, "maxHeaderSize", source, 1024, 1048576),
    timeoutMs: toInt(raw.timeoutMs ?? 30000, "timeoutMs", source, 100, 600000),
    headers: { mode, allow: allow.map((a) => a.toLowerCase()), set: set as Record<string, string> },
    hopEcho:
      raw.hopEcho === undefined || raw.hopEcho === null
        ? null
        : field(raw, "hopEcho", isString, "a path", source),
  };
  return config;
}

export function loadNodeProxyConfig(path: string, vars: Record<string, string | undefined>): NodeProxyConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError(path, `cannot read (${(err as NodeJS.ErrnoException).code})`);
  }
  return parseNodeProxyConfig(text, vars, path);
}
