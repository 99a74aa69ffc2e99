import { ConfigError } from "../errors.js";

/**
 * Renders `${VAR}` placeholders the way nginx's image (envsubst) and Apache (`${VAR}` from the
 * environment) do, so one file serves the tests, the lab and docker compose. `$name` without
 * braces is left alone: that is nginx's own variable syntax. `${VAR:-default}` is for JSON configs.
 */
export function renderTemplate(
  text: string,
  vars: Record<string, string | undefined>,
  source: string,
): string {
  return text.replace(/\$\{([A-Z][A-Z0-9_]*)(?::-([^}]*))?\}/g, (_m, name: string, fallback?: string) => {
    const value = vars[name] ?? fallback;
    if (value === undefined) throw new ConfigError(source, `placeholder \${${name}} has no value`);
    return value;
  });
}

export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{([A-Z][A-Z0-9_]*)(?::-[^}]*)?\}/g)].map((m) => m[1] as string))];
}
