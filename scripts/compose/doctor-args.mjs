// The `authprobe doctor` command line for one scenario's compose service: the flags the native lab
// passes (src/lab/matrix.ts runDoctor) plus --hop for each hop's echo path. docs/lab.md's port table
// (scripts/gen-compose.mjs) and the compose test (scripts/compose-test.mjs) both use it, so the test
// runs exactly what the docs tell users to run.
import { readFileSync } from "node:fs";
import { LAB_ORIGIN, LAB_PATH } from "../../dist/lab/constants.js";
import { hopEchoIn } from "../../dist/lab/runners/types.js";

const configs = new URL("../../proxy-configs/", import.meta.url);

/** The doctor's URL and flags for a scenario published on localhost:hostPort. */
export function doctorArgs(scenario, hostPort) {
  const scheme = scenario.tls === "entry" ? "https" : "http";
  const base = `${scheme}://localhost:${hostPort}`;
  const hops = scenario.hops.flatMap((h) => {
    const echo = hopEchoIn(readFileSync(new URL(h.config, configs), "utf8"));
    return echo ? ["--hop", `${echo.name}=${base}${echo.path}`] : [];
  });
  const flags = [
    ...(scenario.send.tokenBytes ? ["--token-size", String(scenario.send.tokenBytes)] : []),
    ...(scenario.send.header ? ["--token-header", scenario.send.header] : []),
    ...(scenario.send.preflight ? ["--origin", LAB_ORIGIN] : []),
    ...(scenario.send.credentials ? ["--credentials"] : []),
    ...(scenario.tls ? ["--cacert", "docker/certs/ca.pem"] : []),
    ...hops,
  ];
  return { scheme, url: `${base}${LAB_PATH}`, flags };
}
