// Runs `authprobe doctor` as docs/lab.md tells users (the CLI, from the repository root) against one
// scenario's published port and judges it with the native lab's own check (doctorAgrees).
import { spawnSync } from "node:child_process";
import { mostSevere } from "../../dist/doctor/verdict.js";
import { doctorAgrees } from "../../dist/lab/matrix.js";
import { doctorArgs } from "./doctor-args.mjs";

const root = new URL("../../", import.meta.url).pathname;

/** null when the doctor's verdict is the scenario's expected one, else why not. */
export function checkScenario(scenario, hostPort) {
  const { url, flags } = doctorArgs(scenario, hostPort);
  const argv = ["bin/authprobe.js", "doctor", url, ...flags, "--json"];
  const r = spawnSync(process.execPath, argv, { cwd: root, encoding: "utf8", timeout: 60_000 });
  let result;
  try {
    result = JSON.parse(r.stdout);
  } catch {
    return { command: `authprobe ${argv.slice(1).join(" ")}`, reason: `doctor printed no JSON (exit ${r.status}): ${r.stderr.trim().split("\n").at(-1)}` };
  }
  const top = mostSevere(result.findings.filter((f) => f.severity !== "notice"));
  const doctor = {
    codes: result.findings.map((f) => f.code),
    exitCode: r.status,
    fixes: result.findings.flatMap((f) => f.fix.steps),
    server: top ? top.server : null,
  };
  return { command: `authprobe ${argv.slice(1, -1).join(" ")}`, codes: doctor.codes, reason: doctorAgrees(scenario, doctor) };
}
