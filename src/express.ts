// "authprobe/express": the probe as Express middleware. Loads Express (yours, version 5).
export { type ProbeMiddleware, type ProbeRouterOptions, probeRouter } from "./probe/express.js";
