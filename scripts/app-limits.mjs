// The sample API's limits, measured on a real `authprobe serve app` in its own process (not a
// test): how many wrong passwords one address gets before a 429, and the app's RSS before and after
// a flood of posts. Run after `npm run build`: node scripts/app-limits.mjs [--posts N] [--logins N]
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadJwtConfig, signToken } from "../dist/app/jwt-config.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const args = process.argv.slice(2);
const flag = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const POSTS = flag("--posts", 5000);
const LOGINS = flag("--logins", 300);
const SECRET = "app-limits-measurement-secret-0123456789abcdef";

const child = spawn(process.execPath, ["bin/authprobe.js", "serve", "app", "--port", "0"], {
  cwd: root,
  env: { ...process.env, NODE_ENV: "development", JWT_SECRET: SECRET },
  stdio: ["ignore", "pipe", "inherit"],
});
const base = await new Promise((resolve, reject) => {
  let out = "";
  child.stdout.on("data", (d) => {
    out += d;
    const m = /listening on (http:\/\/\S+)/.exec(out);
    if (m) resolve(m[1]);
  });
  child.once("exit", (code) => reject(new Error(`serve app exited ${code}`)));
});

/** Resident set of the app's process, from the kernel: what the machine actually gives it. */
const rssMiB = () => {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1]);
  return Math.round(kb / 1024);
};

try {
  // Wrong passwords for one user, one at a time, as a script guessing would send them.
  const started = Date.now();
  let failures = 0;
  let limited = null;
  for (let i = 0; i < LOGINS; i++) {
    const r = await fetch(`${base}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "alice", password: `guess-${i}` }),
    });
    await r.arrayBuffer();
    if (r.status === 429) {
      limited = { after: failures, retryAfter: r.headers.get("retry-after") };
      break;
    }
    failures++;
  }
  const loginSeconds = ((Date.now() - started) / 1000).toFixed(1);

  const token = signToken(loadJwtConfig({ NODE_ENV: "development", JWT_SECRET: SECRET }), { sub: "1" });
  const before = rssMiB();
  const post = JSON.stringify({ title: "t".repeat(200), body: "b".repeat(10_000) });
  let created = 0;
  let refused = 0;
  for (let i = 0; i < POSTS; i++) {
    const r = await fetch(`${base}/posts`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: post,
    });
    await r.arrayBuffer();
    if (r.status === 201) created++;
    else refused++;
  }
  const list = await fetch(`${base}/posts`, { headers: { authorization: `Bearer ${token}` } });
  const listBytes = (await list.arrayBuffer()).byteLength;
  const after = rssMiB();
  const result = {
    login: limited
      ? `429 after ${limited.after} wrong passwords (Retry-After: ${limited.retryAfter} s), ${loginSeconds} s`
      : `no 429 in ${failures} wrong passwords, ${loginSeconds} s`,
    posts: `${created} created, ${refused} refused; RSS ${before} MiB before, ${after} MiB after; GET /posts answered ${Math.round(listBytes / 1024)} KiB`,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  child.kill("SIGTERM");
}
