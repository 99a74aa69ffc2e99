/** The lab's constants, in one place for the lab, the CLI, gen-compose and the tests. */

/** Where the lab's client and doctor ask: every upstream answers the probe report there. */
export const LAB_PATH = "/__authprobe/lab";
/** The origin of the lab's browser-style requests (CORS preflights). */
export const LAB_ORIGIN = "http://lab.authprobe.test";

/** Placeholders a config template may use; the lab fills them, compose sets them. */
export const TEMPLATE_VARIABLES = [
  "LISTEN_HOST",
  "LISTEN_PORT",
  "UPSTREAM_HOST",
  "UPSTREAM_PORT",
  "HOP_ECHO_HOST",
  "HOP_ECHO_PORT",
  "PROBES_DIR",
  "HTPASSWD_FILE",
  "TLS_CERT",
  "TLS_KEY",
  "TLS_PORT",
  "PROBE_HOST",
  "PROBE_PORT",
] as const;
