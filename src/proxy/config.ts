import { readFileSync } from "node:fs";
import { z } from "zod";
import { ConfigError } from "../errors.js";
import { firstIssue } from "../schema-errors.js";
import { renderTemplate } from "./render-template.js";

/** Numbers may arrive as strings from `${VAR}` placeholders ("port": "${LISTEN_PORT}"). */
const wholeNumber = (name: string, min: number, max: number) =>
  z
    .union([z.number(), z.string().regex(/^\d+$/).transform(Number)], { error: `must be a whole number from ${min} to ${max}` })
    .pipe(z.int({ error: `must be a whole number from ${min} to ${max}` }).min(min, `must be a whole number from ${min} to ${max}`).max(max, `must be a whole number from ${min} to ${max}`))
    .describe(name);

/**
 * A Node gateway's behaviour, from proxy-configs/node/*.json: one schema, the type inferred from it.
 * `headers.mode` says how client headers reach the upstream: `forward` (all, like http-proxy's
 * default), `allowlist` (rebuilt from a list, as hand-written gateways do), plus `set` to overwrite
 * some with fixed values. `hopEcho` is a path this hop answers itself with what it received.
 */
export const nodeProxyConfigSchema = z.strictObject({
  name: z.string({ error: "must be a non-empty string" }).min(1, "must be a non-empty string"),
  listen: z
    .strictObject({
      host: z.string({ error: "must be a host" }).min(1, "must be a host").default("127.0.0.1"),
      port: wholeNumber("listen.port", 0, 65535).default(0),
    })
    .default({ host: "127.0.0.1", port: 0 }),
  target: z.string({ error: "must be http://host:port" }).regex(/^http:\/\/[^/\s]+\/?$/, "must be http://host:port"),
  keepAlive: z.boolean({ error: "must be true or false" }).default(true),
  xForwarded: z.boolean({ error: "must be true or false" }).default(true),
  maxHeaderSize: wholeNumber("maxHeaderSize", 1024, 1048576).default(16384),
  timeoutMs: wholeNumber("timeoutMs", 100, 600000).default(30000),
  headers: z
    .strictObject({
      mode: z.enum(["forward", "allowlist"], { error: "must be forward or allowlist" }).default("forward"),
      allow: z
        .array(z.string().min(1), { error: "must be a list of names" })
        .default([])
        .transform((names) => names.map((n) => n.toLowerCase())),
      set: z.record(z.string(), z.string(), { error: "must map header names to strings" }).default({}),
    })
    .default({ mode: "forward", allow: [], set: {} }),
  hopEcho: z.string({ error: "must be a path" }).min(1, "must be a path").nullable().default(null),
});

export type NodeProxyConfig = z.output<typeof nodeProxyConfigSchema>;

export function parseNodeProxyConfig(text: string, vars: Record<string, string | undefined>, source: string): NodeProxyConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(renderTemplate(text, vars, source));
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(source, `not valid JSON: ${(err as Error).message}`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new ConfigError(source, "must be a JSON object");
  const parsed = nodeProxyConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const { field, reason } = firstIssue(parsed.error);
    const got = field === "target" && typeof (raw as { target?: unknown }).target === "string" ? `, got '${(raw as { target: string }).target}'` : "";
    throw new ConfigError(source, `'${field}' ${reason}${got}`);
  }
  return parsed.data;
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
