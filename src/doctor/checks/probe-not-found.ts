import { stackHintOf } from "../attribution.js";
import { makeFinding } from "../finding.js";
import type { Check } from "./types.js";

/** No probe answered: say what black-box mode can and cannot tell. */
export const probeNotFoundCheck: Check = {
  name: "probe-not-found",
  applies: (s) => s.mode === "black-box" && !s.blocked,
  async run(state) {
    const answer = state.baseline!;
    return {
      findings: [
        makeFinding(
          "PROBE_NOT_FOUND",
          {
            sent: `GET ${state.ctx.url} with a canary token`,
            received: `${[answer.status, answer.headers.get("content-type")].filter(Boolean).join(" ")}, not a probe report`,
            notes: [
              "Can still check: redirects, the size limit, CORS, a proxy's own challenge and, by comparing answers with and without a token, whether the app sees the token.",
              "Cannot tell for certain: whether Authorization reached the app, or was replaced or altered on the way.",
            ],
            data: { status: answer.status },
          },
          // The probe recipe for the stack the answer reveals (mod_wsgi, PHP, Express, a Python server).
          { server: "unknown", probeHint: stackHintOf(answer) },
        ),
      ],
    };
  },
};
