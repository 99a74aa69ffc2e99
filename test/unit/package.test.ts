import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  files: string[];
  bin: Record<string, string>;
  exports: Record<string, { types: string; default: string } | string>;
  license: string;
};
const shipped = (path: string) => pkg.files.some((f) => path.replace(/^\.\//, "").startsWith(`${f}/`));

describe("package.json: what a published authprobe contains", () => {
  it("ships every file its exports and bin point at, and they exist after the build", () => {
    const targets = [
      ...Object.values(pkg.exports).flatMap((e) => (typeof e === "string" ? [] : [e.types, e.default])),
      ...Object.values(pkg.bin),
    ];
    for (const target of targets) {
      expect(shipped(target), `${target} is in "files"`).toBe(true);
      expect(existsSync(join(root, target)), `${target} exists (npm test builds first)`).toBe(true);
    }
  });

  it("ships the bin shim's own import target and the runtime assets", () => {
    const shim = readFileSync(join(root, pkg.bin.authprobe as string), "utf8");
    const target = /import "\.\.\/(.+)"/.exec(shim)?.[1] as string;
    expect(shipped(target)).toBe(true);
    for (const asset of ["proxy-configs/scenarios.yaml", "docs/probe-report.schema.json"]) expect(shipped(asset)).toBe(true);
  });

  it("is MIT licensed, with the LICENSE file", () => {
    expect(pkg.license).toBe("MIT");
    expect(readFileSync(join(root, "LICENSE"), "utf8")).toMatch(/^MIT License/);
  });
});
