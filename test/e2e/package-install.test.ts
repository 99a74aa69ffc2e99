import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/cli.js";

/**
 * What a user gets from `npm install authprobe`: the packed tarball installed into scratch projects,
 * each entry typechecked (strict, skipLibCheck false) with only what a user of that entry installs,
 * and run. npm installs from its cache here (--prefer-offline); the registry only when it must.
 */
let work = "";
let tarball = "";

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 240_000, env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false" } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function project(name: string, deps: string[], files: Record<string, string>): string {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, private: true, type: "module" }));
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { strict: true, skipLibCheck: false, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", noEmit: true, types: ["node"] },
      include: ["*.ts"],
    }),
  );
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  run("npm", ["install", "--prefer-offline", "--no-save", tarball, "typescript@5.9", "@types/node@20", ...deps], dir);
  return dir;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "authprobe-pack-"));
  // dist/ is built by `pretest`; --ignore-scripts keeps prepack from rebuilding it while other test
  // files are running the CLI from it (a half-written dist/ made one of them exit 1).
  if (!existsSync(join(ROOT, "dist", "probe", "index.js"))) throw new Error("dist/ is missing: run `npm run build` first (npm test does)");
  run("npm", ["pack", "--ignore-scripts", "--pack-destination", work], ROOT);
  tarball = join(work, readdirSync(work).find((f) => f.endsWith(".tgz")) as string);
}, 300_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

const ROOT_ENTRY = `import { buildProbeReport } from "authprobe";
import type { ProbeReport } from "authprobe/probe";
const report: ProbeReport = buildProbeReport({ method: "GET", url: "/", rawHeaders: ["Authorization", "Bearer abc"], httpVersion: "1.1" });
console.log(report.authorization.sha256 ? "root ok" : "root broken");
`;
const APP_ENTRY = `import { createServer } from "node:http";
import { createApp, loadAppConfig } from "authprobe/app";
const server = createServer(createApp(loadAppConfig({ NODE_ENV: "test", JWT_SECRET: "a-secret-that-is-long-enough-for-the-app-0123" })));
server.listen(0, "127.0.0.1", () => {
  console.log("app ok");
  server.close();
});
`;
const EXPRESS_ENTRY = `import express from "express";
import { probeRouter } from "authprobe/express";
const app = express();
app.use("/__authprobe", probeRouter({ public: true }));
console.log(typeof app === "function" ? "express ok" : "express broken");
`;

describe("the packed package, installed as a user would", () => {
  it("the root and app entries typecheck with only typescript and @types/node, and run", () => {
    const dir = project("plain", [], { "root.ts": ROOT_ENTRY, "app.ts": APP_ENTRY });
    run(join(dir, "node_modules/.bin/tsc"), ["-p", "."], dir);
    // The same code as JavaScript (the type import erased), run by Node as users run it.
    writeFileSync(join(dir, "root.mjs"), ROOT_ENTRY.replace(/^import type .*\n/m, "").replace(": ProbeReport", ""));
    writeFileSync(join(dir, "app.mjs"), APP_ENTRY);
    expect(run(process.execPath, ["root.mjs"], dir).trim()).toBe("root ok");
    expect(run(process.execPath, ["app.mjs"], dir).trim()).toBe("app ok");
  }, 300_000);

  it("importing the root entry never loads Express (it runs with Express removed)", () => {
    const dir = join(work, "plain");
    rmSync(join(dir, "node_modules/express"), { recursive: true, force: true });
    const out = run(process.execPath, ["--input-type=module", "-e", "const m = await import('authprobe'); console.log(typeof m.buildProbeReport)"], dir);
    expect(out.trim()).toBe("function");
  });

  it("the express entry typechecks with Express and its types, and runs", () => {
    const dir = project("with-express", ["express@5", "@types/express@5"], { "express.ts": EXPRESS_ENTRY, "app.ts": APP_ENTRY });
    run(join(dir, "node_modules/.bin/tsc"), ["-p", "."], dir);
    writeFileSync(join(dir, "express.mjs"), EXPRESS_ENTRY);
    writeFileSync(join(dir, "app.mjs"), APP_ENTRY);
    expect(run(process.execPath, ["express.mjs"], dir).trim()).toBe("express ok");
    expect(run(process.execPath, ["app.mjs"], dir).trim()).toBe("app ok");
  }, 300_000);
});
