// Screenshots for the README, made by a script (not by hand) in headless Chromium:
//   docs/img/probe-page.png   the probe's HTML page for a request with a token
//   docs/img/lab-matrix.png   `authprobe lab` as a terminal shows it
// Run after `npm run build`: node scripts/screenshots.mjs
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { mintCanary } from "../dist/doctor/canary.js";
import { chromiumPath } from "../dist/lab/browser.js";
import { createProbeHandler } from "../dist/probe/handler.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const executablePath = chromiumPath();
if (!executablePath) {
  process.stderr.write("screenshots: Chromium is missing: apt-get install -y chromium\n");
  process.exit(2);
}
const browser = await chromium.launch({ executablePath, headless: true, args: [...(process.getuid?.() === 0 ? ["--no-sandbox"] : []), "--disable-gpu"] });
const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });

const server = createServer(createProbeHandler());
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const canary = mintCanary();
await page.setExtraHTTPHeaders({ Authorization: canary.value, "X-Forwarded-For": "203.0.113.7", Cookie: "session=abc123" });
await page.goto(`http://127.0.0.1:${server.address().port}/api/orders?page=2`);
await page.screenshot({ path: join(root, "docs/img/probe-page.png"), fullPage: true });
server.close();

const lab = spawnSync(process.execPath, [join(root, "bin/authprobe.js"), "lab", "--proxy", "nginx"], { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
const escape = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
await page.setExtraHTTPHeaders({});
await page.setContent(
  `<body style="margin:0;background:#1e1e1e"><pre style="font:12px/1.35 monospace;color:#ddd;padding:16px;margin:0">$ authprobe lab --proxy nginx\n${escape(lab.stdout)}</pre></body>`,
);
await page.setViewportSize({ width: 1500, height: 400 });
await page.screenshot({ path: join(root, "docs/img/lab-matrix.png"), fullPage: true });
await browser.close();
process.stdout.write("wrote docs/img/probe-page.png and docs/img/lab-matrix.png\n");
