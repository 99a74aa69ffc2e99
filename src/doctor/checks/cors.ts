import type { DoctorContext } from "../context.js";
import { makeFinding } from "../finding.js";
import { isFailure } from "../http.js";
import { identifyServer } from "../server-fingerprint.js";
import type { Finding } from "../types.js";

/** With --origin: the preflight a browser sends before a request that carries Authorization. */
export async function checkCors(ctx: DoctorContext): Promise<Finding[]> {
  const origin = ctx.options.origin;
  if (!origin) return [];
  const headers: [string, string][] = [
    ...ctx.baseHeaders(),
    ["Access-Control-Request-Method", "GET"],
    ["Access-Control-Request-Headers", "authorization"],
  ];
  const answer = await ctx.request(ctx.url, headers, "OPTIONS");
  const sent = `OPTIONS ${ctx.url} Origin: ${origin}, Access-Control-Request-Headers: authorization`;
  if (isFailure(answer)) {
    return [makeFinding("CORS_PREFLIGHT_FAILED", { sent, received: `no answer (${answer.error})` }, { server: "unknown" })];
  }
  const server = identifyServer(answer);
  const allowOrigin = answer.headers.get("access-control-allow-origin");
  if (answer.status >= 300 || !allowOrigin || (allowOrigin !== "*" && allowOrigin !== origin)) {
    return [
      makeFinding(
        "CORS_PREFLIGHT_FAILED",
        {
          sent,
          received: `${answer.status}, Access-Control-Allow-Origin: ${allowOrigin ?? "(none)"}`,
          notes: ["A preflight never carries a token: requiring one there blocks every cross-origin call."],
        },
        { server },
      ),
    ];
  }
  const allowed = (answer.headers.get("access-control-allow-headers") ?? "").toLowerCase();
  if (!allowed.split(",").some((h) => h.trim() === "authorization")) {
    return [
      makeFinding(
        "CORS_AUTH_NOT_ALLOWED",
        { sent, received: `${answer.status}, Access-Control-Allow-Headers: ${allowed || "(none)"}` },
        { server },
      ),
    ];
  }
  return [];
}
