import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { readProbeReport } from "../../src/probe/parse-report.js";

const schema = JSON.parse(
  readFileSync(new URL("../../docs/probe-report.schema.json", import.meta.url), "utf8"),
);
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

/**
 * Throws with every schema violation listed, so a failing probe says exactly what is off. The
 * doctor's own reader (src/probe/parse-report.ts) must accept the report too: a probe whose
 * reports it refused would read as PROBE_REPORT_INVALID.
 */
export function assertValidReport(report: unknown): void {
  if (!validate(report)) {
    throw new Error(
      `report does not match docs/probe-report.schema.json:\n${JSON.stringify(validate.errors, null, 2)}`,
    );
  }
  const read = readProbeReport(JSON.stringify(report));
  if (read.kind !== "report") throw new Error(`the doctor's reader refuses this report: ${JSON.stringify(read)}`);
}
