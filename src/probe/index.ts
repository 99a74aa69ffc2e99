// The probe without Express: `import ... from "authprobe"` (or "authprobe/probe") never loads it.
// The Express adapter is its own entry: "authprobe/express".
export { createProbeHandler, PROBE_KEY_HEADER, type ProbeHandlerOptions } from "./handler.js";
export { renderProbeHtml } from "./html.js";
export { CANARY_CLAIM, type JwtAlgorithm, type JwtVerifyOptions } from "./jwt.js";
export { buildProbeReport, type ProbeOptions } from "./report.js";
export type * from "./types.js";
