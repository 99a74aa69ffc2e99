import { whoAnswered, writtenInFront } from "../attribution.js";
import { parseReport } from "../context.js";
import { makeFinding } from "../finding.js";
import { isFailure } from "../http.js";
import { type Check, none } from "./types.js";

/** With --origin: the preflight a browser sends before a request that carries Authorization. */
export const corsCheck: Check = {
  name: "cors",
  applies: (s) => Boolean(s.ctx.options.origin) && s.mode !== "none",
  async run(state) {
    const { ctx } = state;
    const origin = ctx.options.origin as string;
    const headers: [string, string][] = [
      ...ctx.baseHeaders(),
      ["Access-Control-Request-Method", "GET"],
      ["Access-Control-Request-Headers", "authorization"],
    ];
    // The browser preflights the URL it calls, before any redirect: a redirect there fails too.
    const url = ctx.options.target;
    const credentials = ctx.options.credentials === true;
    const answer = await ctx.request(url, headers, "OPTIONS");
    const sent = `OPTIONS ${url} Origin: ${origin}, Access-Control-Request-Headers: authorization${credentials ? " (credentials: include)" : ""}`;
    if (isFailure(answer)) {
      return { findings: [makeFinding("CORS_PREFLIGHT_FAILED", { sent, received: `no answer (${answer.error})`, data: { error: answer.error } }, { server: "unknown" })] };
    }
    // Not the probe's report: with a probe behind, a hop in front of it answered the preflight.
    const by = state.report && !parseReport(answer) ? writtenInFront(answer, state.path, state.report) : whoAnswered(answer);
    const allowOrigin = answer.headers.get("access-control-allow-origin");
    const wildcardWithCredentials = credentials && allowOrigin === "*";
    const noCredentials = credentials && answer.headers.get("access-control-allow-credentials") !== "true";
    if (answer.status >= 300 || !allowOrigin || (allowOrigin !== "*" && allowOrigin !== origin) || wildcardWithCredentials || noCredentials) {
      const redirect = answer.status >= 300 && answer.status < 400;
      return {
        findings: [
          makeFinding(
            "CORS_PREFLIGHT_FAILED",
            {
              sent,
              received: `${answer.status}, Access-Control-Allow-Origin: ${allowOrigin ?? "(none)"}`,
              notes: [
                redirect
                  ? "Browsers never follow a redirect on a preflight (\"Redirect is not allowed for a preflight request\")."
                  : wildcardWithCredentials
                    ? "With credentials: \"include\", Access-Control-Allow-Origin must name the origin: `*` is refused."
                    : noCredentials
                      ? "With credentials: \"include\", the preflight must answer Access-Control-Allow-Credentials: true."
                      : "A preflight never carries a token: requiring one there blocks every cross-origin call.",
              ],
              data: { status: answer.status, allowOrigin, answeredBy: by.basis },
            },
            { server: by.server, candidates: by.candidates, corsCause: redirect ? "redirect" : wildcardWithCredentials ? "wildcard-credentials" : noCredentials ? "no-credentials" : "refused" },
          ),
        ],
      };
    }
    const allowed = (answer.headers.get("access-control-allow-headers") ?? "").toLowerCase();
    const names = allowed.split(",").map((h) => h.trim());
    if (names.includes("authorization")) return none;
    if (names.includes("*")) {
      return {
        findings: [
          makeFinding(
            "CORS_AUTH_NOT_ALLOWED",
            {
              sent,
              received: `${answer.status}, Access-Control-Allow-Headers: ${allowed}`,
              notes: [
                "The Fetch standard says `*` never covers Authorization. Chromium and Firefox still let it through today (Chromium logs a deprecation warning); a browser that enforces the standard blocks the call. Name Authorization explicitly: `Access-Control-Allow-Headers: *, Authorization`.",
              ],
              data: { status: answer.status, allowHeaders: allowed },
            },
            { server: by.server, candidates: by.candidates },
            "warning",
          ),
        ],
      };
    }
    return {
      findings: [
        makeFinding(
          "CORS_AUTH_NOT_ALLOWED",
          { sent, received: `${answer.status}, Access-Control-Allow-Headers: ${allowed || "(none)"}`, data: { status: answer.status, allowHeaders: allowed } },
          { server: by.server, candidates: by.candidates },
        ),
      ],
    };
  },
};
