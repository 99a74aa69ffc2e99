import { createServer } from "node:http";
import type { Command } from "commander";
import { isProduction } from "../app/environment.js";
import { UsageError } from "../errors.js";
import { closeOnSignals, listen } from "../listen.js";
import { parseHost, parsePort, parsePositiveInt } from "./options.js";

const DEFAULT_PORTS = { app: 3000, probe: 3001, proxy: 3002 } as const;
type Target = keyof typeof DEFAULT_PORTS;

interface ServeOptions {
  /** No commander default: for `serve proxy` an absent --host means the config's listen.host. */
  host?: string;
  port?: number;
  config?: string;
  maxHeaderSize?: number;
  public?: boolean;
}

const DEFAULT_HOST = "127.0.0.1";

async function serveApp(opts: ServeOptions): Promise<void> {
  // Express and jsonwebtoken load only for the command that serves them.
  const { createApp, loadAppConfig, PROBE_PATH } = await import("../app/index.js");
  const config = loadAppConfig(process.env);
  if (config.jwt.usingDefaultSecret) {
    process.stderr.write("warning: JWT_SECRET is not set; using the documented development secret\n");
  }
  const server = createServer({ maxHeaderSize: opts.maxHeaderSize }, createApp(config));
  const url = await listen(server, opts.host ?? DEFAULT_HOST, opts.port ?? DEFAULT_PORTS.app);
  // Handlers before the URL is printed: whoever waits for it may signal at once.
  closeOnSignals([server]);
  process.stdout.write(`authprobe app listening on ${url}\n`);
  if (config.probe.enabled) process.stdout.write(`probe: ${url}${PROBE_PATH}\n`);
}

async function serveProbe(opts: ServeOptions): Promise<void> {
  const accessKey = process.env.AUTHPROBE_PROBE_KEY || undefined;
  // The same rule as the app's probe: in production, a key or an explicit choice to answer anyone.
  if (isProduction() && accessKey === undefined && !opts.public) {
    throw new UsageError("serve probe: NODE_ENV is production: set AUTHPROBE_PROBE_KEY, or pass --public to answer without a key");
  }
  const { createProbeHandler } = await import("../probe/handler.js");
  const handler = createProbeHandler({ accessKey });
  const server = createServer({ maxHeaderSize: opts.maxHeaderSize }, handler);
  const url = await listen(server, opts.host ?? DEFAULT_HOST, opts.port ?? DEFAULT_PORTS.probe);
  // Handlers before the URL is printed: whoever waits for it may signal at once.
  closeOnSignals([server]);
  process.stdout.write(`authprobe probe listening on ${url} (every path and method)\n`);
}

async function serveProxy(opts: ServeOptions): Promise<void> {
  if (!opts.config) throw new UsageError("serve proxy needs --config FILE (see proxy-configs/node/)");
  const { startNodeProxy } = await import("../proxy/start.js");
  const proxy = await startNodeProxy(opts.config, process.env, { host: opts.host, port: opts.port });
  // Handlers before the URL is printed: whoever waits for it may signal at once.
  closeOnSignals([proxy.server]);
  process.stdout.write(`authprobe proxy '${proxy.name}' listening on ${proxy.url} -> ${proxy.target}\n`);
}

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("run the sample app, the standalone probe, or the Node proxy")
    .argument("<what>", "app | probe | proxy")
    .option("--host <host>", "address to listen on (default 127.0.0.1; proxy: the config's)", parseHost)
    .option("--port <port>", "port to listen on (0 picks a free port)", parsePort)
    .option("--max-header-size <bytes>", "Node's header size limit for app and probe (default 16384)", parsePositiveInt)
    .option("--config <file>", "proxy config (JSON, proxy-configs/node/*.json)")
    .option("--public", "serve probe: answer without AUTHPROBE_PROBE_KEY even when NODE_ENV is production")
    .action(async (what: string, opts: ServeOptions) => {
      if (!(what in DEFAULT_PORTS))
        throw new UsageError(`serve: unknown target '${what}' (app, probe or proxy)`);
      const run: Record<Target, (o: ServeOptions) => Promise<void>> = {
        app: serveApp,
        probe: serveProbe,
        proxy: serveProxy,
      };
      await run[what as Target](opts);
    });
}
