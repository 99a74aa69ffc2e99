import { Router } from "express";
import { createProbeHandler, hasProbeKey, type ProbeHandlerOptions } from "./handler.js";

export interface ProbeRouterOptions extends ProbeHandlerOptions {
  /** Whether the probe answers at all; off, every request falls through to the app's 404. */
  enabled?: boolean;
}

/** `app.use('/__authprobe', probeRouter(opts))`: the probe inside an Express app. */
export function probeRouter(options: ProbeRouterOptions = {}): Router {
  const router = Router();
  if (options.enabled === false) return router;
  const { accessKey, ...rest } = options;
  const handler = createProbeHandler(rest);
  router.use((req, res, next) => {
    // A missing or wrong key gets the app's own 404, so nobody can tell a probe is there.
    if (accessKey !== undefined && !hasProbeKey(req, accessKey)) {
      next();
      return;
    }
    handler(req, res);
  });
  return router;
}
