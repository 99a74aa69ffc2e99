import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AuthprobeError, ConfigError, ERROR_CODES, UsageError } from "../../src/errors.js";
import { EXIT } from "../../src/exit-codes.js";

const doc = readFileSync(new URL("../../docs/errors.md", import.meta.url), "utf8");
const rows = [...doc.matchAll(/^\| `([A-Z_]+)` \| (\d) \|/gm)].map((m) => [m[1] as string, Number(m[2])] as const);

describe("error codes: code and docs/errors.md agree both ways", () => {
  it("every code is documented with its exit code", () => {
    for (const [code, { exit }] of Object.entries(ERROR_CODES)) expect(rows, code).toContainEqual([code, exit]);
  });

  it("every documented code exists", () => {
    for (const [code] of rows) expect(Object.keys(ERROR_CODES), code).toContain(code);
  });

  it("usage and config errors exit 2, the tool's own failures 3", () => {
    expect(new UsageError("x").exitCode).toBe(EXIT.usage);
    expect(new ConfigError("f", "x").exitCode).toBe(EXIT.usage);
    expect(new ConfigError("f", "x").code).toBe("CONFIG_INVALID");
    expect(new AuthprobeError("TLS_UNTRUSTED", "x").exitCode).toBe(EXIT.failure);
  });
});
