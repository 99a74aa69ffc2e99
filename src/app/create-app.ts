import express, { type NextFunction, type Request, type Response } from "express";
import { sendInternalError } from "../internal-error.js";
import { probeRouter } from "../probe/express.js";
import { redactPathname } from "../probe/report.js";
import { bearerAuth } from "./bearer-auth.js";
import type { AppConfig } from "./config.js";
import { cors } from "./cors.js";
import { sendError } from "./http-errors.js";
import { loginRouter } from "./routes/login.js";
import { resourceRouter } from "./routes/resources.js";

export const PROBE_PATH = "/__authprobe";

/** The sample JWT API the tutorials build, with the probe mounted at /__authprobe. */
export function createApp(config: AppConfig): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.use(cors(config.corsOrigins));
  app.use(
    PROBE_PATH,
    probeRouter({
      enabled: config.probe.enabled,
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
  app.use(express.json({ limit: "32kb" }));
  app.get("/", (_req, res) => {
    res.json({ name: "authprobe sample API", login: "POST /auth/login", protected: "GET /protected" });
  });
  app.use(loginRouter(config));
  app.use(resourceRouter(config, bearerAuth(config)));
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
