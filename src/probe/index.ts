export { type ProbeRouterOptions, probeRouter } from "./express.js";
export { createProbeHandler, PROBE_KEY_HEADER, type ProbeHandlerOptions } from "./handler.js";
export { renderProbeHtml } from "./html.js";
export { CANARY_CLAIM, type JwtVerifyOptions } from "./jwt.js";
export { buildProbeReport, type ProbeOptions } from "./report.js";
export type * from "./types.js";
