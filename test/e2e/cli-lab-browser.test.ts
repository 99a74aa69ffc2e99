import { describe, expect, it } from "vitest";
import { CHROMIUM_INSTALL, chromiumPath } from "../../src/lab/browser.js";
import { runCliAsync } from "../support/cli.js";
import { isolateTmpdir, leftoverServers } from "../support/leftovers.js";

const scope = isolateTmpdir();

interface Row {
  id: string;
  status: string;
  reason?: string;
  browser?: { outcome: string; expected: string; console: string[]; doctorCodes: string[]; agreement: string | null };
}

describe("authprobe lab --browser (real Chromium)", () => {
  it("Chromium is installed", () => {
    expect(chromiumPath(), `Chromium is missing: ${CHROMIUM_INSTALL}`).not.toBeNull();
  });

  it("every browser scenario shows its outcome in Chromium, and the doctor agrees with it", async () => {
    const r = await runCliAsync(["lab", "--browser", "--json"]);
    const rows = (JSON.parse(r.stdout) as { results: Row[] }).results;
    const browserRows = rows.filter((row) => row.browser);
    expect(browserRows.length).toBeGreaterThanOrEqual(8);
    for (const row of browserRows) {
      expect(row.status, `${row.id}: ${row.reason ?? ""}`).toBe("pass");
      expect(row.browser?.outcome, row.id).toBe(row.browser?.expected);
      expect(row.browser?.agreement, row.id).toBeNull();
    }
    // Every kind of failure a browser shows is in the set, each with Chromium's own words.
    const outcomes = new Set(browserRows.map((row) => row.browser?.outcome));
    for (const o of ["intact", "blocked: preflight", "blocked: header not allowed", "blocked: redirect on preflight", "lost on redirect", "refused"]) {
      expect(outcomes, o).toContain(o);
    }
    const blocked = browserRows.find((row) => row.browser?.outcome === "blocked: header not allowed");
    expect(blocked?.browser?.console.join("\n")).toMatch(/not allowed by Access-Control-Allow-Headers/);
    expect(r.status).toBe(0);
    expect(leftoverServers(scope)).toEqual([]);
  }, 120_000);

  it("without Chromium, --browser says how to install it (exit 2)", async () => {
    const r = await runCliAsync(["lab", "--browser", "--scenario", "node-forward"], { AUTHPROBE_CHROMIUM: "/nonexistent/chromium" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/lab --browser needs Chromium: apt-get install -y chromium/);
  });
});
