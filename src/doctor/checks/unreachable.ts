import { answererLabel, whoAnswered } from "../attribution.js";
import { makeFinding } from "../finding.js";
import type { Check } from "./types.js";

const UNREACHABLE_STATUS = new Set([502, 503, 504]);

/** The proxy answered for an app that did not: no header finding can be claimed. */
export const unreachableCheck: Check = {
  name: "unreachable",
  applies: (s) => s.baseline !== null && UNREACHABLE_STATUS.has(s.baseline.status),
  async run(state) {
    const answer = state.baseline!;
    const by = whoAnswered(answer);
    state.mode = "none";
    return {
      findings: [
        makeFinding(
          "UPSTREAM_UNREACHABLE",
          {
            sent: `GET ${state.ctx.url}`,
            received: `${answer.status} from ${answererLabel(by)}`,
            data: { status: answer.status, answeredBy: by.basis },
          },
          { server: by.server, candidates: by.candidates },
        ),
      ],
      stop: true,
    };
  },
};
