import type { IncomingMessage, ServerResponse } from "node:http";
import { Router } from "express";
import { isProduction } from "../app/environment.js";
import { sendInternalError } from "../internal-error.js";
import { hasProbeKey, type ProbeHandlerOptions, reportFromRequest, sendReport } from "./handler.js";

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

function isPreflight(req: IncomingMessage): boolean {
  return req.method === "OPTIONS" && req.headers.origin !== undefined && req.headers["access-control-request-method"] !== undefined;
}

function probeExpressRouter(options: ProbeRouterOptions): Router {
  const router = Router();
  const { accessKey, public: isPublic, enabled, ...rest } = options;
  const on = enabled ?? (!isProduction() || accessKey !== undefined || isPublic === true);
  if (!on) return router;
  const reportOptions = { ...rest, embedded: true };
  router.use((req, res, next) => {
    // A missing or wrong key gets the app's own 404, so nobody can tell a probe is there. A
    // preflight too: CORS is the app's (its middleware runs first and answers the preflights it
    // allows), so one that gets here is refused by the app, and gets the app's own answer. Unlike
    // the standalone probe, no Access-Control-* header of ours: the doctor sees the app's policy.
    if ((accessKey !== undefined && !hasProbeKey(req, accessKey)) || isPreflight(req)) {
      next();
      return;
    }
    // Bodies are irrelevant to the report; drain them so keep-alive connections stay usable.
    req.resume();
    try {
      sendReport(req, res, reportFromRequest(req, reportOptions));
    } catch (err) {
      // One hostile request must never take the app down: a 500 with an id, logged.
      sendInternalError(res, err, "the probe");
    }
  });
  return router;
}
