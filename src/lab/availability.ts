import { findBinary, hasModWsgi, hasUwsgiPython, INSTALL_HINT, type Program } from "./binaries.js";
import type { Scenario } from "./scenario.js";

/** The programs a scenario starts, client side first. */
export function programsOf(scenario: Scenario): Program[] {
  const programs: Program[] = [];
  for (const hop of scenario.hops) if (hop.server !== "node") programs.push(hop.server);
  if (scenario.upstream === "gunicorn" || scenario.upstream === "uwsgi" || scenario.upstream === "php-fpm") {
    programs.push(scenario.upstream);
  }
  if (scenario.tls) programs.push("openssl");
  return [...new Set(programs)];
}

/** Why a scenario cannot run on this machine, with the command that fixes that; null if it can. */
export function missingRequirement(scenario: Scenario): string | null {
  for (const program of programsOf(scenario)) {
    const binary = findBinary(program);
    if (!binary.path) return `${program} is not installed: ${binary.install}`;
  }
  if (scenario.upstream === "wsgi" && !hasModWsgi()) return `mod_wsgi is not installed: ${INSTALL_HINT.wsgi}`;
  if (scenario.upstream === "uwsgi" && !hasUwsgiPython()) {
    return `uWSGI's Python plugin is not installed: ${INSTALL_HINT["uwsgi-python"]}`;
  }
  return null;
}
