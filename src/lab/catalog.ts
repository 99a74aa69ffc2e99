import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { z } from "zod";
import { FINDING_CODES } from "../doctor/findings.js";
import { ConfigError } from "../errors.js";
import { firstIssue } from "../schema-errors.js";
import { appServerOf, type Scenario, scenarioSchema } from "./scenario.js";

export const PROXY_CONFIGS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../proxy-configs");
export const CATALOG_PATH = join(PROXY_CONFIGS_DIR, "scenarios.yaml");

const catalogSchema = z.strictObject({ scenarios: z.array(z.unknown()).min(1, "must have a non-empty 'scenarios' list") });

/** The first problem zod found, in the catalog's words: "scenario 'id': 'field' reason". */
function describeIssue(entry: unknown, index: number, error: z.ZodError): string {
  const id = (entry as { id?: unknown } | null)?.id;
  const label = typeof id === "string" ? `'${id}'` : `#${index + 1}`;
  const { path, field, reason } = firstIssue(error);
  if (path[0] === "findings") {
    return `scenario ${label}: 'findings' must be a list of finding codes (${FINDING_CODES.join(", ")}); [] for none`;
  }
  return `scenario ${label}: '${field || "(entry)"}' ${reason}`;
}

function toScenario(raw: z.output<typeof scenarioSchema>): Scenario {
  const { expect, status, rejectedBy, ...rest } = raw;
  const hops = [{ server: raw.server, config: raw.config }, ...(raw.via ?? [])];
  const app = appServerOf(raw.upstream);
  return {
    ...rest,
    expect: { outcome: expect, ...(status !== undefined ? { status } : {}), ...(rejectedBy ? { rejectedBy } : {}) },
    hops,
    stack: [...hops.map((h) => h.server), ...(app ? [app] : [])],
  };
}

export function parseCatalog(text: string, file: string): Scenario[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new ConfigError(file, `not valid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  const top = catalogSchema.safeParse(doc);
  if (!top.success) throw new ConfigError(file, "must have a non-empty 'scenarios' list");
  const scenarios = top.data.scenarios.map((entry, i) => {
    const parsed = scenarioSchema.safeParse(entry);
    if (!parsed.success) throw new ConfigError(file, describeIssue(entry, i, parsed.error));
    return toScenario(parsed.data);
  });
  const ids = new Set<string>();
  for (const s of scenarios) {
    if (ids.has(s.id)) throw new ConfigError(file, `scenario '${s.id}': 'id' is used twice`);
    ids.add(s.id);
  }
  for (const s of scenarios) {
    if (s.fixedBy && !ids.has(s.fixedBy)) throw new ConfigError(file, `scenario '${s.id}': 'fixedBy' names unknown '${s.fixedBy}'`);
    const files: [string, string][] = [
      ...s.hops.map((h, i): [string, string] => [i === 0 ? "config" : `via.${i - 1}.config`, h.config]),
      ...(s.upstreamConfig ? [["upstreamConfig", s.upstreamConfig] as [string, string]] : []),
    ];
    for (const [field, rel] of files) {
      if (!existsSync(join(PROXY_CONFIGS_DIR, rel))) {
        throw new ConfigError(file, `scenario '${s.id}': '${field}' names '${rel}', which is not under proxy-configs/`);
      }
    }
  }
  return scenarios;
}

export function loadCatalog(file: string = CATALOG_PATH): Scenario[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigError(file, `cannot read (${(err as NodeJS.ErrnoException).code})`);
  }
  return parseCatalog(text, file);
}
