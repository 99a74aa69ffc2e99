import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";

const schema = JSON.parse(
  readFileSync(new URL("../../docs/probe-report.schema.json", import.meta.url), "utf8"),
);
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

/** Throws with every schema violation listed, so a failing probe says exactly what is off. */
export function assertValidReport(report: unknown): void {
  if (!validate(report)) {
    throw new Error(
      `report does not match docs/probe-report.schema.json:\n${JSON.stringify(validate.errors, null, 2)}`,
    );
  }
}
