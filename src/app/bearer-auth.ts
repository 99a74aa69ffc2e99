import type { NextFunction, Request, RequestHandler, Response } from "express";
import jwt from "jsonwebtoken";
import { parseAuthorization } from "../probe/authorization.js";
import { unsupportedCrit, verdictFromError } from "../probe/jwt.js";
import { isKnownScheme } from "../probe/sensitive.js";
import type { AppConfig } from "./config.js";
import { sendBearerError } from "./http-errors.js";

export interface Identity {
  sub: string;
  role: string;
  name?: string;
}

declare module "express-serve-static-core" {
  interface Request {
    identity?: Identity;
  }
}

const DESCRIPTIONS: Record<string, string> = {
  expired: "The access token expired",
  not_yet_valid: "The access token is not valid yet (nbf)",
  bad_signature: "The access token signature is invalid",
  wrong_audience: "The access token audience is not accepted",
  wrong_issuer: "The access token issuer is not accepted",
  algorithm_not_allowed: "The access token algorithm is not allowed",
  malformed: "The access token is malformed",
};

function countAuthorization(req: Request): number {
  let n = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]?.toLowerCase() === "authorization") n++;
  }
  return n;
}

/** Verifies the token with the pinned algorithm; every failure is a 401, never a 500. */
export function bearerAuth(config: AppConfig): RequestHandler {
  const accepted = new Map(config.schemes.map((s) => [s.toLowerCase(), s]));
  const primary = config.schemes[0] ?? "Bearer";
  const verifyOptions: jwt.VerifyOptions & { complete: true } = {
    algorithms: [config.jwt.algorithm],
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
    complete: true,
  };
  const fail = (res: Response, status: 400 | 401, error: "invalid_request" | "invalid_token" | "missing_token", description: string) =>
    sendBearerError(res, status, error, description, primary);
  return (req: Request, res: Response, next: NextFunction) => {
    const count = countAuthorization(req);
    if (count > 1) {
      fail(
        res,
        400,
        "invalid_request",
        `Request has ${count} Authorization headers; send exactly one`,
      );
      return;
    }
    const header = req.headers.authorization;
    if (header === undefined || header.trim() === "") {
      fail(res, 401, "missing_token", "Request does not contain an access token");
      return;
    }
    const { scheme, credentials } = parseAuthorization(header);
    if (scheme === null && accepted.has(credentials.toLowerCase())) {
      fail(
        res,
        401,
        "invalid_token",
        `Authorization has the ${credentials} scheme but no access token`,
      );
      return;
    }
    if (scheme === null || !accepted.has(scheme.toLowerCase())) {
      // Name the first word only when it is an auth scheme: otherwise it may be the secret itself.
      const got = scheme === null ? "no scheme" : isKnownScheme(scheme) || accepted.has(scheme.toLowerCase()) ? `scheme '${scheme}'` : "a first word that is not an auth scheme";
      fail(res, 401, "invalid_token", `Authorization has ${got}; expected '${primary} <token>'`);
      return;
    }
    if (credentials === "") {
      fail(res, 401, "invalid_token", `Authorization has the ${scheme} scheme but no token`);
      return;
    }
    let payload: jwt.JwtPayload | string;
    try {
      const verified = jwt.verify(credentials, config.jwt.verifyKey, verifyOptions);
      const crit = unsupportedCrit(verified.header);
      if (crit) {
        fail(res, 401, "invalid_token", crit);
        return;
      }
      payload = verified.payload;
    } catch (err) {
      const { verdict } = verdictFromError(err);
      fail(res, 401, "invalid_token", DESCRIPTIONS[verdict] ?? "The access token is invalid");
      return;
    }
    if (typeof payload === "string" || typeof payload.sub !== "string") {
      fail(res, 401, "invalid_token", "The access token has no subject");
      return;
    }
    req.identity = {
      sub: payload.sub,
      role: typeof payload.role === "string" ? payload.role : "user",
      ...(typeof payload.name === "string" ? { name: payload.name } : {}),
    };
    next();
  };
}
