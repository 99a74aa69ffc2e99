import { Buffer } from "node:buffer";
import { labelOf, type ServerName } from "../../components.js";
import { sha256Hex } from "../../probe/fingerprint.js";
import type { ProbeReport } from "../../probe/types.js";
import { type Attribution, certain, hopComponent, type PathEvidence, proxyInPath, serverHeaderProduct } from "../attribution.js";
import { compareArrival } from "../compare.js";
import { CONTROL_HEADER, type DoctorContext, headerArrived, parseReport } from "../context.js";
import { describeSent, makeFinding } from "../finding.js";
import type { FixContext } from "../fixes.js";
import type { Finding } from "../types.js";
import { type Check, none } from "./types.js";

interface HopArrival {
  name: string;
  arrival: string;
  server: ServerName;
}

async function schemeArrivals(ctx: DoctorContext): Promise<string[]> {
  const variants: [string, string][] = [
    ["Basic", `Basic ${Buffer.from(`authprobe:${ctx.canary.runId}`).toString("base64")}`],
    ["JWT", `JWT ${ctx.canary.token}`],
  ];
  // Independent of each other: sent at once.
  return Promise.all(
    variants.map(async ([name, value]) => {
      const report = parseReport(await ctx.request(ctx.url, ctx.canaryHeaders(value)));
      return `${name}: ${report ? compareArrival(value, report.authorization).arrival : "no report"}`;
    }),
  );
}

export async function hopArrivals(ctx: DoctorContext): Promise<HopArrival[]> {
  return (await ctx.hopReports()).map(({ name, report }) => ({
    name,
    arrival: report ? compareArrival(ctx.canary.value, report.authorization).arrival : "no hop-echo answer",
    server: hopComponent(name, report),
  }));
}

/** The last hop that still had the token is the one that lost it on the way out. */
export function blameFromHops(hops: HopArrival[]): { attribution: Attribution; note: string } | null {
  if (hops.length === 0) return null;
  const firstBad = hops.findIndex((h) => h.arrival !== "intact");
  const lastGood = firstBad === -1 ? hops.length - 1 : firstBad - 1;
  const trail = `${hops.map((h) => `${h.name}=${h.arrival}`).join(", ")}, app=not intact`;
  if (lastGood < 0) {
    return {
      attribution: { server: "unknown", candidates: [hops[0]?.server ?? "unknown"], basis: [{ kind: "hop", detail: "lost before the first hop echo" }] },
      note: `Already lost at the first hop echo ('${hops[0]?.name}'): something in front of it, or its own config before the echo, drops it (${trail}).`,
    };
  }
  const culprit = hops[lastGood] as HopArrival;
  const next = firstBad === -1 ? "the app" : `hop '${hops[firstBad]?.name}'`;
  const note = `Lost between hop '${culprit.name}' (${labelOf(culprit.server)}) and ${next}: ${trail}.`;
  if (culprit.server === "unknown") {
    return { attribution: { server: "unknown", candidates: [], basis: [{ kind: "hop", detail: note }] }, note };
  }
  return { attribution: certain(culprit.server, "hop", note), note };
}

const FASTCGI_TALKERS: ServerName[] = ["apache", "nginx"];

/**
 * Who hid Authorization from an app whose server turns headers into variables: mod_wsgi is
 * Apache's; a FastCGI or CGI app's web server names itself in SERVER_SOFTWARE; uWSGI's is the
 * server speaking the uwsgi protocol to it. An HTTP app server (gunicorn, Node) got raw headers,
 * so a proxy in front dropped it.
 */
export function blameForMissing(report: ProbeReport, path: PathEvidence, redirectPrefix: boolean): Attribution {
  const runtime = report.runtimeServer ?? null;
  // The probe's own Node server stopped keeping headers: Authorization may have come after the cut.
  if (report.headerLimit?.reached) {
    return certain("node", "runtime", `the probe's Node server keeps only ${report.headerLimit.limit} headers (maxHeadersCount) and ${report.headerLimit.received} arrived: no proxy is shown to have dropped it`);
  }
  const software = serverHeaderProduct(report.serverSoftware ?? null);
  if (redirectPrefix) return certain("apache", "runtime", "the token arrived as REDIRECT_HTTP_AUTHORIZATION, which only Apache's internal redirects make");
  if (runtime === "mod_wsgi") return certain("apache", "runtime", "the probe ran under Apache mod_wsgi");
  if (runtime === "php-fpm" || runtime === "cgi" || runtime === "uwsgi") {
    if (software && FASTCGI_TALKERS.includes(software)) {
      return certain(software, "runtime", `the ${runtime} app was spoken to by ${report.serverSoftware} (SERVER_SOFTWARE)`);
    }
    const front = path.serverHeader;
    if (front && FASTCGI_TALKERS.includes(front) && path.minHops <= 1) {
      return certain(front, "server", `${labelOf(front)} is the only server in front of the ${runtime} app`);
    }
    const ordered = front && FASTCGI_TALKERS.includes(front) ? [front, ...FASTCGI_TALKERS] : FASTCGI_TALKERS;
    return { server: "unknown", candidates: [...new Set(ordered)], basis: [{ kind: "runtime", detail: `a ${runtime} app: the web server that speaks to it decides which variables it gets` }] };
  }
  return proxyInPath(path);
}

