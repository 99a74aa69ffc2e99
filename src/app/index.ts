export { type AppConfig, loadAppConfig } from "./config.js";
export { createApp, PROBE_PATH } from "./create-app.js";
export { DEFAULT_DEV_SECRET, type JwtConfig, loadJwtConfig, signToken } from "./jwt-config.js";
