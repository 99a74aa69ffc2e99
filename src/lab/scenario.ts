export const SERVERS = ["nginx", "apache", "node"] as const;
export type ServerKind = (typeof SERVERS)[number];
export const UPSTREAMS = ["app", "probe", "wsgi", "cgi", "down"] as const;
export type UpstreamKind = (typeof UPSTREAMS)[number];
export const OUTCOMES = ["intact", "missing", "replaced", "altered", "rejected"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** What the lab's client sends through the scenario. */
export interface SendSpec {
  /** Send the token under this header instead of Authorization (e.g. X_Authprobe_Token). */
  header?: string;
  /** Pad the canary token so the header line is about this many bytes. */
  tokenBytes?: number;
  /** Follow redirects the way fetch does (it drops Authorization on a cross-origin hop). */
  followRedirects?: boolean;
  /** Send the browser's CORS preflight first; the real request only if it succeeds. */
  preflight?: boolean;
}

export interface Expectation {
  outcome: Outcome;
  status?: number;
  rejectedBy?: ServerKind;
}

export interface Scenario {
  id: string;
  title: string;
  server: ServerKind;
  /** Path relative to proxy-configs/. */
  config: string;
  upstream: UpstreamKind;
  gateway?: string;
  send: SendSpec;
  expect: Expectation;
  fixedBy?: string;
  docs: string;
  /** Finding codes the doctor must report here, exactly. */
  findings: string[];
  /** Text the doctor's fix must contain: the directive or option the fixedBy config changes. */
  fixMentions?: string;
}
