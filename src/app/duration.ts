import { ConfigError } from "../errors.js";

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** "900", "15m", "1h", "7d" to seconds; anything else is a ConfigError naming the source. */
export function parseDuration(value: string, source: string): number {
  const match = /^(\d+)\s*([smhd]?)$/.exec(value.trim());
  if (!match) throw new ConfigError(source, `'${value}' is not a duration (examples: 900, 15m, 1h, 7d)`);
  const seconds = Number(match[1]) * (UNITS[match[2] || "s"] ?? 1);
  if (seconds <= 0) throw new ConfigError(source, "duration must be positive");
  return seconds;
}
