import { InvalidArgumentError } from "commander";

/** Commander argument parsers: a bad value names itself and becomes exit code 2. */
export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535)
    throw new InvalidArgumentError("must be a port number from 0 to 65535");
  return n;
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n <= 0) throw new InvalidArgumentError("must be a positive whole number");
  return n;
}

export function parseHost(value: string): string {
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(value))
    throw new InvalidArgumentError("must be a host name or IP address");
  return value;
}
