import { z } from "zod";
import { COMPONENTS, type ServerName } from "../components.js";
import { FINDING_CODES } from "../doctor/findings.js";
import { BROWSER_OUTCOMES } from "./browser.js";
import { SERVERS, type ServerKind } from "./front-servers.js";

export { SERVERS, type ServerKind };

/**
 * What answers behind the last hop: the sample app or the Node probe; the Python probe inside Apache
 * (wsgi, cgi); the probes under an application server of their own (gunicorn, uwsgi, php-fpm, the
 * PHP probe reached through Apache); or nothing (down).
 */
export const UPSTREAMS = ["app", "probe", "wsgi", "cgi", "down", "gunicorn", "uwsgi", "php-fpm"] as const;
export type UpstreamKind = (typeof UPSTREAMS)[number];
/** blocked: a browser would not send the request, its CORS preflight answer does not allow it. */
export const OUTCOMES = ["intact", "missing", "replaced", "altered", "rejected", "blocked"] as const;
export type Outcome = (typeof OUTCOMES)[number];

const configPath = z.string().regex(/^[a-z0-9-]+\/[A-Za-z0-9._-]+$/, "must be a path under proxy-configs/ like nginx/x.conf.template");

const hopSchema = z.strictObject({ server: z.enum(SERVERS), config: configPath });

const sendSchema = z.strictObject({
  /** Send the token under this header instead of Authorization (e.g. X_Authprobe_Token). */
  header: z.string().regex(/^[A-Za-z0-9_-]+$/, "must be a header name").optional(),
  /** Pad the canary token so the header line is about this many bytes. */
  tokenBytes: z.int().min(256, "must be a whole number of bytes, at least 256").optional(),
  /** Follow redirects the way fetch does (it drops Authorization on a cross-origin hop). */
  followRedirects: z.boolean().optional(),
  /** Send the browser's CORS preflight first; the real request only if a browser would. */
  preflight: z.boolean().optional(),
  /** The page calls with credentials: "include" (cookies): stricter CORS rules apply. */
  credentials: z.boolean().optional(),
});

/** What a real Chromium page, served from another origin, must see calling the API with the token. */
const browserSchema = z.strictObject({ expect: z.enum(BROWSER_OUTCOMES) });

export const scenarioSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9-]+$/, "must be lowercase letters, digits and dashes"),
    title: z.string().min(1),
    /** The first hop, the one the client talks to. */
    server: z.enum(SERVERS),
    config: configPath,
    /** Hops between the first one and the upstream, client side first. */
    via: z.array(hopSchema).optional(),
    upstream: z.enum(UPSTREAMS),
    /** The application server's own config (gunicorn, uwsgi, php-fpm). */
    upstreamConfig: configPath.optional(),
    /** entry: the first hop serves https; redirect: plain http that redirects to https on TLS_PORT. Both with a throwaway CA. */
    tls: z.enum(["entry", "redirect"]).optional(),
    send: sendSchema.default({}),
    expect: z.enum(OUTCOMES),
    status: z.int().optional(),
    /** Who answered the refusal (from the answer itself). */
    rejectedBy: z.enum(COMPONENTS).optional(),
    /** The component whose config breaks the scenario; the doctor's `server` must name it. */
    blame: z.enum(COMPONENTS).optional(),
    fixedBy: z.string().optional(),
    docs: z.string().min(1),
    /** Run in Chromium too (`lab --browser`), with the outcome it must show. */
    browser: browserSchema.optional(),
    /** Finding codes the doctor must report here, exactly (notices included). */
    findings: z.array(z.enum(FINDING_CODES)),
    /** Text the doctor's fix must contain: the directive or option the fixedBy config changes. */
    fixMentions: z.string().min(1).optional(),
  })
  .superRefine((s, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (s.expect === "rejected" && s.status === undefined) issue("status", "is required with expect: rejected (the HTTP status)");
    if (s.expect === "rejected" && s.rejectedBy === undefined) issue("rejectedBy", "is required with expect: rejected");
    if (s.expect !== "intact" && !s.fixedBy) issue("fixedBy", "is required for a broken scenario");
    if (s.expect !== "intact" && !s.blame) issue("blame", "is required for a broken scenario");
    if (["gunicorn", "uwsgi", "php-fpm"].includes(s.upstream) && !s.upstreamConfig) {
      issue("upstreamConfig", `is required with upstream: ${s.upstream}`);
    }
  });

export type RawScenario = z.output<typeof scenarioSchema>;
export type SendSpec = RawScenario["send"];
export type Hop = z.output<typeof hopSchema>;

export interface Expectation {
  outcome: Outcome;
  status?: number;
  rejectedBy?: ServerName;
}

/** A validated catalog entry, with what the lab derives from it. */
export interface Scenario extends Omit<RawScenario, "expect" | "status" | "rejectedBy"> {
  expect: Expectation;
  /** Every hop from the client to the app's server, e.g. [haproxy, nginx, gunicorn]. */
  stack: ServerName[];
  /** The proxies to start, client side first: the first hop, then `via`. */
  hops: Hop[];
}

/** The application server an upstream kind runs under, as a stack entry (none when it is down). */
export function appServerOf(upstream: UpstreamKind): ServerName | null {
  switch (upstream) {
    case "app":
    case "probe":
      return "node";
    case "wsgi":
      return "mod_wsgi";
    case "cgi":
      return "cgi";
    case "down":
      return null;
    default:
      return upstream;
  }
}
