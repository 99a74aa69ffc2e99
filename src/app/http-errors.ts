import type { Response } from "express";

/** Quoted-string safe: WWW-Authenticate parameters cannot hold quotes or backslashes. */
function quoted(value: string): string {
  return `"${value.replace(/["\\\r\n]/g, "'")}"`;
}

export const REALM = "authprobe";

/**
 * RFC 6750 section 3: realm only when no token was sent; error and description otherwise. The
 * challenge names the scheme the app accepts (Bearer, or JWT for an app configured so).
 */
export function sendBearerError(
  res: Response,
  status: 400 | 401 | 403,
  error: "invalid_request" | "invalid_token" | "insufficient_scope" | "missing_token",
  description: string,
  scheme = "Bearer",
): void {
  const challenge =
    error === "missing_token"
      ? `${scheme} realm=${quoted(REALM)}`
      : `${scheme} realm=${quoted(REALM)}, error=${quoted(error)}, error_description=${quoted(description)}`;
  res.setHeader("WWW-Authenticate", challenge);
  res.setHeader("Cache-Control", "no-store");
  res.status(status).json({ error, error_description: description });
}

export function sendError(
  res: Response,
  status: number,
  error: string,
  description: string,
  field?: string,
): void {
  res.status(status).json({ error, error_description: description, ...(field ? { field } : {}) });
}
