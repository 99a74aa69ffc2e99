import type { ServerName } from "../components.js";
import { whoAnswered } from "../doctor/attribution.js";
import type { Canary } from "../doctor/canary.js";
import { type Arrival, compareArrival } from "../doctor/compare.js";
import { type HttpResult, isFailure, send, type TlsTrust } from "../doctor/http.js";
import { sha256Hex } from "../probe/fingerprint.js";
import { parseProbeReport } from "../probe/parse-report.js";
import type { ProbeReport } from "../probe/types.js";
import { LAB_ORIGIN, LAB_PATH } from "./constants.js";
import type { Outcome, SendSpec } from "./scenario.js";

export { LAB_PATH };

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
  headers: Headers;
}

/** Whether a browser would send the real request after this preflight answer (Fetch's CORS check). */
export function preflightAllows(headers: Headers, origin: string, credentials: boolean): boolean {
  const allowOrigin = headers.get("access-control-allow-origin");
  if (allowOrigin !== origin && !(allowOrigin === "*" && !credentials)) return false;
  if (credentials && headers.get("access-control-allow-credentials") !== "true") return false;
  const allowed = (headers.get("access-control-allow-headers") ?? "").split(",").map((h) => h.trim().toLowerCase());
  return allowed.includes("authorization");
}

const TIMEOUT_MS = 10_000;
const MAX_REDIRECTS = 5;

/**
 * One request; with `follow`, redirects are followed the way fetch does it: Authorization is
 * dropped when the redirect leaves the origin (Fetch standard, "HTTP-redirect fetch").
 */
interface AskOptions {
  method?: string;
  follow?: boolean;
  tls: TlsTrust;
}

async function ask(url: string, headers: Record<string, string>, options: AskOptions): Promise<Answer> {
  let current = url;
  let sent = { ...headers };
  let result: HttpResult;
  for (let i = 0; ; i++) {
    result = await send(current, { method: options.method ?? "GET", headers: Object.entries(sent), timeoutMs: TIMEOUT_MS, tls: options.tls });
    if (isFailure(result)) throw new Error(`${current}: ${result.error}`);
    const location = result.headers.get("location");
    if (!options.follow || result.status < 300 || result.status >= 400 || !location || i === MAX_REDIRECTS) break;
    const next = new URL(location, current);
    if (next.origin !== new URL(current).origin) {
      sent = Object.fromEntries(Object.entries(sent).filter(([n]) => n.toLowerCase() !== "authorization"));
    }
    current = next.href;
  }
  const report = result.status === 200 ? parseProbeReport(result.body) : null;
  return { status: result.status, report, rejectedBy: whoAnswered(result).server, headers: result.headers };
}

function arrivalIn(report: ProbeReport, send: SendSpec, canary: Canary) {
  if (send.header) {
    const name = send.header.toLowerCase().replace(/_/g, "-");
    const alt = report.alternatives.find((a) => a.name.toLowerCase().replace(/_/g, "-") === name);
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
  tls: TlsTrust = {},
): Promise<Observation> {
  const headers: Record<string, string> = send.header ? { [send.header]: canary.token } : { Authorization: canary.value };
  if (send.preflight) {
    const pre = await ask(
      `${entryUrl}${LAB_PATH}`,
      { Origin: LAB_ORIGIN, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization" },
      { method: "OPTIONS", tls },
    );
    if (pre.status >= 300) return { outcome: "rejected", status: pre.status, rejectedBy: pre.rejectedBy, hops: [] };
    if (!preflightAllows(pre.headers, LAB_ORIGIN, send.credentials === true)) {
      return { outcome: "blocked", status: pre.status, rejectedBy: pre.rejectedBy, hops: [] };
    }
    headers.Origin = LAB_ORIGIN;
  }
  const hops: HopObservation[] = [];
  for (const hop of hopEchoes) {
    const a = await ask(`${entryUrl}${hop.path}`, headers, { tls });
    hops.push({ hop: hop.name, arrival: a.report ? arrivalIn(a.report, send, canary).arrival : "rejected", status: a.status });
  }
  const main = await ask(`${entryUrl}${LAB_PATH}`, headers, { follow: send.followRedirects === true, tls });
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
