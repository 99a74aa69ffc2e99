import type { Command } from "commander";
import { parseDuration } from "../app/duration.js";
import { UsageError } from "../errors.js";

export function registerToken(program: Command): void {
  program
    .command("token")
    .description("mint a token the sample app accepts (same JWT_SECRET), for curl")
    .option("--sub <subject>", "subject (user id)", "1")
    .option("--ttl <duration>", "lifetime: 900, 15m, 1h, 7d", "15m")
    .option("--role <role>", "role claim: user or admin", "user")
    .action(async (opts: { sub: string; ttl: string; role: string }) => {
      if (opts.sub === "") throw new UsageError("--sub must not be empty");
      if (opts.role !== "user" && opts.role !== "admin")
        throw new UsageError("--role must be 'user' or 'admin'");
      let ttlSeconds: number;
      try {
        ttlSeconds = parseDuration(opts.ttl, "--ttl");
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      const { loadJwtConfig, signToken } = await import("../app/jwt-config.js"); // jsonwebtoken: only here
      const config = loadJwtConfig(process.env);
      if (config.usingDefaultSecret) {
        process.stderr.write(
          "warning: JWT_SECRET is not set; signing with the documented development secret\n",
        );
      }
      process.stdout.write(`${signToken(config, { sub: opts.sub, role: opts.role, ttlSeconds })}\n`);
    });
}
