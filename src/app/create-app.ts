import express, { type NextFunction, type Request, type Response } from "express";
import { sendInternalError } from "../internal-error.js";
import { probeRouter } from "../probe/express.js";
import { redactPathname } from "../probe/report.js";
import { bearerAuth } from "./bearer-auth.js";
import type { AppConfig } from "./config.js";
import { cors } from "./cors.js";
import { sendError } from "./http-errors.js";
import { PROBE_PATH } from "./paths.js";
import { addLoginRoutes } from "./routes/login.js";
import { addPostRoutes } from "./routes/posts.js";
import { addResourceRoutes } from "./routes/resources.js";

export { PROBE_PATH } from "./paths.js";

/**
 * The sample JWT API the tutorials build, with the probe mounted at /__authprobe. Per request it
 * runs only what the route needs: CORS only when origins are configured, the probe only when it is
 * on, the JSON body parser only on routes that read a body, routes on the app itself (no nested
 * routers), and no ETag (answers are personal and marked no-store).
 */
export function createApp(config: AppConfig): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.disable("etag");
  // req.ip, which the login limiter counts by: the socket's address unless proxies are trusted.
  app.set("trust proxy", config.trustProxy ?? false);
  if (config.corsOrigins.length > 0) app.use(cors(config.corsOrigins));
  if (config.probe.enabled) {
    app.use(
      PROBE_PATH,
      probeRouter({
        enabled: true,
        accessKey: config.probe.accessKey,
        schemes: config.schemes,
        verify: {
          key: config.jwt.verifyKey,
          algorithms: [config.jwt.algorithm],
          issuer: config.jwt.issuer,
          audience: config.jwt.audience,
        },
      }),
    );
  }
  const json = express.json({ limit: "32kb" });
  app.get("/", (_req, res) => {
    res.json({ name: "authprobe sample API", login: "POST /auth/login", protected: "GET /protected" });
  });
  addLoginRoutes(app, config, json);
  const auth = bearerAuth(config);
  addResourceRoutes(app, config, auth);
  addPostRoutes(app, config, auth, json);
  app.use((req: Request, res: Response) => {
    // The path may carry a token (/t/eyJ...): echo it with such segments fingerprinted.
    sendError(res, 404, "not_found", `no route for ${req.method} ${redactPathname(req.path)}`);
  });
  // Body-parser and any other error: JSON with a reason, never an HTML stack trace.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = err as { status?: number; type?: string; message?: string };
    if (e.type === "entity.parse.failed") {
      sendError(res, 400, "invalid_request", "the request body is not valid JSON");
    } else if (e.type === "entity.too.large") {
      sendError(res, 413, "payload_too_large", "the request body is larger than 32 KB");
    } else if (typeof e.status === "number" && e.status >= 400 && e.status < 500) {
      sendError(res, e.status, "invalid_request", e.message ?? "bad request");
    } else {
      sendInternalError(res, err, `${req.method} ${redactPathname(req.path)}`);
    }
  });
  return app;
}
