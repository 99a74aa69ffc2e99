import { namedProxies, stackHintOf } from "../attribution.js";
import { makeFinding } from "../finding.js";
import type { Finding } from "../types.js";
import type { RunState } from "./types.js";

/**
 * The last word of a black-box run: "nothing wrong" needs an answer that showed a token got
 * through. A run that ended before one did (its budget or deadline, a request that failed) gets
 * AUTH_NOT_VERIFIED, unless an error already explains the run or a check said the same.
 */
export function unverified(state: RunState, notes: string[]): Finding[] {
  if (state.mode !== "black-box" || state.tokenSeen) return [];
  if (state.findings.some((f) => f.severity === "error" || f.code === "AUTH_NOT_VERIFIED")) return [];
  const answer = state.baseline;
  return [
    makeFinding(
      "AUTH_NOT_VERIFIED",
      {
        sent: `GET ${state.ctx.url} with a canary token${state.ctx.options.token || state.ctx.options.authorization ? " and your token" : ""}`,
        received: answer ? `${answer.status}, and no answer that shows a token got through` : "no answer",
        notes: [
          notes.length
            ? "The run ended before the token check could compare answers with and without a token (see the notes): nothing shows that a token reaches the app."
            : "A request the token check needed got no answer: nothing shows that a token reaches the app.",
        ],
        data: { reason: "not-checked", ...(answer ? { status: answer.status } : {}) },
      },
      { server: "unknown", candidates: namedProxies(state.path), probeHint: answer ? stackHintOf(answer) : null },
    ),
  ];
}
