import type { Canary } from "../doctor/canary.js";
import { type Arrival, compareArrival } from "../doctor/compare.js";
import { identifyServer, type ServerName } from "../doctor/server-fingerprint.js";
import { sha256Hex } from "../probe/fingerprint.js";
import { parseProbeReport } from "../probe/parse-report.js";
import type { ProbeReport } from "../probe/types.js";
import type { Outcome, SendSpec } from "./scenario.js";

export const LAB_PATH = "/__authprobe/lab";
const LAB_ORIGIN = "http://lab.authprobe.test";

export interface HopObservation {
  hop: string;
  arrival: Arrival | "rejected";
  status: number;
}

export interface Observation {
  outcome: Outcome;
  status: number;
  rejectedBy?: ServerName;
  change?: string;
  /** What each hop with a hop-echo path received, then what reached the app. */
  hops: HopObservation[];
}

interface Answer {
  status: number;
  report: ProbeReport | null;
  rejectedBy: ServerName;
}

async function ask(url: string, init: RequestInit): Promise<Answer> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const body = await res.text();
  const report = res.status === 200 ? parseProbeReport(body) : null;
  return {
    status: res.status,
    report,
    rejectedBy: identifyServer({ status: res.status, headers: res.headers, body }),
  };
}

function arrivalIn(report: ProbeReport, send: SendSpec, canary: Canary) {
  if (send.header) {
    const name = send.header.toLowerCase();
    const alt = report.alternatives.find((a) => a.name.toLowerCase() === name);
    // The token was sent bare under the custom header: compare with its own hash.
    if (!alt) return { arrival: "missing" as const };
    return { arrival: alt.sha256 === sha256Hex(canary.token) ? ("intact" as const) : ("replaced" as const) };
  }
  return compareArrival(canary.value, report.authorization);
}

/** Sends the canary through the deployment the way the scenario says, and reports what arrived. */
export async function observe(
  entryUrl: string,
  send: SendSpec,
  canary: Canary,
  hopEchoes: { name: string; path: string }[],
): Promise<Observation> {
  const headers: Record<string, string> = send.header
    ? { [send.header]: canary.token }
    : { Authorization: canary.value };
  if (send.preflight) {
    const pre = await ask(`${entryUrl}${LAB_PATH}`, {
      method: "OPTIONS",
      headers: {
        Origin: LAB_ORIGIN,
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization",
      },
    });
    if (pre.status >= 300)
      return { outcome: "rejected", status: pre.status, rejectedBy: pre.rejectedBy, hops: [] };
    headers.Origin = LAB_ORIGIN;
  }
  const hops: HopObservation[] = [];
  for (const hop of hopEchoes) {
    const a = await ask(`${entryUrl}${hop.path}`, { headers, redirect: "manual" });
    hops.push({
      hop: hop.name,
      arrival: a.report ? arrivalIn(a.report, send, canary).arrival : "rejected",
      status: a.status,
    });
  }
  const main = await ask(`${entryUrl}${LAB_PATH}`, {
    headers,
    redirect: send.followRedirects ? "follow" : "manual",
  });
  if (!main.report) {
    hops.push({ hop: "app", arrival: "rejected", status: main.status });
    return { outcome: "rejected", status: main.status, rejectedBy: main.rejectedBy, hops };
  }
  const compared = arrivalIn(main.report, send, canary);
  hops.push({ hop: "app", arrival: compared.arrival, status: main.status });
  return {
    outcome: compared.arrival,
    status: main.status,
    ...("change" in compared && compared.change ? { change: compared.change } : {}),
    hops,
  };
}
