import { createSecretKey } from "node:crypto";
import jwt from "jsonwebtoken";
import { describe, expect, it } from "vitest";
import { unsupportedCrit, verifyJwt } from "../../src/probe/jwt.js";

// RFC 7515 section 4.1.11: a token whose `crit` names an extension the verifier does not
// implement must be rejected, and a malformed `crit` too. This verifier implements none.

describe("the crit header parameter", () => {
  it.each([
    [null, null],
    [{}, null],
    [{ alg: "HS256" }, null],
    [{ crit: "b64" }, "the crit header parameter is malformed"],
    [{ crit: [] }, "the crit header parameter is malformed"],
    [{ crit: ["b64"] }, "the token requires an extension this server does not implement (crit)"],
    [{ crit: [1] }, "the token requires an extension this server does not implement (crit)"],
  ])("%j: %s", (header, reason) => {
    expect(unsupportedCrit(header)).toBe(reason);
  });

  it("a correctly signed token with crit is refused as malformed, with the reason", () => {
    const key = createSecretKey(Buffer.from("k".repeat(40)));
    const token = jwt.sign({ sub: "1" }, key, { algorithm: "HS256", header: { alg: "HS256", crit: ["exp"] } as jwt.JwtHeader });
    expect(verifyJwt(token, { key, algorithms: ["HS256"] })).toEqual({
      verdict: "malformed",
      reason: "the token requires an extension this server does not implement (crit)",
    });
    const plain = jwt.sign({ sub: "1" }, key, { algorithm: "HS256" });
    expect(verifyJwt(plain, { key, algorithms: ["HS256"] }).verdict).toBe("valid");
  });
});
