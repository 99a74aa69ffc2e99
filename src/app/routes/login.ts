import bcrypt from "bcryptjs";
import type { Request, RequestHandler, Response, Router } from "express";
import type { AppConfig } from "../config.js";
import { sendError } from "../http-errors.js";
import { signToken } from "../jwt-config.js";
import { LoginLimiter } from "../login-limiter.js";
import { DEFAULT_LOGIN_LIMITS } from "../limits-config.js";

/** Compared against when the user is unknown, so both failures take the same time. */
const DUMMY_HASH = "$2b$08$5WLRVt5T4XgW.OxVa9vp9.w60gtqrMBtjTUQ/gGG8WsOwQtxqTMY2";

function basicCredentials(header: string | undefined): { username: string; password: string } | null {
  const match = /^basic\s+(\S+)\s*$/i.exec(header ?? "");
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** POST /auth/login on the app itself (a nested Router costs a dispatch on every request). */
export function addLoginRoutes(router: Pick<Router, "post">, config: AppConfig, json: RequestHandler): void {
  const limiter = new LoginLimiter(config.login ?? DEFAULT_LOGIN_LIMITS);
  router.post("/auth/login", json, async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const fromBasic = basicCredentials(req.headers.authorization);
    const username = fromBasic?.username ?? body.username;
    const password = fromBasic?.password ?? body.password;
    for (const [field, value] of [
      ["username", username],
      ["password", password],
    ] as const) {
      if (typeof value !== "string" || value === "") {
        sendError(res, 422, "invalid_request", `${field} is required and must be a non-empty string`, field);
        return;
      }
    }
    const attempt = limiter.begin(username as string, req.ip);
    if ("retryAfter" in attempt) {
      // The same answer for every username, known or not, and before any password is checked.
      res.setHeader("Retry-After", String(attempt.retryAfter));
      res.setHeader("Cache-Control", "no-store");
      sendError(
        res,
        429,
        "too_many_attempts",
        `too many failed logins for this username or from this address; try again in ${attempt.retryAfter} seconds`,
      );
      return;
    }
    const user = config.users.find((u) => u.username === username);
    const ok = await bcrypt.compare(password as string, user?.passwordHash ?? DUMMY_HASH);
    attempt.done(Boolean(user && ok));
    if (!user || !ok) {
      // One answer for an unknown user and a wrong password: no user enumeration.
      res.setHeader("WWW-Authenticate", "Basic realm=\"authprobe login\", charset=\"UTF-8\"");
      sendError(res, 401, "invalid_grant", "unknown username or wrong password");
      return;
    }
    const token = signToken(config.jwt, { sub: user.id, role: user.role, name: user.username });
    res.setHeader("Cache-Control", "no-store");
    res.json({ access_token: token, token_type: "Bearer", expires_in: config.jwt.ttlSeconds });
  });
}
