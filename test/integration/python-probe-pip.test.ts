import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/**
 * `pip install <path>` of proxy-configs/probes installs the one module, unchanged: offline, with
 * Debian's pip and setuptools (--no-build-isolation: nothing is downloaded).
 */
const PROBES = join(import.meta.dirname, "../../proxy-configs/probes");
const dir = mkdtempSync(join(tmpdir(), "authprobe-pip-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("pip install of the Python probe", () => {
  it("installs authprobe_probe byte for byte, importable with its WSGI, ASGI and middleware entry points", () => {
    const pip = spawnSync("/usr/bin/python3", ["-m", "pip", "--version"], { encoding: "utf8" });
    if (pip.status !== 0) throw new Error("Debian's pip is missing: apt-get install -y python3-pip python3-setuptools python3-wheel");
    // A copy: a build in place would leave build/ and *.egg-info beside the probes.
    cpSync(PROBES, join(dir, "src"), { recursive: true });
    const install = spawnSync("/usr/bin/python3", ["-m", "pip", "install", "--no-index", "--no-build-isolation", "--no-deps", "--disable-pip-version-check", "--target", join(dir, "site"), join(dir, "src")], { encoding: "utf8", timeout: 120_000 });
    expect(install.status, install.stderr).toBe(0);
    expect(readFileSync(join(dir, "site", "authprobe_probe.py"), "utf8")).toBe(readFileSync(join(PROBES, "authprobe_probe.py"), "utf8"));
    const names = spawnSync("/usr/bin/python3", ["-c", "import authprobe_probe as p; print(p.__file__); print(callable(p.application), callable(p.asgi_application), callable(p.AuthprobeMiddleware), callable(p.AuthprobeASGIMiddleware))"], { encoding: "utf8", cwd: dir, env: { ...process.env, PYTHONPATH: join(dir, "site") } });
    expect(names.stderr).toBe("");
    expect(names.stdout.trim().split("\n")).toEqual([join(dir, "site", "authprobe_probe.py"), "True True True True"]);
  });
});
