import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "../support/cli.js";

/** `authprobe probe print <runtime>` must print byte for byte the file the probe tests run. */
describe("authprobe probe print", () => {
  it.each([
    ["python", "authprobe_probe.py"],
    ["cgi", "authprobe_probe.py"],
    ["php", "probe.php"],
  ])("%s prints proxy-configs/probes/%s unchanged", (runtime, file) => {
    const r = runCli(["probe", "print", runtime]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(readFileSync(join(ROOT, "proxy-configs/probes", file), "utf8"));
  });

  it("refuses an unknown runtime in one line naming the choices", () => {
    const r = runCli(["probe", "print", "ruby"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toEqual([
      "authprobe: command-argument value 'ruby' is invalid for argument 'runtime'. Allowed choices are python, php, cgi.",
    ]);
  });
});
