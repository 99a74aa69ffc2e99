import type { RequestListener } from "node:http";
import type { AppConfig } from "./config.js";
import { createApp as createExpressApp } from "./create-app.js";

export { type AppConfig, loadAppConfig } from "./config.js";
export { PROBE_PATH } from "./paths.js";
export { DEFAULT_DEV_SECRET, type JwtConfig, loadJwtConfig, signToken } from "./jwt-config.js";

/**
 * The sample JWT API as a `node:http` request listener: `http.createServer(createApp(config))`.
 * (It is an Express 5 app inside; the type keeps Express's types out of this package's API.)
 */
export function createApp(config: AppConfig): RequestListener {
  return createExpressApp(config) as unknown as RequestListener;
}
