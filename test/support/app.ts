import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadAppConfig } from "../../src/app/config.js";
import { createApp } from "../../src/app/create-app.js";
import { RSA, SECRET } from "./tokens.js";

export const BASE_ENV = { NODE_ENV: "test", JWT_SECRET: SECRET } as const;

export function makeApp(env: Record<string, string | undefined> = {}) {
  const config = loadAppConfig({ ...BASE_ENV, ...env });
  return { app: createApp(config), config };
}

/** PEM files for RS256 configs, written once per test process. */
export function rsaKeyFiles(): { publicPath: string; privatePath: string } {
  const dir = tmpdir();
  const publicPath = join(dir, `authprobe-test-${process.pid}-pub.pem`);
  const privatePath = join(dir, `authprobe-test-${process.pid}-priv.pem`);
  writeFileSync(publicPath, RSA.publicKey.export({ type: "spki", format: "pem" }) as string);
  writeFileSync(privatePath, RSA.privateKey.export({ type: "pkcs8", format: "pem" }) as string);
  return { publicPath, privatePath };
}
