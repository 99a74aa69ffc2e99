import { findBinary, hasModWsgi, INSTALL_HINT } from "./binaries.js";
import type { Scenario } from "./scenario.js";

/** Why a scenario cannot run on this machine, with the command that fixes that; null if it can. */
export function missingRequirement(scenario: Scenario): string | null {
  if (scenario.server === "nginx" && !findBinary("nginx").path) {
    return `nginx is not installed: ${INSTALL_HINT.nginx}`;
  }
  if (scenario.server === "apache" && !findBinary("apache").path) {
    return `Apache is not installed: ${INSTALL_HINT.apache}`;
  }
  if (scenario.upstream === "wsgi" && !hasModWsgi()) {
    return `mod_wsgi is not installed: ${INSTALL_HINT.wsgi}`;
  }
  return null;
}
