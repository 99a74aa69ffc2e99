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

  it.each(FINDING_CODES.map((c) => [c]))("%s: the page's heading is the doctor's title, its severity the doctor's", (code) => {
    const page = readFileSync(new URL(`${code}.md`, dir), "utf8");
    const title = FINDINGS[code].title;
    // Pages write the title as a sentence after the code; only the first letter's case may differ.
    expect(page.split("\n")[0]?.toLowerCase()).toBe(`# ${code}: ${title}`.toLowerCase());
    expect(/\*\*Severity:\*\* (\w+)/.exec(page)?.[1]).toBe(FINDINGS[code].severity);
  });
});
