import { mintCanary } from "./canary.js";
import type { Blame } from "./checks/authorization.js";
import { checkCors } from "./checks/cors.js";
import { BLACK_BOX_CHECKS, PROBE_CHECKS, runChecks } from "./checks/index.js";
import { checkProxyChallenge } from "./checks/proxy-challenge.js";
import { followRedirects } from "./checks/redirects.js";
import { compareArrival } from "./compare.js";
import { DoctorContext, parseReport } from "./context.js";
import { makeFinding } from "./finding.js";
import { isFailure } from "./http.js";
import { identifyServer, type ServerName } from "./server-fingerprint.js";
import type { DoctorOptions, DoctorResult, Finding } from "./types.js";
import { summarize } from "./verdict.js";

const UNREACHABLE_STATUS = new Set([502, 503, 504]);

function finish(ctx: DoctorContext, partial: Omit<DoctorResult, "summary" | "requests" | "target">): DoctorResult {
  const result = { ...partial, target: ctx.options.target, requests: ctx.requests };
  return { ...result, summary: summarize(result) };
}

/** Who forwarded: the Server header (nginx and Apache set it), else a Via means a Node gateway. */
function serverOf(answer: { headers: Headers; status: number; body: string }): ServerName {
  const named = identifyServer(answer);
  if (named !== "unknown") return named;
  return answer.headers.get("via") ? "node" : "unknown";
}

/** Sends canary requests through the deployment and returns findings; never prints. */
export async function diagnose(options: DoctorOptions): Promise<DoctorResult> {
  const ctx = new DoctorContext(
    { ...options, timeoutMs: options.timeoutMs ?? 5000, maxRequests: options.maxRequests ?? 40 },
    mintCanary(),
  );
  const redirected = await followRedirects(ctx);
  const findings: Finding[] = [...redirected.findings];
  const answer = redirected.answer;

  if (isFailure(answer)) {
    findings.push(
      makeFinding("UPSTREAM_UNREACHABLE", { sent: `GET ${ctx.url}`, received: `no answer: ${answer.error}` }, { server: "unknown" }),
    );
    return finish(ctx, { verdict: "unreachable", mode: "none", server: "unknown", runtime: null, findings });
  }
  const server = serverOf(answer);
  if (UNREACHABLE_STATUS.has(answer.status)) {
    // The proxy answered for an app that did not: no header finding can be claimed.
    findings.push(
      makeFinding("UPSTREAM_UNREACHABLE", { sent: `GET ${ctx.url}`, received: `${answer.status} from ${server}` }, { server }),
    );
    return finish(ctx, { verdict: "problems", mode: "none", server, runtime: null, findings });
  }

  const report = parseReport(answer);
  if (!report) {
    const challenge = checkProxyChallenge(answer, ctx.canary.value);
    if (challenge.length) {
      findings.push(...challenge, ...(await checkCors(ctx)));
      return finish(ctx, { verdict: "problems", mode: "none", server, runtime: null, findings });
    }
    findings.push(
      makeFinding(
        "PROBE_NOT_FOUND",
        {
          sent: `GET ${ctx.url} with a canary token`,
          received: `${answer.status} ${answer.headers.get("content-type") ?? ""}, not a probe report`,
          notes: [
            "Can still check: redirects, the size limit, CORS, a proxy's own challenge and, with --token, whether the app refuses your token.",
            "Cannot tell: whether Authorization reached the app, or was replaced or altered on the way.",
          ],
        },
        { server },
      ),
    );
    const input = { ctx, baseline: answer, report: null, blame: { server, runtime: null }, intact: false };
    findings.push(...(await runChecks(BLACK_BOX_CHECKS, input)));
    return finish(ctx, { verdict: verdictOf(findings), mode: "black-box", server, runtime: null, findings });
  }

  const blame: Blame = {
    server: report.runtime === "wsgi" || report.runtime === "cgi" ? "apache" : server,
    runtime: report.runtime,
  };
  const intact = compareArrival(ctx.canary.value, report.authorization).arrival === "intact";
  findings.push(...(await runChecks(PROBE_CHECKS, { ctx, baseline: answer, report, blame, intact })));
  return finish(ctx, { verdict: verdictOf(findings), mode: "probe", server: blame.server, runtime: report.runtime, findings });
}

function verdictOf(findings: Finding[]): DoctorResult["verdict"] {
  return findings.some((f) => f.severity !== "notice") ? "problems" : "ok";
}
