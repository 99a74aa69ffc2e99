import { isComponent, labelOf, type ServerName } from "../../components.js";
import { answererLabel, type Attribution, certain, isAppServer, namedProxies, proxyInPath, serverHeaderProduct, whoAnswered } from "../attribution.js";
import { mintCanary } from "../canary.js";
import { compareArrival } from "../compare.js";
import { DEFAULT_TOKEN_SIZE, type DoctorContext, parseReport } from "../context.js";
import { makeFinding } from "../finding.js";
import { type HttpAnswer, type HttpResult, isFailure } from "../http.js";
import type { Severity } from "../findings.js";
import { type Check, none, type RunState } from "./types.js";

const PRECISION = 256;
/** Below this, common tokens (Azure AD or Keycloak with groups, Kerberos) already fail: a warning. */
export const SMALL_LIMIT = 6_000;
const TYPICAL =
  "Typical Authorization sizes: a plain JWT 0.3-1.5 KB; Azure AD or Keycloak tokens with groups or roles 4-12 KB; Kerberos Negotiate tickets up to 12 KB and more.";
const REFUSAL_STATUS = [400, 413, 431, 494];
/** A proxy whose upstream failed only on a large request: the app server behind refused it. */
const UPSTREAM_FAILED = [502, 503, 504];

interface Attempt {
  passed: boolean;
  /** A failure that says nothing about size (a timeout): the check stops without a finding. */
  inconclusive: boolean;
  answer: HttpResult;
}

/** The size the deployment must carry: what the user said or their token; else measure up to 16 KB. */
export function neededSize(ctx: DoctorContext): { bytes: number; fromUser: boolean } {
  const fromToken = ctx.options.token ? Buffer.byteLength(ctx.options.token) + 7 : 0;
  if (ctx.options.tokenSize || fromToken) return { bytes: Math.max(ctx.options.tokenSize ?? 0, fromToken), fromUser: true };
  return { bytes: DEFAULT_TOKEN_SIZE, fromUser: false };
}

const TIMEOUTS = new Set(["ETIMEDOUT", "EDEADLINE"]);

async function attempt(state: RunState, bytes: number): Promise<Attempt> {
  const { ctx } = state;
  const canary = mintCanary({ bytes, runId: ctx.canary.runId });
  const answer = await ctx.request(ctx.url, [...ctx.baseHeaders(), ["Authorization", canary.value]]);
  if (isFailure(answer)) return { passed: false, inconclusive: TIMEOUTS.has(answer.error), answer };
  if (state.mode === "probe") {
    const report = parseReport(answer);
    return { passed: report !== null && compareArrival(canary.value, report.authorization).arrival === "intact", inconclusive: false, answer };
  }
  // Black box: a size refusal is a refusal status (or an upstream failure) the baseline did not get.
  const baseline = state.baseline?.status;
  const refused = [...REFUSAL_STATUS, ...UPSTREAM_FAILED].includes(answer.status) && answer.status !== baseline;
  return { passed: !refused, inconclusive: false, answer };
}

/** Proxies that refuse an over-long header with 400 and their own page (or nothing), never with 431. */
const NEVER_431: ServerName[] = ["nginx", "apache", "haproxy", "varnish"];

/** The probe's app server, when the probe says which one it runs under. */
function runtimeOf(state: RunState): ServerName | null {
  const runtime = state.report?.runtimeServer;
  return runtime && isComponent(runtime) && runtime !== "unknown" ? runtime : null;
}

/**
 * A refusal that names no writer (no error page of its own): the proxies its headers name are
 * candidates, minus those that never answer this status, plus the app server behind them.
 */
function refusalCandidates(state: RunState, answer: HttpAnswer, answered: Attribution): Attribution {
  const basis = [...answered.basis];
  let candidates = [...answered.candidates];
  const relayed = answer.status === 431 ? candidates.filter((c) => NEVER_431.includes(c)) : [];
  if (relayed.length > 0) {
    candidates = candidates.filter((c) => !relayed.includes(c));
    basis.push({ kind: "status", detail: `${relayed.map(labelOf).join(" and ")} ${relayed.length === 1 ? "refuses" : "refuse"} an over-long header with 400, never 431: the 431 came from behind` });
  }
  const runtime = runtimeOf(state);
  // Node answers an over-long head with a bare 431: certain when nothing else can be between (no
  // unnamed hop, and no Server header but the relaying proxy's: YARP's Kestrel writes 431 too).
  const unnamedHops = state.path.minHops > namedProxies(state.path).length;
  const server = answer.headers.get("server");
  const serverIsRelay = server === null || relayed.includes(serverHeaderProduct(server) as ServerName);
  if (answer.status === 431 && answer.body === "" && runtime === "node" && candidates.length === 0 && !unnamedHops && serverIsRelay) {
    return { server: "node", candidates: [], basis: [...basis, { kind: "runtime", detail: "behind it is only the app's Node server, which answers an over-long head with 431" }] };
  }
  // A Server header that names a server we have no rules for (Kestrel, Tomcat) points there, not at the app behind.
  const serverUnknown = server !== null && serverHeaderProduct(server) === null;
  if (runtime && !serverUnknown && !candidates.includes(runtime)) candidates.push(runtime);
  return { server: "unknown", candidates, basis };
}

