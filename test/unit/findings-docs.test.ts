import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FINDING_CODES, FINDINGS } from "../../src/doctor/findings.js";

const dir = new URL("../../docs/findings/", import.meta.url);
const pages = readdirSync(dir).filter((f) => f.endsWith(".md"));

describe("finding codes and docs/findings/ stay in step", () => {
  it.each(FINDING_CODES.map((c) => [c]))("%s has a page that starts with its code", (code) => {
    expect(pages).toContain(`${code}.md`);
    expect(readFileSync(new URL(`${code}.md`, dir), "utf8")).toMatch(new RegExp(`^# ${code}: `));
  });

  it("every page names a code the catalog has", () => {
    for (const page of pages) expect(FINDING_CODES as readonly string[]).toContain(page.replace(/\.md$/, ""));
  });

  it("every code has a title and a severity", () => {
    for (const code of FINDING_CODES) expect(FINDINGS[code].title.length).toBeGreaterThan(5);
  });
});
