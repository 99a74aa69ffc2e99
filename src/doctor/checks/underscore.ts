import type { ProbeReport } from "../../probe/types.js";
import { CONTROL_HEADER, type DoctorContext, headerArrived } from "../context.js";
import { makeFinding } from "../finding.js";
import type { Blame } from "./authorization.js";
import type { Finding } from "../types.js";

/**
 * The canary's own request carried the token under an underscore header too. Dropped while the
 * control header arrived: the name is the problem. An error when the user said clients use it.
 */
export function checkUnderscore(ctx: DoctorContext, report: ProbeReport, blame: Blame): Finding[] {
  const name = ctx.underscoreHeader;
  if (!name.includes("_") || headerArrived(report, name) || !headerArrived(report, CONTROL_HEADER)) return [];
  const server = blame.runtime === "wsgi" || blame.runtime === "cgi" ? "apache" : blame.server;
  return [
    makeFinding(
      "UNDERSCORE_HEADER_DROPPED",
      { sent: `${name}: <canary token>`, received: `no ${name} header at the app (${CONTROL_HEADER} arrived)` },
      { server },
      ctx.options.tokenHeader ? "error" : "notice",
    ),
  ];
}
