import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Issue 25's start-up target: `doctor` pays only for the modules it uses. zod alone costs ~120 ms
// to import, so the doctor's static import graph (what loads before its first request) must not
// reach it, nor the other heavy packages the CLI loads lazily (jsonwebtoken among them: the canary
// is signed with node:crypto, and the probe-key header lives in a module of its own).
const src = resolve(dirname(fileURLToPath(import.meta.url)), "../../src");
const HEAVY = ["zod", "express", "playwright-core", "jsonwebtoken"];

/** Runtime (not `import type`) static imports of a module: relative ones resolved to .ts files. */
function staticImports(file: string): { local: string[]; packages: string[] } {
  const text = readFileSync(file, "utf8");
  const local: string[] = [];
  const packages: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+"([^"]+)"/gms)) {
    const spec = m[1] as string;
    if (spec.startsWith(".")) local.push(join(dirname(file), spec.replace(/\.js$/, ".ts")));
    else if (!spec.startsWith("node:")) packages.push(spec);
  }
  return { local, packages };
}

function packagesReached(entries: string[]): Map<string, string> {
  const seen = new Set<string>();
  const reached = new Map<string, string>();
  const queue = [...entries];
  while (queue.length) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const { local, packages } = staticImports(file);
    for (const p of packages) if (!reached.has(p)) reached.set(p, file.slice(src.length + 1));
    queue.push(...local);
  }
  return reached;
}

describe("doctor start-up loads only what it uses", () => {
  it("the CLI and the doctor's modules import no heavy package statically", () => {
    const entries = ["cli/program.ts", "doctor/diagnose.ts", "doctor/verdict.ts", "cli/render-doctor.ts", "cli/style.ts"];
    const reached = packagesReached(entries.map((e) => join(src, e)));
    const heavy = [...reached].filter(([p]) => HEAVY.some((h) => p === h || p.startsWith(`${h}/`)));
    expect(heavy.map(([p, by]) => `${p} (imported by ${by})`)).toEqual([]);
  });

  it("the graph walk sees a package import (so the test above can fail)", () => {
    expect([...packagesReached([join(src, "proxy/config.ts")]).keys()]).toContain("zod");
  });
});
