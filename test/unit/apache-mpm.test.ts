import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { APACHE_MPM_TUNING } from "../../src/lab/runners/apache-mpm.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
/** The concurrency `npm run load` drives (scripts/load.mjs, --connections default). */
const LOAD_CONNECTIONS = 64;
const DIRECTIVES = ["StartServers", "ServerLimit", "ThreadLimit", "ThreadsPerChild", "MaxRequestWorkers", "MinSpareThreads", "MaxSpareThreads"];

function mpmSettings(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const match of text.matchAll(/^\s*(\w+)\s+(\d+)\s*$/gm)) {
    if (DIRECTIVES.includes(match[1] ?? "")) out[match[1] ?? ""] = Number(match[2]);
  }
  return out;
}

const sources = {
  "docker/apache/httpd.conf": mpmSettings(readFileSync(join(root, "docker/apache/httpd.conf"), "utf8")),
  "the native lab (src/lab/runners/apache-mpm.ts)": mpmSettings(APACHE_MPM_TUNING),
};

describe("Apache event MPM sizing keeps keep-alive connections open under the load script's 64 connections", () => {
  for (const [name, s] of Object.entries(sources)) {
    it(`${name}: every directive is set`, () => {
      expect(Object.keys(s).sort()).toEqual([...DIRECTIVES].sort());
    });

    it(`${name}: all children start up front with threads for every load connection`, () => {
      // A child whose workers are all busy closes its idle keep-alive connections while the parent
      // spawns more children a second at a time: that was 100s of read errors in the first seconds.
      expect(s.StartServers, "StartServers = ServerLimit").toBe(s.ServerLimit);
      expect(s.ThreadsPerChild, "ThreadsPerChild covers the load on one child").toBeGreaterThanOrEqual(LOAD_CONNECTIONS);
      expect(s.ThreadLimit).toBeGreaterThanOrEqual(s.ThreadsPerChild ?? Infinity);
      expect((s.ServerLimit ?? 0) * (s.ThreadsPerChild ?? 0)).toBe(s.MaxRequestWorkers);
    });

    it(`${name}: idle children are never reaped (a stopping child drops its keep-alive connections)`, () => {
      expect(s.MaxSpareThreads).toBeGreaterThanOrEqual(s.MaxRequestWorkers ?? Infinity);
      expect(s.MinSpareThreads).toBeLessThanOrEqual((s.MaxRequestWorkers ?? 0) - (s.ThreadsPerChild ?? 0));
    });
  }

  it("docker and the native lab use the same sizing", () => {
    expect(sources["docker/apache/httpd.conf"]).toEqual(sources["the native lab (src/lab/runners/apache-mpm.ts)"]);
  });
});
