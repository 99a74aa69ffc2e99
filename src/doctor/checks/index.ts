import type { ProbeReport } from "../../probe/types.js";
import type { DoctorContext } from "../context.js";
import type { HttpAnswer } from "../http.js";
import type { Finding } from "../types.js";
import { type Blame, checkAuthorization } from "./authorization.js";
import { checkBlackBoxToken } from "./black-box.js";
import { checkCors } from "./cors.js";
import { checkHeaderSize } from "./header-size.js";
import { checkHopByHop } from "./hop-by-hop.js";
import { checkUnderscore } from "./underscore.js";

/** What every check gets: the run's context, the first answer, and the report when a probe answered. */
export interface CheckInput {
  ctx: DoctorContext;
  baseline: HttpAnswer;
  report: ProbeReport | null;
  blame: Blame;
  /** The plain canary arrived intact: size and hop-by-hop effects can only be measured then. */
  intact: boolean;
}

export interface Check {
  name: string;
  applies(input: CheckInput): boolean;
  run(input: CheckInput): Promise<Finding[]> | Finding[];
}

const always = () => true;
const report = (i: CheckInput) => i.report as ProbeReport;

/** With a probe at the URL, in this order. */
export const PROBE_CHECKS: Check[] = [
  { name: "authorization", applies: always, run: (i) => checkAuthorization(i.ctx, report(i), i.blame) },
  { name: "underscore", applies: always, run: (i) => checkUnderscore(i.ctx, report(i), i.blame) },
  { name: "header-size", applies: (i) => i.intact, run: (i) => checkHeaderSize(i.ctx, true, i.baseline.status) },
  { name: "hop-by-hop", applies: (i) => i.intact, run: (i) => checkHopByHop(i.ctx, i.blame) },
  { name: "cors", applies: always, run: (i) => checkCors(i.ctx) },
];

/** Without a probe: what the answers alone can tell. */
export const BLACK_BOX_CHECKS: Check[] = [
  { name: "token", applies: always, run: (i) => checkBlackBoxToken(i.ctx) },
  { name: "header-size", applies: always, run: (i) => checkHeaderSize(i.ctx, false, i.baseline.status) },
  { name: "cors", applies: always, run: (i) => checkCors(i.ctx) },
];

export async function runChecks(checks: Check[], input: CheckInput): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const check of checks) {
    if (check.applies(input)) findings.push(...(await check.run(input)));
  }
  return findings;
}
