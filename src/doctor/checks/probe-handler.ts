import { runtimeHintOf } from "../attribution.js";
import { makeFinding } from "../finding.js";
import { type Check, none } from "./types.js";

/** The application servers that hide Authorization from the app unless told (mod_wsgi, PHP, CGI). */
const HIDING = { mod_wsgi: ["mod_wsgi"], php: ["php-fpm", "cgi", "php"] } as const;

/**
 * A probe that runs under another handler than the app (a Node probe behind `ProxyPass` beside a
 * mod_wsgi or PHP app) sees what mod_proxy passes on, not what mod_wsgi or PHP hands the app: its
 * "intact" says nothing about the app. The answers name the app's handler (Apache's Server tokens,
 * X-Powered-By); the probe's report names its own.
 */
export const probeHandlerCheck: Check = {
  name: "probe-handler",
  applies: (s) => s.mode === "probe" && s.intact && s.report !== null && s.baseline !== null,
  async run(state) {
    const appHandler = runtimeHintOf(state.baseline!);
    const probeServer = state.report?.runtimeServer ?? state.report?.runtime ?? null;
    if (!appHandler || !probeServer || (HIDING[appHandler] as readonly string[]).includes(probeServer)) return none;
    const label = appHandler === "mod_wsgi" ? "Apache mod_wsgi" : "PHP";
    return {
      findings: [
        makeFinding(
          "AUTH_NOT_VERIFIED",
          {
            sent: "the canary, to the probe",
            received: `intact at a probe run by ${probeServer}, while the answers name ${label} (${state.baseline!.headers.get("server") ?? state.baseline!.headers.get("x-powered-by") ?? ""})`,
            notes: [
              `The probe runs under ${probeServer}, not under the ${label} handler that runs the app: it sees what the proxy passes on, not what ${label} hands the app, which hides Authorization unless told.`,
              `Put the probe under the same handler as the app (docs/probe.md) and run the doctor there.`,
            ],
            data: { reason: "probe-under-other-handler", probeRuntime: probeServer, appHandler },
          },
          // No candidate: nothing is shown lost yet; the first step is the probe in the right place.
          { server: "unknown", runtimeServer: appHandler === "mod_wsgi" ? "mod_wsgi" : "php", probeHint: appHandler },
        ),
      ],
    };
  },
};
