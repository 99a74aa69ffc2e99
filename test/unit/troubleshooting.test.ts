import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { FINDING_CODES } from "../../src/doctor/findings.js";
import { loadCatalog } from "../../src/lab/catalog.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const guide = readFileSync(join(root, "docs/troubleshooting.md"), "utf8");
const catalog = loadCatalog();

/** GitHub's heading anchors: lowercase, punctuation dropped, spaces to dashes. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");
}

const anchors = new Set([...guide.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1] as string)));

function section(title: string): string {
  const start = guide.indexOf(`## ${title}`);
  const end = guide.indexOf("\n## ", start + 1);
  return guide.slice(start, end < 0 ? undefined : end);
}

describe("docs/troubleshooting.md", () => {
  it.each(catalog.map((s) => [s.id]))("cites scenario %s", (id) => {
    expect(guide).toContain(`\`${id}\``);
  });

  it("every 'Proven by' names existing scenarios only", () => {
    const ids = new Set(catalog.map((s) => s.id));
    const lines = [...guide.matchAll(/^Proven by: (.+)$/gm)].map((m) => m[1] as string);
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) {
      const named = [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
      expect(named.length, line).toBeGreaterThan(0);
      for (const id of named) expect(ids.has(id), `${id} in "${line}"`).toBe(true);
    }
  });

  it.each(FINDING_CODES.map((c) => [c]))("the triage table lists %s, and it has a docs page", (code) => {
    expect(section("Triage")).toContain(`\`${code}\``);
    expect(readdirSync(join(root, "docs/findings"))).toContain(`${code}.md`);
  });

  it("every section says Proven by or Not reproducible locally", () => {
    const groups = guide.split(/\n(?=### )/).slice(1);
    for (const sec of groups) {
      const title = sec.split("\n")[0];
      expect(/^Proven by: |Not reproducible locally/m.test(sec), title).toBe(true);
    }
    for (const item of section("Cloud and cluster edges").split("\n- ").slice(1)) {
      expect(item).toMatch(/Not reproducible locally:\s.+Source:\s+\[/s);
    }
  });

  it("every snippet marked tested is identical to the file the lab runs", () => {
    const blocks = [...guide.matchAll(/<!-- tested: (\S+) -->\n```\w*\n([\s\S]*?)\n```/g)];
    expect(blocks.length).toBeGreaterThanOrEqual(8);
    const used = new Set(catalog.flatMap((s) => [...s.hops.map((h) => h.config), ...(s.upstreamConfig ? [s.upstreamConfig] : [])].map((f) => `proxy-configs/${f}`)));
    for (const [, path, body] of blocks) {
      expect(used.has(path as string), `${path} is run by a scenario`).toBe(true);
      expect(body, path).toBe(readFileSync(join(root, path as string), "utf8").replace(/\n$/, ""));
    }
  });

  it("every anchor the catalog, the finding pages and the guide link to exists", () => {
    const links = [
      ...catalog.map((s) => s.docs),
      ...readdirSync(join(root, "docs/findings")).flatMap((f) =>
        [...readFileSync(join(root, "docs/findings", f), "utf8").matchAll(/troubleshooting\.md(#[^)\s]+)/g)].map((m) => `x${m[1]}`),
      ),
      ...[...guide.matchAll(/\]\((#[^)]+)\)/g)].map((m) => `x${m[1]}`),
    ];
    for (const link of links) {
      const anchor = link.split("#")[1] as string;
      expect(anchors.has(anchor), link).toBe(true);
    }
  });

  it("has a myths section", () => {
    expect(section("Myths")).toMatch(/proxy_hide_header/);
  });
});
