import type { DoctorContext } from "../context.js";
import { makeFinding } from "../finding.js";
import { type HttpResult, isFailure } from "../http.js";
import { identifyServer } from "../server-fingerprint.js";
import type { Finding } from "../types.js";

const MAX_REDIRECTS = 5;
const CLIENTS_THAT_DROP =
  "curl -L without --location-trusted, Python requests, axios (follow-redirects), fetch in browsers and Node (undici)";

/**
 * Follows up to 5 redirects by hand, with the canary kept (like curl --location-trusted), so the
 * checks after this one see the final URL; each hop to another origin is a finding.
 */
export async function followRedirects(ctx: DoctorContext): Promise<{ answer: HttpResult; findings: Finding[] }> {
  const findings: Finding[] = [];
  let url = ctx.url;
  for (let i = 0; ; i++) {
    const answer = await ctx.request(url, ctx.canaryHeaders());
    const location = isFailure(answer) ? null : answer.headers.get("location");
    if (isFailure(answer) || answer.status < 300 || answer.status >= 400 || !location || i === MAX_REDIRECTS) {
      ctx.url = url;
      return { answer, findings };
    }
    const next = new URL(location, url);
    const from = new URL(url);
    if (next.origin !== from.origin) {
      findings.push(
        makeFinding(
          "REDIRECT_CROSS_ORIGIN",
          {
            sent: `GET ${url} with Authorization`,
            received: `${answer.status} Location: ${next.href} (from ${from.origin} to ${next.origin})`,
            notes: [`Clients that then drop Authorization: ${CLIENTS_THAT_DROP}.`],
          },
          { server: identifyServer(answer) },
        ),
      );
    }
    url = next.href;
  }
}
