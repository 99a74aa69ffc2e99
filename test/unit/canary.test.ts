import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { mintCanary } from "../../src/doctor/canary.js";
import { CANARY_CLAIM } from "../../src/probe/jwt.js";

const claims = (token: string) => JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
const header = (token: string) => JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;

describe("the canary: a throwaway JWT the probe recognises", () => {
  it("is a Bearer HS256 JWT with the run id in its own claim, a subject and a 5-minute expiry", () => {
    const c = mintCanary({ runId: "0123456789ab" });
    expect(c.runId).toBe("0123456789ab");
    expect(c.scheme).toBe("Bearer");
    expect(c.value).toBe(`Bearer ${c.token}`);
    expect(header(c.token)).toEqual({ alg: "HS256", typ: "JWT" });
    const body = claims(c.token);
    expect(body[CANARY_CLAIM]).toBe("0123456789ab");
    expect(body.sub).toBe("authprobe-canary");
    expect(body).not.toHaveProperty("pad");
    expect((body.exp as number) - (body.iat as number)).toBe(300);
  });

  it("fingerprints the whole value, never keeps the key", () => {
    const c = mintCanary();
    expect(c.runId).toMatch(/^[0-9a-f]{12}$/);
    expect(c.sha256).toBe(createHash("sha256").update(c.value).digest("hex"));
    expect(c.length).toBe(Buffer.byteLength(c.value));
    expect(Object.keys(c)).not.toContain("key");
    expect(mintCanary().runId).not.toBe(c.runId);
  });

  it.each([512, 1024, 4096, 8000, 16000])("padded to land within a few bytes of %i bytes", (bytes) => {
    const c = mintCanary({ bytes });
    expect(Math.abs(c.value.length - bytes)).toBeLessThanOrEqual(8);
    expect(claims(c.token).pad).toMatch(/^x+$/);
  });

  it("a size at or below the bare token's is not padded", () => {
    const bare = mintCanary({ runId: "aaaaaaaaaaaa" });
    const small = mintCanary({ runId: "aaaaaaaaaaaa", bytes: bare.value.length });
    expect(claims(small.token)).not.toHaveProperty("pad");
    expect(small.value.length).toBe(bare.value.length);
  });
});
