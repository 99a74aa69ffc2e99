import type { ServerName } from "../../components.js";
import { certain, hopComponent, unlessItPasses } from "../attribution.js";
import { CONTROL_HEADER, headerArrived } from "../context.js";
import { makeFinding } from "../finding.js";
import { blameForMissing } from "./authorization.js";
import { type Check, none } from "./types.js";

/**
 * Proxies that pass header names with underscores on, as the lab shows with the probe behind each
 * (caddy-forward, haproxy-forward, varnish-pass, node-forward, apache-gunicorn: no drop). Apache
 * drops them only from the environment of the apps it runs itself (CGI, FastCGI, mod_wsgi).
 */
function passesUnderscores(runtime: string | null): ServerName[] {
  return ["caddy", "haproxy", "varnish", "node", ...(runtime === "node" || runtime === "gunicorn" ? (["apache"] as const) : [])];
}

/**
 * The canary's own request carried the token under an underscore header too. Dropped while the
 * control header arrived: the name is the problem. An error when the user said clients use it.
 */
export const underscoreCheck: Check = {
  name: "underscore",
  applies: (s) => s.mode === "probe",
  async run(state) {
    const { ctx, report } = state;
    const name = ctx.underscoreHeader;
    if (!report || !name.includes("_") || headerArrived(report, name) || !headerArrived(report, CONTROL_HEADER)) return none;
    const runtime = report.runtimeServer ?? null;
    // gunicorn 22 and later drop (or refuse) such names itself.
    const behind: ServerName[] = runtime === "gunicorn" ? ["gunicorn"] : [];
    let blame = unlessItPasses(blameForMissing(report, state.path, false), passesUnderscores(runtime), "header names with underscores", state.path, behind);
    // With hop echoes: the last hop that still had the header dropped it.
    let lastWith: ServerName | null = null;
    for (const hop of await ctx.hopReports()) {
      if (hop.report && headerArrived(hop.report, name)) lastWith = hopComponent(hop.name, hop.report);
      else break;
    }
    if (lastWith && lastWith !== "unknown") blame = certain(lastWith, "hop", `the last hop echo that still had ${name} is ${lastWith}`);
    return {
      findings: [
        makeFinding(
          "UNDERSCORE_HEADER_DROPPED",
          {
            sent: `${name}: <canary token>`,
            received: `no ${name} header at the app (${CONTROL_HEADER} arrived)`,
            data: { header: name, basis: blame.basis },
          },
          { server: blame.server, candidates: blame.candidates },
          ctx.options.tokenHeader ? "error" : "notice",
        ),
      ],
    };
  },
};
