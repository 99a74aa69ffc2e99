/**
 * NODE_ENV as people actually set it: "Production", " production", "PRODUCTION" all mean
 * production. A typo must never silently run with the development secret and demo users.
 */
export function isProduction(env: Record<string, string | undefined> = process.env): boolean {
  return (env.NODE_ENV ?? "").trim().toLowerCase() === "production";
}

/**
 * A secret that is long but guessable: one repeated character, only spaces, or too few distinct
 * bytes (e.g. "abababab..."). 32 bytes of that carry almost no entropy.
 */
export function lowEntropyReason(secret: string): string | null {
  if (secret.trim() === "") return "is only whitespace";
  const distinct = new Set(secret).size;
  if (distinct < 8) return `uses only ${distinct} distinct character(s): use a random secret, e.g. \`openssl rand -base64 48\``;
  return null;
}
