import { AuthprobeError } from "../../errors.js";
import { pathEvidence, whoAnswered } from "../attribution.js";
import { parseReport } from "../context.js";
import { makeFinding } from "../finding.js";
import { type HttpResult, isFailure } from "../http.js";
import type { Finding } from "../types.js";
import { compareArrival } from "../compare.js";
import type { Check, RunState } from "./types.js";

const MAX_REDIRECTS = 5;
const CLIENTS_THAT_DROP =
  "curl -L without --location-trusted, Python requests (on a host change), axios, fetch in browsers and Node (undici): see docs/troubleshooting.md#redirects-to-another-origin";

/** An https URL whose certificate is not trusted: the user needs a flag, not a diagnosis. */
export class UntrustedCertificate extends AuthprobeError {
  constructor(url: string, reason: string) {
    super(
      "TLS_UNTRUSTED",
      `${url}: the server's certificate is not trusted (${reason}): pass its CA with --cacert FILE, or skip verification with --insecure`,
    );
  }
}

/**
 * Follows up to 5 redirects by hand, with the canary kept (like curl --location-trusted), so the
 * checks after this one see the final URL; each hop to another origin is a finding.
 */
export const redirectsCheck: Check = {
  name: "redirects",
  applies: () => true,
  async run(state: RunState) {
    const { ctx } = state;
    const findings: Finding[] = [];
    let url = ctx.url;
    for (let i = 0; ; i++) {
      const answer: HttpResult = await ctx.request(url, ctx.canaryHeaders());
      if (isFailure(answer) && answer.tls) throw new UntrustedCertificate(url, answer.error);
      const location = isFailure(answer) ? null : answer.headers.get("location");
      if (isFailure(answer) || answer.status < 300 || answer.status >= 400 || !location || i === MAX_REDIRECTS) {
        ctx.url = url;
        if (isFailure(answer)) {
          findings.push(
            makeFinding("UPSTREAM_UNREACHABLE", { sent: `GET ${url}`, received: `no answer: ${answer.error}`, data: { error: answer.error } }, { server: "unknown" }),
          );
          return { findings, stop: true };
        }
        state.baseline = answer;
        state.report = parseReport(answer);
        state.mode = state.report ? "probe" : "black-box";
        state.path = pathEvidence(answer, state.report);
        state.intact = state.report ? compareArrival(ctx.canary.value, state.report.authorization).arrival === "intact" : false;
        return { findings };
      }
      const next = new URL(location, url);
      const from = new URL(url);
      if (next.origin !== from.origin) {
        const by = whoAnswered(answer);
        findings.push(
          makeFinding(
            "REDIRECT_CROSS_ORIGIN",
            {
              sent: `GET ${url} with Authorization`,
              received: `${answer.status} Location: ${next.href} (from ${from.origin} to ${next.origin})`,
              notes: [`Clients that then drop Authorization: ${CLIENTS_THAT_DROP}.`],
              data: { status: answer.status, from: from.origin, to: next.origin, answeredBy: by.basis },
            },
            { server: by.server, candidates: by.candidates },
          ),
        );
      }
      url = next.href;
    }
  },
};
