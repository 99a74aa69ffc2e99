import { type Command, InvalidArgumentError } from "commander";
import { diagnose } from "../doctor/diagnose.js";
import type { HopTarget } from "../doctor/types.js";
import { exitCodeFor } from "../doctor/verdict.js";
import { UsageError } from "../errors.js";
import { parsePositiveInt } from "./options.js";
import { doctorJson, renderDoctor } from "./render-doctor.js";
import { styler, useColour } from "./style.js";

interface DoctorFlags {
  json?: boolean;
  token?: string;
  origin?: string;
  hop: HopTarget[];
  probeKey?: string;
  timeout: number;
  tokenSize?: number;
  tokenHeader?: string;
}

function httpUrl(value: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`${flag}: '${value}' is not a URL (e.g. https://api.example.com/__authprobe)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InvalidArgumentError(`${flag}: '${value}' must be an http:// or https:// URL`);
  }
  return url.href;
}

function parseHop(value: string, previous: HopTarget[]): HopTarget[] {
  const eq = value.indexOf("=");
  if (eq <= 0) throw new InvalidArgumentError(`must be NAME=URL, got '${value}'`);
  return [...previous, { name: value.slice(0, eq), url: httpUrl(value.slice(eq + 1), "--hop") }];
}

function parseTimeout(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 120) {
    throw new InvalidArgumentError("must be seconds between 0 and 120, e.g. 5 or 0.5");
  }
  return Math.round(seconds * 1000);
}

function parseOrigin(value: string): string {
  const url = httpUrl(value, "--origin");
  return new URL(url).origin;
}

export function registerDoctor(program: Command): void {
  program
    .command("doctor")
    .description("diagnose where Authorization gets lost on the way to <url> (a probe URL, or any URL)")
    .argument("<url>", "the URL to check, ideally a probe behind your proxies (e.g. https://api.example.com/__authprobe)")
    .option("--json", "print {target, verdict, findings} and nothing else")
    .option("--token <token>", "your real token, for black-box checks (never printed)")
    .option("--origin <origin>", "check the CORS preflight a browser on this origin sends")
    .option("--hop <name=url>", "a hop-echo URL in front of the app (repeatable)", parseHop, [])
    .option("--probe-key <key>", "X-Authprobe-Key for a probe that requires one")
    .option("--timeout <seconds>", "per-request timeout", parseTimeout, 5000)
    .option("--token-size <bytes>", "the largest Authorization your clients send (default 16000)", parsePositiveInt)
    .option("--token-header <name>", "the header your clients put the token in, if not Authorization (e.g. X_Auth_Token)")
    .action(async (rawUrl: string, flags: DoctorFlags) => {
      let target: string;
      try {
        target = httpUrl(rawUrl, "<url>");
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      if (flags.tokenHeader !== undefined && !/^[A-Za-z0-9_-]+$/.test(flags.tokenHeader)) {
        throw new UsageError(`--token-header: '${flags.tokenHeader}' is not a header name`);
      }
      const started = Date.now();
      const result = await diagnose({
        target,
        token: flags.token,
        origin: flags.origin ? parseOrigin(flags.origin) : undefined,
        hops: flags.hop,
        probeKey: flags.probeKey,
        timeoutMs: flags.timeout,
        ...(flags.tokenSize ? { tokenSize: flags.tokenSize } : {}),
        tokenHeader: flags.tokenHeader,
      });
      if (flags.json) process.stdout.write(doctorJson(result));
      else process.stdout.write(renderDoctor(result, styler(useColour(process.stdout)), Date.now() - started));
      process.exitCode = exitCodeFor(result);
    });
}
