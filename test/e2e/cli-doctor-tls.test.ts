import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeServer } from "../../src/listen.js";
import { makeLabCertificates } from "../../src/lab/tls.js";
import { makeWorkdir, removeWorkdir } from "../../src/lab/workdirs.js";
import { createProbeHandler } from "../../src/probe/handler.js";
import { runCliAsync } from "../support/cli.js";

let server: Server;
let url = "";
let dir = "";
let ca = "";

beforeAll(async () => {
  dir = makeWorkdir();
  const certs = makeLabCertificates(dir);
  ca = certs.ca;
  server = createServer({ cert: readFileSync(certs.cert), key: readFileSync(certs.key) }, createProbeHandler());
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await closeServer(server as never);
  removeWorkdir(dir);
});

describe("authprobe doctor over https with a private CA", () => {
  it("an untrusted certificate: one line naming the problem and both flags, exit 3", async () => {
    const r = await runCliAsync(["doctor", url]);
    expect(r.status).toBe(3);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/certificate is not trusted .*--cacert FILE.*--insecure/);
  });

  it("--cacert trusts it: the probe answers, exit 0", async () => {
    const r = await runCliAsync(["doctor", url, "--cacert", ca, "--json"]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).verdict).toBe("ok");
  });

  it("--insecure skips verification: exit 0", async () => {
    const r = await runCliAsync(["doctor", url, "--insecure", "--json"]);
    expect(r.status).toBe(0);
  });

  it("--cacert naming a file that is not a certificate: a usage error naming the flag", async () => {
    const r = await runCliAsync(["doctor", url, "--cacert", "package.json"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--cacert: 'package.json' holds no PEM certificate/);
  });
});
