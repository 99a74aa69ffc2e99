import { RunLimitReached } from "../context.js";
import { authorizationCheck } from "./authorization.js";
import { blackBoxCheck } from "./black-box.js";
import { corsCheck } from "./cors.js";
import { headerSizeCheck } from "./header-size.js";
import { hopByHopCheck } from "./hop-by-hop.js";
import { probeHandlerCheck } from "./probe-handler.js";
import { probeNotFoundCheck } from "./probe-not-found.js";
import { proxyChallengeCheck } from "./proxy-challenge.js";
import { redirectsCheck } from "./redirects.js";
import type { Check, RunState } from "./types.js";
import { underscoreCheck } from "./underscore.js";
import { unreachableCheck } from "./unreachable.js";

export type { Check, CheckOutcome, RunState } from "./types.js";

/** Every check, in the order they run; each says whether it applies to what is known so far. */
export const CHECKS: Check[] = [
  redirectsCheck,
  unreachableCheck,
  proxyChallengeCheck,
  probeNotFoundCheck,
  authorizationCheck,
  probeHandlerCheck,
  underscoreCheck,
  blackBoxCheck,
  headerSizeCheck,
  hopByHopCheck,
  corsCheck,
];

/**
 * The one loop: runs each check that applies, in order. The request budget or the deadline ends
 * the run with what was learned and a note; a check that stops the pipeline ends it too.
 */
export async function runChecks(checks: Check[], state: RunState): Promise<{ notes: string[] }> {
  const notes: string[] = [];
  for (const check of checks) {
    if (!check.applies(state)) continue;
    try {
      const outcome = await check.run(state);
      state.findings.push(...outcome.findings);
      if (outcome.stop) break;
    } catch (err) {
      if (!(err instanceof RunLimitReached)) throw err;
      notes.push(`${err.message}; the ${check.name} check and those after it did not finish.`);
      break;
    }
  }
  return { notes };
}
