import { answererLabel } from "../attribution.js";
import { mintCanary } from "../canary.js";
import { compareArrival } from "../compare.js";
import { DEFAULT_TOKEN_SIZE, type DoctorContext, parseReport } from "../context.js";
import { makeFinding } from "../finding.js";
import { type HttpResult, isFailure } from "../http.js";
import type { Severity } from "../findings.js";
import { refusedBy, UPSTREAM_FAILED } from "./size-refusal.js";
import { type Check, none, type RunState } from "./types.js";

const PRECISION = 256;
/** Halving steps each search round covers: 2^DEPTH - 1 sizes (3) sent at once. */
const DEPTH = 2;

/** The midpoints halving would try in the next `depth` steps from [lo, hi], whichever way each went. */
function halvingSizes(lo: number, hi: number, depth: number): number[] {
  if (depth === 0 || hi - lo <= PRECISION) return [];
  const mid = Math.floor((lo + hi) / 2);
  return [mid, ...halvingSizes(lo, mid, depth - 1), ...halvingSizes(mid, hi, depth - 1)];
}
/** Below this, common tokens (Azure AD or Keycloak with groups, Kerberos) already fail: a warning. */
export const SMALL_LIMIT = 6_000;
const TYPICAL =
  "Typical Authorization sizes: a plain JWT 0.3-1.5 KB; Azure AD or Keycloak tokens with groups or roles 4-12 KB; Kerberos Negotiate tickets up to 12 KB and more.";
const REFUSAL_STATUS = [400, 413, 431, 494];

interface Attempt {
  passed: boolean;
  /** A failure that says nothing about size (a timeout): the check stops without a finding. */
  inconclusive: boolean;
  answer: HttpResult;
}

/** The size the deployment must carry: what the user said or their token; else measure up to 16 KB. */
export function neededSize(ctx: DoctorContext): { bytes: number; fromUser: boolean } {
  const { token, authorization } = ctx.options;
  const fromToken = authorization ? Buffer.byteLength(authorization) : token ? Buffer.byteLength(token) + 7 : 0;
  if (ctx.options.tokenSize || fromToken) return { bytes: Math.max(ctx.options.tokenSize ?? 0, fromToken), fromUser: true };
  return { bytes: DEFAULT_TOKEN_SIZE, fromUser: false };
}

const TIMEOUTS = new Set(["ETIMEDOUT", "EDEADLINE"]);

async function attempt(state: RunState, bytes: number): Promise<Attempt> {
  const { ctx } = state;
  const canary = mintCanary({ bytes, runId: ctx.canary.runId });
  // A connection of its own, as a client's first request has: a limit may apply only there.
  const answer = await ctx.request(ctx.url, [...ctx.baseHeaders(), ["Authorization", canary.value]], undefined, true);
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

/**
 * One request at the needed size; only if it fails, a search to within 256 bytes (3 sizes a round,
 * the ones halving would try), then a re-check.
 */
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
      // Every size the next DEPTH halving steps could try, sent at once: 3 rounds where halving
      // takes 6 in turn, and the same sizes (so the same result) as halving.
      const sizes = halvingSizes(lo, hi, DEPTH);
      const answers = await Promise.all(sizes.map(async (bytes) => [bytes, await attempt(state, bytes)] as const));
      const attempts = new Map(answers);
      if ([...attempts.values()].some((a) => a.inconclusive)) return none;
      for (let step = 0; step < DEPTH && hi - lo > PRECISION; step++) {
        const mid = Math.floor((lo + hi) / 2);
        const a = attempts.get(mid) as Attempt;
        if (a.passed) lo = mid;
        else {
          hi = mid;
          failing = a;
        }
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
