import { compareArrival } from "../compare.js";
import { type DoctorContext, parseReport } from "../context.js";
import { describeSent, makeFinding } from "../finding.js";
import type { Blame } from "./authorization.js";
import type { Finding } from "../types.js";

/** Run only when the plain canary arrived intact: then `Connection: ..., Authorization` alone lost it. */
export async function checkHopByHop(ctx: DoctorContext, blame: Blame): Promise<Finding[]> {
  const headers = ctx.canaryHeaders();
  headers.push(["Connection", "keep-alive, Authorization"]);
  const report = parseReport(await ctx.request(ctx.url, headers));
  if (!report || compareArrival(ctx.canary.value, report.authorization).arrival !== "missing") return [];
  return [
    makeFinding(
      "HOP_BY_HOP_STRIPPED",
      {
        sent: `${describeSent(ctx.canary.value)} with Connection: keep-alive, Authorization`,
        received: "no Authorization header at the app (it arrives without that Connection header)",
        notes: ["RFC 9110 section 7.6.1: a proxy removes the headers that Connection names. This is conformant behaviour."],
      },
      blame,
    ),
  ];
}
