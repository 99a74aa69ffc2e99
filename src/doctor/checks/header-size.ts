import { mintCanary } from "../canary.js";
import { compareArrival } from "../compare.js";
import { DEFAULT_TOKEN_SIZE, type DoctorContext, parseReport } from "../context.js";
import { makeFinding } from "../finding.js";
import { type HttpResult, isFailure } from "../http.js";
import { identifyServer, type ServerName } from "../server-fingerprint.js";
import type { Finding } from "../types.js";

const PRECISION = 256;
const TYPICAL =
  "Typical Authorization sizes: a plain JWT 0.3-1.5 KB; Azure AD or Keycloak tokens with groups or roles 4-12 KB; Kerberos Negotiate tickets up to 12 KB and more.";

interface Attempt {
  passed: boolean;
  answer: HttpResult;
}

/** The size the deployment must carry: what the user said, their token, or the 16 KB default. */
export function neededSize(ctx: DoctorContext): { bytes: number; fromUser: boolean } {
  const fromToken = ctx.options.token ? Buffer.byteLength(ctx.options.token) + 7 : 0;
  if (ctx.options.tokenSize || fromToken) return { bytes: Math.max(ctx.options.tokenSize ?? 0, fromToken), fromUser: true };
  return { bytes: DEFAULT_TOKEN_SIZE, fromUser: false };
}

async function attempt(ctx: DoctorContext, bytes: number, probeMode: boolean, baselineStatus: number): Promise<Attempt> {
  const canary = mintCanary({ bytes, runId: ctx.canary.runId });
  const answer = await ctx.request(ctx.url, [...ctx.baseHeaders(), ["Authorization", canary.value]]);
  if (probeMode) {
    const report = parseReport(answer);
    return { passed: report !== null && compareArrival(canary.value, report.authorization).arrival === "intact", answer };
  }
  // Black box: a size refusal shows as a 400/413/431/494 or a dropped connection the baseline did not get.
  const refused = isFailure(answer) || ([400, 413, 431, 494].includes(answer.status) && answer.status !== baselineStatus);
  return { passed: !refused, answer };
}

function refusedBy(answer: HttpResult): { status: string; server: ServerName } {
  if (isFailure(answer)) return { status: `connection closed (${answer.error})`, server: "unknown" };
  return { status: String(answer.status), server: identifyServer(answer) };
}

/** One request at the needed size; only if it fails, bisection to within 256 bytes. */
export async function checkHeaderSize(ctx: DoctorContext, probeMode: boolean, baselineStatus: number): Promise<Finding[]> {
  const needed = neededSize(ctx);
  const first = await attempt(ctx, needed.bytes, probeMode, baselineStatus);
  if (first.passed) return [];
  let lo = ctx.canary.length;
  let hi = needed.bytes;
  let failing = first;
  while (hi - lo > PRECISION) {
    const mid = Math.floor((lo + hi) / 2);
    const a = await attempt(ctx, mid, probeMode, baselineStatus);
    if (a.passed) lo = mid;
    else {
      hi = mid;
      failing = a;
    }
  }
  const refusal = refusedBy(failing.answer);
  return [
    makeFinding(
      "HEADER_TOO_LARGE",
      {
        sent: `Authorization values of growing size, up to ${needed.bytes} bytes`,
        received: `largest that passed: about ${lo} bytes (within ${PRECISION}); larger got ${refusal.status} from ${refusal.server}`,
        notes: [
          needed.fromUser
            ? `Your tokens need ${needed.bytes} bytes (--token/--token-size).`
            : `Checked against ${needed.bytes} bytes; pass --token-size to check the size your clients really send.`,
          TYPICAL,
        ],
      },
      { server: refusal.server },
      needed.fromUser ? "error" : "warning",
    ),
  ];
}
