import type { ServerName } from "../../components.js";
import { proxyInPath, unlessItPasses } from "../attribution.js";
import { compareArrival } from "../compare.js";
import { parseReport } from "../context.js";
import { describeSent, makeFinding } from "../finding.js";
import { type Check, none } from "./types.js";

/**
 * Proxies that pass a header on although Connection names it: the lab's probe gets Authorization
 * through each (nginx-proxy-pass, haproxy-forward, varnish-pass, node-forward); Apache and Caddy
 * remove it (apache-proxy-pass, caddy-forward).
 */
const PASS_CONNECTION_LISTED: ServerName[] = ["nginx", "haproxy", "varnish", "node"];

/** Run only when the plain canary arrived intact: then `Connection: ..., Authorization` alone lost it. */
export const hopByHopCheck: Check = {
  name: "hop-by-hop",
  applies: (s) => s.mode === "probe" && s.intact,
  async run(state) {
    const { ctx } = state;
    const headers = ctx.canaryHeaders();
    headers.push(["Connection", "keep-alive, Authorization"]);
    const report = parseReport(await ctx.request(ctx.url, headers));
    if (!report || compareArrival(ctx.canary.value, report.authorization).arrival !== "missing") return none;
    const blame = unlessItPasses(proxyInPath(state.path), PASS_CONNECTION_LISTED, "the headers that Connection names", state.path);
    return {
      findings: [
        makeFinding(
          "HOP_BY_HOP_STRIPPED",
          {
            sent: `${describeSent(ctx.canary.value)} with Connection: keep-alive, Authorization`,
            received: "no Authorization header at the app (it arrives without that Connection header)",
            notes: ["RFC 9110 section 7.6.1: a proxy removes the headers that Connection names. This is conformant behaviour."],
            data: { basis: blame.basis },
          },
          { server: blame.server, candidates: blame.candidates },
        ),
      ],
    };
  },
};
