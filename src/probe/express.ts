import { Router } from "express";
import { createProbeHandler, type ProbeHandlerOptions } from "./handler.js";

export interface ProbeRouterOptions extends ProbeHandlerOptions {
  /** Whether the probe answers at all; off, every request falls through to the app's 404. */
  enabled?: boolean;
}

/** `app.use('/__authprobe', probeRouter(opts))`: the probe inside an Express app. */
export function probeRouter(options: ProbeRouterOptions = {}): Router {
  const router = Router();
  if (options.enabled === false) return router;
  const handler = createProbeHandler(options);
  router.use((req, res) => handler(req, res));
  return router;
}
