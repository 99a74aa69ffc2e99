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
import type { Check, CheckOutcome, RunState } from "./types.js";
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
 * Checks that only read the state the ones before them set up (the baseline, the mode, the path)
 * and add findings: every check from probe-not-found on (redirects, unreachable and proxy-challenge
 * set that state up). Consecutive ones run at once, so the run costs the longest chain, not the sum.
 */
const INDEPENDENT: ReadonlySet<Check> = new Set(CHECKS.slice(CHECKS.indexOf(probeNotFoundCheck)));

type Settled = { check: Check; outcome: CheckOutcome } | { check: Check; error: unknown };

/** The checks that apply, from `checks[from]` on while independent; all of them started at once. */
function runGroup(checks: Check[], from: number, state: RunState): { settled: Promise<Settled[]>; next: number } {
  let next = from;
  const group: Check[] = [];
  do {
    const check = checks[next] as Check;
    next += 1;
    if (check.applies(state)) group.push(check);
  } while (next < checks.length && INDEPENDENT.has(checks[from] as Check) && INDEPENDENT.has(checks[next] as Check));
  const settled = Promise.all(
    group.map((check) =>
      check.run(state).then(
        (outcome): Settled => ({ check, outcome }),
        (error: unknown): Settled => ({ check, error }),
      ),
    ),
  );
  return { settled, next };
}

/**
 * The one loop: runs each check that applies, in order (independent neighbours concurrently, their
 * findings still in check order). The request budget or the deadline ends the run with what was
 * learned and a note; a check that stops the pipeline ends it too.
 */
export async function runChecks(checks: Check[], state: RunState): Promise<{ notes: string[] }> {
  const notes: string[] = [];
  let i = 0;
  while (i < checks.length) {
    const { settled, next } = runGroup(checks, i, state);
    i = next;
    for (const result of await settled) {
      if ("error" in result) {
        if (!(result.error instanceof RunLimitReached)) throw result.error;
        notes.push(`${result.error.message}; the ${result.check.name} check and those after it did not finish.`);
        return { notes };
      }
      state.findings.push(...result.outcome.findings);
      if (result.outcome.stop) return { notes };
    }
  }
  return { notes };
}
