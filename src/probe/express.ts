import type { IncomingMessage, ServerResponse } from "node:http";
import { Router } from "express";
import { isProduction } from "../app/environment.js";
import { createProbeHandler, hasProbeKey, type ProbeHandlerOptions } from "./handler.js";

export interface ProbeRouterOptions extends ProbeHandlerOptions {
  /**
   * Whether the probe answers at all; off, every request falls through to the app's 404. Default:
   * on, except in production (NODE_ENV) without an accessKey, unless `public` says so.
   */
  enabled?: boolean;
  /** Answer without a key even in production (the report never holds a credential, but it shows headers). */
  public?: boolean;
}

/**
 * Express middleware, typed structurally so this package's types need no @types/express: any
 * `app.use(path, fn)` accepts it.
 */
export type ProbeMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/** `app.use('/__authprobe', probeRouter(opts))`: the probe inside an Express app. */
export function probeRouter(options: ProbeRouterOptions = {}): ProbeMiddleware {
  return probeExpressRouter(options) as unknown as ProbeMiddleware;
}

function probeExpressRouter(options: ProbeRouterOptions): Router {
  const router = Router();
  const { accessKey, public: isPublic, enabled, ...rest } = options;
  const on = enabled ?? (!isProduction() || accessKey !== undefined || isPublic === true);
  if (!on) return router;
  const handler = createProbeHandler({ ...rest, embedded: true });
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
