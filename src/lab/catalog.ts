import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { FINDING_CODES } from "../doctor/findings.js";
import { ConfigError } from "../errors.js";
import {
  OUTCOMES,
  type Outcome,
  type Scenario,
  SERVERS,
  type SendSpec,
  type ServerKind,
  UPSTREAMS,
} from "./scenario.js";

export const PROXY_CONFIGS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../proxy-configs");
export const CATALOG_PATH = join(PROXY_CONFIGS_DIR, "scenarios.yaml");

type Raw = Record<string, unknown>;

class EntryReader {
  constructor(
    private readonly file: string,
    private readonly entry: Raw,
    private readonly label: string,
  ) {}

  fail(field: string, reason: string): never {
    throw new ConfigError(this.file, `scenario ${this.label}: '${field}' ${reason}`);
  }

  string(field: string, optional = false): string | undefined {
    const v = this.entry[field];
    if (v === undefined && optional) return undefined;
    if (typeof v !== "string" || v.trim() === "") this.fail(field, "must be a non-empty string");
    return v;
  }

  oneOf<T extends string>(field: string, allowed: readonly T[]): T {
    const v = this.entry[field];
    if (typeof v !== "string" || !allowed.includes(v as T))
      this.fail(field, `must be one of ${allowed.join(", ")}`);
    return v as T;
  }

  file_(field: string, optional = false): string | undefined {
    const rel = this.string(field, optional);
    if (rel === undefined) return undefined;
    if (!existsSync(join(PROXY_CONFIGS_DIR, rel)))
      this.fail(field, `names '${rel}', which is not under proxy-configs/`);
    return rel;
  }
}

const SEND_KEYS = new Set(["header", "tokenBytes", "followRedirects", "preflight"]);

function readSend(r: EntryReader, raw: unknown): SendSpec {
  if (raw === undefined) return {};
  if (typeof raw !== "object" || raw === null) r.fail("send", "must be a mapping");
  const send = raw as Raw;
  for (const key of Object.keys(send)) if (!SEND_KEYS.has(key)) r.fail(`send.${key}`, "is not a known field");
  if (
    send.header !== undefined &&
    (typeof send.header !== "string" || !/^[A-Za-z0-9_-]+$/.test(send.header))
  ) {
    r.fail("send.header", "must be a header name");
  }
  if (
    send.tokenBytes !== undefined &&
    (!Number.isInteger(send.tokenBytes) || (send.tokenBytes as number) < 256)
  ) {
    r.fail("send.tokenBytes", "must be a whole number of bytes, at least 256");
  }
  for (const flag of ["followRedirects", "preflight"]) {
    if (send[flag] !== undefined && typeof send[flag] !== "boolean")
      r.fail(`send.${flag}`, "must be true or false");
  }
  return send as SendSpec;
}

export function parseCatalog(text: string, file: string): Scenario[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new ConfigError(file, `not valid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  const list = (doc as Raw | null)?.scenarios;
  if (!Array.isArray(list) || list.length === 0)
    throw new ConfigError(file, "must have a non-empty 'scenarios' list");
  const scenarios = list.map((entry: unknown, i: number) => {
    if (typeof entry !== "object" || entry === null)
      throw new ConfigError(file, `scenario #${i + 1} is not a mapping`);
    const e = entry as Raw;
    const label = typeof e.id === "string" ? `'${e.id}'` : `#${i + 1}`;
    const r = new EntryReader(file, e, label);
    const id = r.string("id") as string;
    if (!/^[a-z0-9-]+$/.test(id)) r.fail("id", "must be lowercase letters, digits and dashes");
    const outcome = r.oneOf<Outcome>("expect", OUTCOMES);
    const scenario: Scenario = {
      id,
      title: r.string("title") as string,
      server: r.oneOf<ServerKind>("server", SERVERS),
      config: r.file_("config") as string,
      upstream: r.oneOf("upstream", UPSTREAMS),
      send: readSend(r, e.send),
      expect: { outcome },
      docs: r.string("docs") as string,
      findings: [],
    };
    const fixMentions = r.string("fixMentions", true);
    if (fixMentions) scenario.fixMentions = fixMentions;
    const gateway = r.file_("gateway", true);
    if (gateway) scenario.gateway = gateway;
    const fixedBy = r.string("fixedBy", true);
    if (fixedBy) scenario.fixedBy = fixedBy;
    if (outcome === "rejected") {
      if (!Number.isInteger(e.status))
        r.fail("status", "is required with expect: rejected (the HTTP status)");
      scenario.expect.status = e.status as number;
      scenario.expect.rejectedBy = r.oneOf<ServerKind>("rejectedBy", SERVERS);
    }
    if (!Array.isArray(e.findings) || !e.findings.every((f) => (FINDING_CODES as readonly string[]).includes(f))) {
      r.fail("findings", `must be a list of finding codes (${FINDING_CODES.join(", ")}); [] for none`);
    }
    scenario.findings = e.findings as string[];
    if (outcome !== "intact" && !fixedBy) r.fail("fixedBy", "is required for a broken scenario");
    return scenario;
  });
  const ids = new Set<string>();
  for (const s of scenarios) {
    if (ids.has(s.id)) throw new ConfigError(file, `scenario '${s.id}': 'id' is used twice`);
    ids.add(s.id);
  }
  for (const s of scenarios) {
    if (s.fixedBy && !ids.has(s.fixedBy))
      throw new ConfigError(file, `scenario '${s.id}': 'fixedBy' names unknown '${s.fixedBy}'`);
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