function fixContext(attribution: Attribution, report: ProbeReport, extra: Partial<FixContext> = {}): FixContext {
  const { server, candidates } = attribution;
  return { server, candidates, runtimeServer: report.runtimeServer ?? null, ...extra };
}

function whyNote(attribution: Attribution): string[] {
  if (attribution.server !== "unknown") return [`Blamed on ${labelOf(attribution.server)}: ${attribution.basis.map((b) => b.detail).join("; ")}.`];
  const candidates = attribution.candidates.length ? ` Candidates: ${attribution.candidates.map(labelOf).join(", ")}.` : "";
  return [`Which component did it is not certain: ${attribution.basis.map((b) => b.detail).join("; ")}.${candidates}`];
}

/** AUTH_STRIPPED / REPLACED / ALTERED / DUPLICATED, with the evidence that tells the causes apart. */
async function checkAuthorization(ctx: DoctorContext, report: ProbeReport, path: PathEvidence): Promise<Finding[]> {
  const auth = report.authorization;
  const sent = describeSent(ctx.canary.value);
  const findings: Finding[] = [];
  const duplicated = auth.count > 1 || auth.problems.some((p) => p.code === "comma_merged");
  const { arrival, change } = compareArrival(ctx.canary.value, auth);
  const needsBlame = duplicated || arrival !== "intact";
  if (!needsBlame) return findings;
  const hops = blameFromHops(await hopArrivals(ctx));
  const redirectPrefix = report.alternatives.some((a) => a.where === "env" && a.sha256 === sha256Hex(ctx.canary.value));
  const blame = hops?.attribution ?? (arrival === "missing" ? blameForMissing(report, path, redirectPrefix) : proxyInPath(path));
  const hopNotes = hops ? [hops.note] : [];

  if (duplicated) {
    findings.push(
      makeFinding(
        "AUTH_DUPLICATED",
        {
          sent,
          received: `${auth.count} Authorization value(s); problems: ${auth.problems.map((p) => p.code).join(", ")}`,
          notes: [...hopNotes, ...whyNote(blame)],
          data: { count: auth.count, problems: auth.problems.map((p) => p.code) },
        },
        fixContext(blame, report),
      ),
    );
    if (arrival !== "missing") return findings;
  }

  if (arrival === "missing") {
    const controlArrived = headerArrived(report, CONTROL_HEADER);
    const notes = [
      controlArrived
        ? `${CONTROL_HEADER} arrived: only Authorization was hidden (typical of mod_wsgi, CGI, FastCGI or an explicit rule).`
        : `${CONTROL_HEADER} did not arrive either: the hop dropped other client headers too (a header allowlist, or nginx proxy_pass_request_headers off).`,
      ...(redirectPrefix ? ["REDIRECT_HTTP_AUTHORIZATION arrived with the exact token: a RewriteRule's E= flag set it before an internal redirect renamed it."] : []),
      `Other schemes: ${(await schemeArrivals(ctx)).join(", ")}.`,
      ...hopNotes,
      ...whyNote(blame),
    ];
    findings.push(
      makeFinding(
        "AUTH_STRIPPED",
        {
          sent,
          received: "no Authorization header at the app",
          notes,
          data: {
            controlArrived,
            redirectPrefix,
            runtimeServer: report.runtimeServer ?? null,
            serverSoftware: report.serverSoftware ?? null,
            basis: blame.basis,
          },
        },
        fixContext(blame, report, { allHeadersDropped: !controlArrived, redirectPrefix }),
      ),
    );
    return findings;
  }
  const received = `Authorization: ${auth.scheme ?? "(no scheme)"} <${auth.length} bytes, sha256 ${auth.sha256?.slice(0, 12)}>`;
  if (arrival === "altered") {
    findings.push(
      makeFinding("AUTH_ALTERED", { sent, received, notes: [`What changed: ${change}.`, ...hopNotes, ...whyNote(blame)], data: { change } }, fixContext(blame, report)),
    );
  } else {
    findings.push(
      makeFinding("AUTH_REPLACED", { sent, received, notes: [...hopNotes, ...whyNote(blame)], data: { receivedLength: auth.length } }, fixContext(blame, report)),
    );
  }
  return findings;
}

export const authorizationCheck: Check = {
  name: "authorization",
  applies: (s) => s.mode === "probe",
  async run(state) {
    if (!state.report) return none;
    return { findings: await checkAuthorization(state.ctx, state.report, state.path) };
  },
};
