/**
 * Claim values come from whoever sent the token: a claim nested 4,000 levels deep must not crash
 * JSON.stringify or the HTML page. Shown values are cut at a depth, a width and a length.
 */
const MAX_DEPTH = 4;
const MAX_ITEMS = 20;
const MAX_STRING = 256;

export function bounded(value: unknown, depth = 0): unknown {
  if (value === null || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (typeof value === "string") {
    return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}... (${value.length} characters)` : value;
  }
  if (typeof value !== "object") return `[${typeof value}]`;
  if (depth >= MAX_DEPTH) return `[${Array.isArray(value) ? "array" : "object"} nested deeper than ${MAX_DEPTH} levels: not shown]`;
  if (Array.isArray(value)) {
    const shown = value.slice(0, MAX_ITEMS).map((v) => bounded(v, depth + 1));
    return value.length > MAX_ITEMS ? [...shown, `... ${value.length - MAX_ITEMS} more`] : shown;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const shown = Object.fromEntries(entries.slice(0, MAX_ITEMS).map(([k, v]) => [k.slice(0, MAX_STRING), bounded(v, depth + 1)]));
  if (entries.length > MAX_ITEMS) shown["..."] = `${entries.length - MAX_ITEMS} more`;
  return shown;
}
