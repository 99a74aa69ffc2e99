import { AuthprobeError } from "../../errors.js";
import { pathEvidence, whoAnswered } from "../attribution.js";
import { type DoctorContext, readReport } from "../context.js";
import { makeFinding } from "../finding.js";
import { type HttpAnswer, type HttpResult, isFailure } from "../http.js";
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

/** Where a Location points: an http(s) URL the doctor can follow, or why it cannot. */
function resolveLocation(location: string, base: string): { url: URL } | { unfollowable: string } {
  let next: URL;
  try {
    next = new URL(location, base);
  } catch {
    return { unfollowable: "not a valid URL" };
  }
  if (next.protocol !== "http:" && next.protocol !== "https:") return { unfollowable: `a ${next.protocol} URL, not http(s)` };
  return { url: next };
}

/** When the user gave secrets: which ones the doctor kept back at this redirect. */
function withheldNote(ctx: DoctorContext, from: URL, to: URL): string[] {
  const kept = [ctx.options.token ? "--token" : null, ctx.options.probeKey ? "--probe-key" : null].filter(Boolean).join(" and ");
  if (!kept || ctx.trusts(to.href)) return [];
  const downgrade = from.protocol === "https:" && to.protocol === "http:" ? ", least of all from https to plain http" : "";
  return [`The doctor followed with its canary only: ${kept} never go to an origin you did not name${downgrade}.`];
}

/**
 * Follows up to 5 redirects by hand, with the canary kept (like curl --location-trusted), so the
 * checks after this one see the final URL; each hop to another origin is a finding. The user's own
 * secrets stay on the origins they named (DoctorContext.trusts). A Location that is not an http(s)
 * URL ends the chain: the redirect is the answer the checks see.
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
      const redirect = !isFailure(answer) && answer.status >= 300 && answer.status < 400 && location && i < MAX_REDIRECTS;
      const target = redirect ? resolveLocation(location, url) : null;
      if (!redirect || !target || "unfollowable" in target) {
        ctx.url = url;
        if (isFailure(answer)) {
          findings.push(
            makeFinding("UPSTREAM_UNREACHABLE", { sent: `GET ${url}`, received: `no answer: ${answer.error}`, data: { error: answer.error } }, { server: "unknown" }),
          );
          return { findings, stop: true };
        }
        if (target && "unfollowable" in target) findings.push(unfollowable(answer, url, location as string, target.unfollowable));
        state.baseline = answer;
        const read = readReport(answer);
        if (read.kind === "invalid") {
          // Nothing in that body can be trusted: no probe checks, and no black-box guess either.
          findings.push(invalidReport(url, read));
          state.mode = "black-box";
          state.path = pathEvidence(answer, null);
          return { findings, stop: true };
        }
        state.report = read.kind === "report" ? read.report : null;
        state.mode = state.report ? "probe" : "black-box";
        state.path = pathEvidence(answer, state.report);
        state.intact = state.report ? compareArrival(ctx.canary.value, state.report.authorization).arrival === "intact" : false;
        return { findings };
      }
      const next = target.url;
      const from = new URL(url);
      if (next.origin !== from.origin) {
        const by = whoAnswered(answer);
        findings.push(
          makeFinding(
            "REDIRECT_CROSS_ORIGIN",
            {
              sent: `GET ${url} with Authorization`,
              received: `${answer.status} Location: ${next.href} (from ${from.origin} to ${next.origin})`,
              notes: [`Clients that then drop Authorization: ${CLIENTS_THAT_DROP}.`, ...withheldNote(ctx, from, next)],
              data: {
                status: answer.status,
                from: from.origin,
                to: next.origin,
                answeredBy: by.basis,
                location,
                followed: true,
                secretsSent: ctx.trusts(next.href),
              },
            },
            { server: by.server, candidates: by.candidates },
          ),
        );
      }
      url = next.href;
    }
  },
};

/** A redirect to something no HTTP client follows (file:, javascript:, an invalid URL): the token goes nowhere useful. */
function unfollowable(answer: HttpAnswer, url: string, location: string, why: string): Finding {
  const by = whoAnswered(answer);
  const from = new URL(url);
  return makeFinding(
    "REDIRECT_CROSS_ORIGIN",
    {
      sent: `GET ${url} with Authorization`,
      // JSON-quoted: the Location is the server's text, shown exactly and on one line.
      received: `${answer.status} Location: ${JSON.stringify(location.slice(0, 200))} (${why})`,
      notes: ["No client can follow it: a call to this URL never reaches an app, with or without its token.", "The doctor did not follow it; the checks after this one look at the redirect itself."],
      data: { status: answer.status, from: from.origin, to: null, answeredBy: by.basis, location, followed: false, reason: why },
    },
    { server: by.server, candidates: by.candidates },
  );
}

function invalidReport(url: string, read: { field: string; reason: string }): Finding {
  return makeFinding(
    "PROBE_REPORT_INVALID",
    {
      sent: `GET ${url} with a canary token`,
      received: `200, a body that says it is a probe report, but '${read.field}' ${read.reason}`,
      notes: ["The doctor reads nothing from a report that breaks the contract: no other check ran."],
      data: { field: read.field, reason: read.reason },
    },
    { server: "unknown" },
  );
}