/** Who refused: the answer's own signature; an upstream failure only above a size is the app server's. */
function refusedBy(state: RunState, answer: HttpResult): { attribution: Attribution; status: string } {
  if (isFailure(answer)) {
    // Nothing in front of the app server: it dropped the connection itself (uWSGI's http-socket does).
    const runtime = state.report?.runtimeServer as ServerName | undefined;
    if (runtime && state.path.minHops === 0 && state.path.serverHeader === null) {
      return { attribution: certain(runtime, "status", `nothing in front of ${labelOf(runtime)}, which closed the connection`), status: `connection closed (${answer.error})` };
    }
    const front = proxyInPath(state.path);
    return { attribution: front.server === "unknown" ? front : { server: "unknown", candidates: [front.server], basis: front.basis }, status: `connection closed (${answer.error})` };
  }
  const status = String(answer.status);
  const answered = whoAnswered(answer);
  // A proxy's own 502 page names the proxy, but it only relays that the server behind it failed.
  if (UPSTREAM_FAILED.includes(answer.status) && !(answered.basis[0]?.kind === "signature" && isAppServer(answered.server))) {
    const runtime = runtimeOf(state);
    const front = answered.server !== "unknown" ? labelOf(answered.server) : answered.candidates[0] ? labelOf(answered.candidates[0]) : "the front";
    if (runtime && runtime !== "node" && isAppServer(runtime)) {
      return {
        attribution: certain(runtime, "status", `${front} answered ${answer.status} only above this size: ${labelOf(runtime)} behind it dropped the request`),
        status,
      };
    }
    return {
      attribution: { server: "unknown", candidates: [], basis: [{ kind: "status", detail: `the front answered ${answer.status} only above this size: the server behind it refused the request` }] },
      status,
    };
  }
  if (answered.server !== "unknown") return { attribution: answered, status };
  return { attribution: refusalCandidates(state, answer, answered), status };
}

/** One request at the needed size; only if it fails, bisection to within 256 bytes, then a re-check. */
export const headerSizeCheck: Check = {
  name: "header-size",
  applies: (s) => !s.blocked && (s.mode === "black-box" || (s.mode === "probe" && s.intact)),
  async run(state) {
    const { ctx } = state;
    const needed = neededSize(ctx);
    const first = await attempt(state, needed.bytes);
    if (first.passed || first.inconclusive) return none;
    let lo = ctx.canary.length;
    let hi = needed.bytes;
    let failing = first;
    while (hi - lo > PRECISION) {
      const mid = Math.floor((lo + hi) / 2);
      const a = await attempt(state, mid);
      if (a.inconclusive) return none;
      if (a.passed) lo = mid;
      else {
        hi = mid;
        failing = a;
      }
    }
    // A server that started failing partway (not by size) would look like a limit: the largest size
    // that passed must pass again, and the needed size must still fail.
    const again = await attempt(state, lo);
    if (!again.passed) return none;
    const refusal = refusedBy(state, failing.answer);
    const severity: Severity = needed.fromUser ? "error" : lo < SMALL_LIMIT ? "warning" : "notice";
    return {
      findings: [
        makeFinding(
          "HEADER_TOO_LARGE",
          {
            sent: `Authorization values of growing size, up to ${needed.bytes} bytes`,
            received: `largest that passed: about ${lo} bytes (within ${PRECISION}); larger got ${refusal.status} from ${answererLabel(refusal.attribution)}`,
            notes: [
              needed.fromUser
                ? `Your tokens need ${needed.bytes} bytes (--token/--token-size).`
                : `Measured up to ${needed.bytes} bytes; pass --token-size to check the size your clients really send.`,
              ...refusal.attribution.basis.map((b) => `Refused by: ${b.detail}.`),
              TYPICAL,
            ],
            data: {
              largestPassed: lo,
              precision: PRECISION,
              needed: needed.bytes,
              status: refusal.status,
              basis: refusal.attribution.basis,
            },
          },
          {
            server: refusal.attribution.server,
            candidates: refusal.attribution.candidates,
            runtimeServer: state.report?.runtimeServer ?? null,
          },
          severity,
        ),
      ],
    };
  },
};
