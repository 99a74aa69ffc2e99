import { Argument, type Command } from "commander";

/** The one file a user copies per runtime: the very files the probe tests run. */
export const PROBE_FILES = {
  python: "authprobe_probe.py",
  php: "probe.php",
  // The Python file runs as a CGI script by itself (save it as probe.cgi, chmod +x): one file still.
  cgi: "authprobe_probe.py",
} as const;

export type ProbeRuntime = keyof typeof PROBE_FILES;

/** proxy-configs/probes/<file>, from src/cli (tsx) and dist/cli (built) alike. */
export function probeFileUrl(runtime: ProbeRuntime): URL {
  return new URL(`../../proxy-configs/probes/${PROBE_FILES[runtime]}`, import.meta.url);
}

export function registerProbe(program: Command): void {
  const probe = program
    .command("probe")
    .description("the probe to run inside your own stack (Python WSGI/ASGI, PHP, CGI)");
  probe
    .command("print")
    .description("write the probe's single file to stdout, e.g. `authprobe probe print python > authprobe_probe.py`")
    .addArgument(new Argument("<runtime>", "which probe").choices(Object.keys(PROBE_FILES)))
    .action(async (runtime: ProbeRuntime) => {
      // Loaded here, not at start-up: the CLI imports nothing heavy before a command runs.
      const { readFileSync } = await import("node:fs");
      const text = readFileSync(probeFileUrl(runtime));
      await new Promise<void>((resolve, reject) =>
        process.stdout.write(text, (err) => (err ? reject(err) : resolve())),
      );
    });
}
