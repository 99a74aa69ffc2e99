import { readFileSync } from "node:fs";
import { type Command, InvalidArgumentError, Option } from "commander";
import type { HopTarget } from "../doctor/types.js";
import { UsageError } from "../errors.js";
import { parsePositiveInt } from "./options.js";

interface DoctorFlags {
  json?: boolean;
  token?: string;
  authorization?: string;
  method?: string;
  data?: string;
  dataFile?: string;
  header?: [string, string][];
  origin?: string;
  hop?: HopTarget[];
  probeKey?: string;
  timeout: number;
  deadline: number;
  tokenSize?: number;
  tokenHeader?: string;
  cacert?: string;
  insecure?: boolean;
  credentials?: boolean;
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

function parseHop(value: string, previous: HopTarget[] = []): HopTarget[] {
  const eq = value.indexOf("=");
  if (eq <= 0) throw new InvalidArgumentError(`must be NAME=URL, got '${value}'`);
  return [...previous, { name: value.slice(0, eq), url: httpUrl(value.slice(eq + 1), "--hop") }];
}

/** Seconds, more than 0 and at most `max`, as milliseconds. */
function seconds(max: number): (value: string) => number {
  return (value) => {
    const s = Number(value);
    if (!Number.isFinite(s) || s <= 0 || s > max) {
      throw new InvalidArgumentError(`must be more than 0 and at most ${max} seconds, e.g. 5 or 0.5`);
    }
    return Math.round(s * 1000);
  };
}

function readCa(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(`--cacert: cannot read '${file}' (${(err as NodeJS.ErrnoException).code})`);
  }
  if (!text.includes("-----BEGIN CERTIFICATE-----")) throw new UsageError(`--cacert: '${file}' holds no PEM certificate`);
  return text;
}

function parseHeader(value: string, previous: [string, string][] = []): [string, string][] {
  const colon = value.indexOf(":");
  const name = colon > 0 ? value.slice(0, colon).trim() : "";
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new InvalidArgumentError(`must be NAME:VALUE, e.g. 'X-Api-Key: abc', got '${value}'`);
  if (name.toLowerCase() === "authorization") throw new InvalidArgumentError("use --token or --authorization for Authorization");
  return [...previous, [name, value.slice(colon + 1).trim()]];
}

function parseMethod(value: string): string {
  if (!/^[A-Za-z]+$/.test(value)) throw new InvalidArgumentError(`'${value}' is not an HTTP method (e.g. GET, POST, PUT)`);
  return value.toUpperCase();
}

function readData(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(`--data-file: cannot read '${file}' (${(err as NodeJS.ErrnoException).code})`);
  }
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
    .option("--json", "print {target, verdict, findings, notes} and nothing else")
    .option("--token <token>", "your real token, for black-box checks (never printed): a bare token is sent as 'Bearer <token>', a value with a scheme ('JWT eyJ...') as it is")
    .option("--authorization <value>", "the exact Authorization value your client sends (e.g. a bare token), for black-box checks (never printed)")
    .option("--method <method>", "the method of the checks' requests, for a route that answers only POST, say (default GET)", parseMethod)
    .option("--data <body>", "a body sent with that method (e.g. a login's JSON); add --header 'Content-Type: application/json'")
    .option("--data-file <file>", "the body from a file")
    .option("--header <name:value>", "a header your client sends with every request, e.g. an API key (repeatable; never sent to another origin)", parseHeader)
    .option("--origin <origin>", "check the CORS preflight a browser on this origin sends")
    .option("--hop <name=url>", "a hop-echo URL in front of the app (repeatable)", parseHop)
    .option("--probe-key <key>", "X-Authprobe-Key for a probe that requires one")
    // Defaults shown in the unit the flag takes (seconds), held in milliseconds.
    .addOption(new Option("--timeout <seconds>", "idle timeout of one request, in seconds").argParser(seconds(120)).default(5000, "5"))
    .addOption(new Option("--deadline <seconds>", "the whole run ends by then, with what it learned").argParser(seconds(600)).default(30000, "30"))
    .option("--cacert <file>", "trust this CA (PEM) for https, e.g. a private or lab CA")
    .option("--insecure", "do not verify https certificates")
    .option("--credentials", "with --origin: the page calls with credentials: \"include\" (cookies)")
    .option("--token-size <bytes>", "the largest Authorization your clients send (default 16000)", parsePositiveInt)
    .option("--token-header <name>", "the header your clients put the token in, if not Authorization (e.g. X_Auth_Token)")
    .action(async (rawUrl: string, flags: DoctorFlags) => {
      let target: string;
      try {
        target = httpUrl(rawUrl, "<url>");
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      if (flags.token !== undefined && flags.authorization !== undefined) {
        throw new UsageError("--token and --authorization: give one (--authorization sends its value exactly as given)");
      }
      if (flags.data !== undefined && flags.dataFile !== undefined) throw new UsageError("--data and --data-file: give one");
      const data = flags.dataFile !== undefined ? readData(flags.dataFile) : flags.data;
      if (data !== undefined && (flags.method === undefined || flags.method === "GET" || flags.method === "HEAD")) {
        throw new UsageError("--data needs --method POST (or PUT, PATCH, DELETE): GET and HEAD send no body");
      }
      if (flags.tokenHeader !== undefined && !/^[A-Za-z0-9_-]+$/.test(flags.tokenHeader)) {
        throw new UsageError(`--token-header: '${flags.tokenHeader}' is not a header name`);
      }
      const started = Date.now();
      // Loaded here, not at the top: every other command (and --help) starts without the doctor.
      const [{ diagnose }, { exitCodeFor }, { doctorJson, renderDoctor }, { styler, useColour }] = await Promise.all([
        import("../doctor/diagnose.js"),
        import("../doctor/verdict.js"),
        import("./render-doctor.js"),
        import("./style.js"),
      ]);
      const result = await diagnose({
        target,
        token: flags.token,
        authorization: flags.authorization,
        method: flags.method,
        data,
        headers: flags.header,
        origin: flags.origin ? parseOrigin(flags.origin) : undefined,
        hops: flags.hop ?? [],
        probeKey: flags.probeKey,
        timeoutMs: flags.timeout,
        deadlineMs: flags.deadline,
        ...(flags.cacert ? { cacert: readCa(flags.cacert) } : {}),
        ...(flags.insecure ? { insecure: true } : {}),
        ...(flags.credentials ? { credentials: true } : {}),
        ...(flags.tokenSize ? { tokenSize: flags.tokenSize } : {}),
        tokenHeader: flags.tokenHeader,
      });
      if (flags.json) process.stdout.write(doctorJson(result));
      else process.stdout.write(renderDoctor(result, styler(useColour(process.stdout)), Date.now() - started));
      process.exitCode = exitCodeFor(result);
    });
}
