import fc from "fast-check";
import jwt from "jsonwebtoken";
import { describe, expect, it } from "vitest";
import { decodeJws, MAX_DECODED_TOKEN } from "../../src/probe/jwt.js";

/**
 * The probe decodes tokens for display without jws (a tenth of its CPU per request went there):
 * the same header and payload jsonwebtoken's decode gives, and null wherever that gave nothing.
 */
const segment = (v: unknown) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v), "utf8").toString("base64url");

/** What the probe showed before: jsonwebtoken's decode, complete, an object payload only. */
function oracle(token: string) {
  let d: jwt.Jwt | null = null;
  try {
    d = token.length <= MAX_DECODED_TOKEN ? jwt.decode(token, { complete: true, json: true }) : null;
  } catch {
    return null;
  }
  if (!d || typeof d.payload !== "object" || d.payload === null) return null;
  return { header: d.header, payload: d.payload };
}

const json = fc.jsonValue({ maxDepth: 3 });
const piece = fc.oneof(
  json.map(segment),
  fc.string({ unit: "binary", maxLength: 40 }).map(segment),
  fc.stringMatching(/^[A-Za-z0-9_=+/.-]{0,12}$/),
);

describe("decodeJws: jws.decode's result without jws", () => {
  it("agrees with jsonwebtoken's decode on tokens and near-tokens", () => {
    fc.assert(
      fc.property(piece, piece, fc.oneof(piece, fc.constant("")), fc.boolean(), (h, p, s, jwe) => {
        const token = jwe ? `${h}.${p}.${s}.x.y` : `${h}.${p}.${s}`;
        expect(decodeJws(token)).toEqual(oracle(token));
      }),
      { numRuns: 2000 },
    );
  });

  it("decodes a real token, a non-ASCII claim and an unsigned token like jws did", () => {
    const signed = jwt.sign({ sub: "1", name: "Zoë 東京" }, "secret-secret-secret-secret-secret");
    expect(decodeJws(signed)).toEqual(oracle(signed));
    expect(decodeJws(signed)?.payload["name"]).toBe("Zoë 東京");
    const unsigned = `${segment({ alg: "none" })}.${segment({ sub: "2" })}.`;
    expect(decodeJws(unsigned)).toEqual({ header: { alg: "none" }, payload: { sub: "2" } });
  });

  it("refuses what jws refused: a header that is not truthy JSON, a payload that is not an object, an oversize token", () => {
    expect(decodeJws(`${segment(0)}.${segment({ a: 1 })}.x`)).toBeNull();
    expect(decodeJws(`${segment({ alg: "HS256" })}.${segment(5)}.x`)).toBeNull();
    expect(decodeJws(`${segment({ alg: "HS256" })}.${segment("not json")}.x`)).toBeNull();
    const big = `${segment({ alg: "HS256" })}.${segment({ pad: "a".repeat(MAX_DECODED_TOKEN) })}.x`;
    expect(oracle(big)).toBeNull();
    expect(decodeJws(big)).toBeNull();
  });
});
