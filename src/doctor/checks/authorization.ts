import { Buffer } from "node:buffer";
import type { ProbeReport } from "../../probe/types.js";
import { compareArrival } from "../compare.js";
import { CONTROL_HEADER, type DoctorContext, headerArrived, parseReport } from "../context.js";
import { describeSent, makeFinding } from "../finding.js";
import { isFailure } from "../http.js";
import { identifyServer, type ServerName } from "../server-fingerprint.js";
import type { Finding } from "../types.js";

export interface Blame {
  server: ServerName;
  runtime: string | null;
}

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
  const notes: string[] = [];
  for (const [name, value] of variants) {
    const report = parseReport(await ctx.request(ctx.url, ctx.canaryHeaders(value)));
    notes.push(`${name}: ${report ? compareArrival(value, report.authorization).arrival : "no report"}`);
  }
  return notes;
}

/**
 * Which server a hop is. Not from the answer's Server header: in a chain that names the front proxy.
 * The hop's own name says it (nginx, apache), else a hop that echoes a report is a Node gateway.
 */
function hopServer(name: string, reportHop: string | undefined, echoed: boolean, answered: ServerName): ServerName {
  const label = `${reportHop ?? ""} ${name}`.toLowerCase();
  if (label.includes("nginx")) return "nginx";
  if (label.includes("apache") || label.includes("httpd")) return "apache";
  return echoed ? "node" : answered;
}

async function hopArrivals(ctx: DoctorContext): Promise<HopArrival[]> {
  const arrivals: HopArrival[] = [];
  for (const hop of ctx.options.hops ?? []) {
    const answer = await ctx.request(hop.url, ctx.canaryHeaders());
    const report = parseReport(answer);
    arrivals.push({
      name: hop.name,
      arrival: report ? compareArrival(ctx.canary.value, report.authorization).arrival : "no hop-echo answer",
      server: hopServer(hop.name, report?.hop, report !== null, isFailure(answer) ? "unknown" : identifyServer(answer)),
    });
  }
  return arrivals;
}

/** The last hop that still had the token is the one that lost it on the way out. */
function blameFromHops(hops: HopArrival[], fallback: Blame): { blame: Blame; note: string | null } {
  const firstBad = hops.findIndex((h) => h.arrival !== "intact");
  const lastGood = firstBad === -1 ? hops.length - 1 : firstBad - 1;
  if (hops.length === 0 || lastGood < 0) return { blame: fallback, note: null };
  const culprit = hops[lastGood] as HopArrival;
  const next = firstBad === -1 ? "the app" : `hop '${hops[firstBad]?.name}'`;
  return {
    blame: { server: culprit.server, runtime: null },
    note: `Lost between hop '${culprit.name}' (${culprit.server}) and ${next}: ${hops.map((h) => `${h.name}=${h.arrival}`).join(", ")}, app=missing.`,
  };
}

/** AUTH_STRIPPED / REPLACED / ALTERED / DUPLICATED, with the evidence that tells the causes apart. */
export async function checkAuthorization(ctx: DoctorContext, report: ProbeReport, blame: Blame): Promise<Finding[]> {
  const auth = report.authorization;
  const sent = describeSent(ctx.canary.value);
  const findings: Finding[] = [];
  const duplicated = auth.count > 1 || auth.problems.some((p) => p.code === "comma_merged");
  if (duplicated) {
    findings.push(
      makeFinding("AUTH_DUPLICATED", { sent, received: `${auth.count} Authorization value(s); problems: ${auth.problems.map((p) => p.code).join(", ")}` }, blame),
    );
  }
  const { arrival, change } = compareArrival(ctx.canary.value, auth);
  if (arrival === "intact" || (duplicated && arrival !== "missing")) return findings;

  if (arrival === "missing") {
    const controlArrived = headerArrived(report, CONTROL_HEADER);
    const notes = [
      controlArrived
        ? `${CONTROL_HEADER} arrived: only Authorization was hidden (typical of mod_wsgi, CGI, FastCGI or an explicit rule).`
        : `${CONTROL_HEADER} did not arrive either: every client header was dropped.`,
      `Other schemes: ${(await schemeArrivals(ctx)).join(", ")}.`,
    ];
    const { blame: hopBlame, note } = blameFromHops(await hopArrivals(ctx), blame);
    if (note) notes.push(note);
    findings.push(
      makeFinding("AUTH_STRIPPED", { sent, received: "no Authorization header at the app", notes }, {
        ...hopBlame,
        allHeadersDropped: !controlArrived,
      }),
    );
    return findings;
  }
  const received = `Authorization: ${auth.scheme ?? "(no scheme)"} <${auth.length} bytes, sha256 ${auth.sha256?.slice(0, 12)}>`;
  if (arrival === "altered") {
    findings.push(makeFinding("AUTH_ALTERED", { sent, received, notes: [`What changed: ${change}.`] }, blame));
  } else {
    const { blame: hopBlame, note } = blameFromHops(await hopArrivals(ctx), blame);
    findings.push(makeFinding("AUTH_REPLACED", { sent, received, ...(note ? { notes: [note] } : {}) }, hopBlame));
  }
  return findings;
}
