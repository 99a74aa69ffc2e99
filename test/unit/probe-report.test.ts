import { describe, expect, it } from "vitest";
import { hmacHex } from "../../src/probe/fingerprint.js";
import { buildProbeReport, type ProbeOptions } from "../../src/probe/report.js";
import type { ProbeReport } from "../../src/probe/types.js";
import { assertValidReport } from "../support/schema.js";
import { algNone, hs256, NOW, nowSeconds, RSA, rs256, SECRET_KEY } from "../support/tokens.js";

// Not a canary: the probe keys the hash (HMAC under its per-process key), never a plain sha256.
const sha = (v: string) => hmacHex(v);

function report(headers: [string, string][], url = "/", options: ProbeOptions = {}): ProbeReport {
  const r = buildProbeReport(
    { method: "GET", url, rawHeaders: headers.flat(), httpVersion: "1.1", remoteAddress: "127.0.0.1" },
    { now: () => NOW, ...options },
  );
  assertValidReport(r);
  return r;
}

const codes = (r: ProbeReport) => r.authorization.problems.map((p) => p.code);
const verifyHs = { key: SECRET_KEY, algorithms: ["HS256" as const], issuer: "iss-a", audience: "aud-a" };

describe("buildProbeReport: shape and headers", () => {
  it("reports an absent Authorization with nulls and no problems", () => {
    const r = report([["Host", "x"]]);
    expect(r.authorization).toMatchObject({
      present: false,
      count: 0,
      scheme: null,
      length: null,
      sha256: null,
    });
    expect(r.authorization.problems).toEqual([]);
  });

  it("fingerprints the exact value received", () => {
    const r = report([["Authorization", "Bearer abc.def"]]);
    expect(r.authorization).toMatchObject({
      present: true,
      count: 1,
      scheme: "Bearer",
      length: 14,
      sha256: sha("Bearer abc.def"),
    });
  });

  it("keeps header order, original case and duplicates", () => {
    const r = report([
      ["X-B", "1"],
      ["x-a", "2"],
      ["X-B", "3"],
    ]);
    expect(r.headers).toEqual([
      ["X-B", "1"],
      ["x-a", "2"],
      ["X-B", "3"],
    ]);
  });

  it("keeps the name a proxy lowercased", () => {
    const r = report([["authorization", "Bearer t"]]);
    expect(r.authorization.values[0]?.name).toBe("authorization");
  });

  it("reports method, path, http version and remote address", () => {
    const r = buildProbeReport({ method: "POST", url: "/a/b?x=1", rawHeaders: [], httpVersion: "1.0" });
    expect(r.request).toEqual({ method: "POST", path: "/a/b?x=1", httpVersion: "1.0", remoteAddress: null });
  });

  it("collects forwarding headers, duplicates kept", () => {
    const r = report([
      ["Via", "1.1 nginx"],
      ["X-Forwarded-For", "10.0.0.1"],
      ["X-Forwarded-For", "10.0.0.2"],
      ["X-Forwarded-Proto", "https"],
      ["Forwarded", "for=1.2.3.4"],
      ["X-Real-IP", "1.2.3.4"],
    ]);
    expect(r.forwarding.via).toEqual(["1.1 nginx"]);
    expect(r.forwarding.xForwardedFor).toEqual(["10.0.0.1", "10.0.0.2"]);
    expect(r.forwarding.xForwardedProto).toEqual(["https"]);
    expect(r.forwarding.forwarded).toEqual(["for=1.2.3.4"]);
    expect(r.forwarding.xRealIp).toEqual(["1.2.3.4"]);
  });

  it("names the hop when one is given", () => {
    expect(report([], "/", { hop: "gateway" }).hop).toBe("gateway");
  });
});

describe("buildProbeReport: problems", () => {
  const cases: [string, [string, string][], string[]][] = [
    [
      "duplicate headers",
      [
        ["Authorization", "Bearer a"],
        ["Authorization", "Bearer b"],
      ],
      ["duplicate"],
    ],
    ["comma-merged values", [["Authorization", "Bearer a, Bearer b"]], ["comma_merged"]],
    ["lowercase bearer", [["Authorization", "bearer tok"]], ["lowercase_scheme"]],
    ["upper-case BEARER", [["Authorization", "BEARER tok"]], ["lowercase_scheme"]],
    ["lowercase basic", [["Authorization", "basic dXNlcjpwYXNz"]], ["lowercase_scheme"]],
    ["no scheme (bare JWT)", [["Authorization", "eyJhbGciOi.eyJzdWIiOi.c2ln"]], ["no_scheme"]],
    ["two spaces after the scheme", [["Authorization", "Bearer  tok"]], ["extra_whitespace"]],
    ["a tab after the scheme", [["Authorization", "Bearer\ttok"]], ["extra_whitespace"]],
    ["trailing whitespace", [["Authorization", "Bearer tok "]], ["extra_whitespace"]],
    ["empty value", [["Authorization", ""]], ["empty"]],
    [
      "Authentication instead of Authorization",
      [["Authentication", "Bearer tok"]],
      ["misnamed_header", "token_elsewhere"],
    ],
    ["canonical Bearer: no problem", [["Authorization", "Bearer tok"]], []],
    ["canonical JWT scheme: no problem", [["Authorization", "JWT tok"]], []],
    ["a first word that is not an auth scheme is flagged, not shown", [["Authorization", "Custom tok"]], ["unknown_scheme"]],
  ];
  it.each(cases)("%s", (_name, headers, expected) => {
    expect(codes(report(headers))).toEqual(expected);
  });

  it("counts duplicates and fingerprints each value", () => {
    const r = report([
      ["Authorization", "Bearer a"],
      ["Authorization", "Bearer bb"],
    ]);
    expect(r.authorization.count).toBe(2);
    expect(r.authorization.values.map((v) => v.length)).toEqual([8, 9]);
    expect(r.authorization.sha256).toBe(sha("Bearer a"));
  });

  it("parses the scheme of a Basic credential", () => {
    expect(report([["Authorization", "Basic dXNlcjpwYXNz"]]).authorization.scheme).toBe("Basic");
  });
});

describe("buildProbeReport: alternatives", () => {
  it("finds a token in a cookie", () => {
    const r = report([["Cookie", "theme=dark; access_token=abc123"]]);
    expect(r.alternatives).toMatchObject([
      { where: "cookie", name: "access_token", length: 6, underscore: true },
    ]);
    expect(codes(r)).toEqual(["token_elsewhere"]);
  });

  it("finds a JWT-looking cookie whatever its name", () => {
    const r = report([["Cookie", "sid2=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln"]]);
    expect(r.alternatives[0]).toMatchObject({ where: "cookie", name: "sid2", looksLikeJwt: true });
  });

  it("finds a token in the query string", () => {
    const r = report([], "/api?access_token=xyz&page=2");
    expect(r.alternatives).toMatchObject([{ where: "query", name: "access_token", length: 3 }]);
  });

  it("finds underscore headers such as X_Auth_Token", () => {
    const r = report([["X_Auth_Token", "t1"]]);
    expect(r.alternatives).toMatchObject([{ where: "header", name: "X_Auth_Token", underscore: true }]);
  });

  it("finds access_token sent as a header", () => {
    expect(report([["access_token", "t1"]]).alternatives[0]).toMatchObject({
      name: "access_token",
      underscore: true,
    });
  });

  it("finds X-Api-Key with a dash", () => {
    expect(report([["X-Api-Key", "k"]]).alternatives[0]).toMatchObject({
      name: "X-Api-Key",
      underscore: false,
    });
  });

  it("does not call token_elsewhere when Authorization is also present", () => {
    expect(
      codes(
        report([
          ["Authorization", "Bearer a"],
          ["X-Auth-Token", "b"],
        ]),
      ),
    ).toEqual([]);
  });

  it("ignores ordinary headers and query parameters", () => {
    expect(report([["Accept", "text/plain"]], "/x?page=1").alternatives).toEqual([]);
  });
});

describe("buildProbeReport: JWT", () => {
  const base = {
    sub: "42",
    iss: "iss-a",
    aud: "aud-a",
    iat: nowSeconds - 60,
    exp: nowSeconds + 3600,
    jti: "j1",
  };

  it("decodes header and registered claims with readable times", () => {
    const r = report([["Authorization", `Bearer ${hs256(base)}`]]);
    const j = r.authorization.jwt;
    expect(j?.header).toEqual({ alg: "HS256", typ: "JWT" });
    expect(j?.claims).toMatchObject({ sub: "42", iss: "iss-a", aud: "aud-a", jti: "j1" });
    expect(j?.claims.exp?.relative).toBe("in 1h 0s");
    expect(j?.claims.iat?.relative).toBe("1m 0s ago");
    expect(j?.claims.exp?.iso).toBe("2026-11-22T13:00:00.000Z");
  });

  it("says not_checked without a key", () => {
    expect(report([["Authorization", `Bearer ${hs256(base)}`]]).authorization.jwt?.verification.verdict).toBe(
      "not_checked",
    );
  });

  const verdicts: [string, string, string][] = [
    ["valid", hs256(base), "valid"],
    ["bad signature", hs256(base, "another-secret"), "bad_signature"],
    ["expired", hs256({ ...base, exp: nowSeconds - 5 }), "expired"],
    ["not yet valid", hs256({ ...base, nbf: nowSeconds + 600 }), "not_yet_valid"],
    ["wrong audience", hs256({ ...base, aud: "other" }), "wrong_audience"],
    ["wrong issuer", hs256({ ...base, iss: "other" }), "wrong_issuer"],
    ["alg none", algNone(base), "algorithm_not_allowed"],
    ["RS256 against an HS256 key", rs256(base), "algorithm_not_allowed"],
    ["malformed payload", "eyJhbGciOiJIUzI1NiJ9.bm90LWpzb24.c2ln", "malformed"],
  ];
  it.each(verdicts)("verdict: %s", (_name, token, verdict) => {
    const r = report([["Authorization", `Bearer ${token}`]], "/", { verify: verifyHs });
    expect(r.authorization.jwt?.verification.verdict).toBe(verdict);
  });

  it("verifies RS256 with a public key", () => {
    const r = report([["Authorization", `Bearer ${rs256(base)}`]], "/", {
      verify: { key: RSA.publicKey, algorithms: ["RS256"], issuer: "iss-a", audience: "aud-a" },
    });
    expect(r.authorization.jwt?.verification.verdict).toBe("valid");
  });

  it("shows private claim names only, never values", () => {
    const r = report([
      ["Authorization", `Bearer ${hs256({ ...base, email: "a@example.com", role: "admin" })}`],
    ]);
    expect(r.authorization.jwt?.privateClaims).toEqual(["email", "role"]);
    expect(r.authorization.jwt?.privateClaimValues).toBeUndefined();
    expect(JSON.stringify(r)).not.toContain("a@example.com");
  });

  it("shows private claim values for the doctor's canary", () => {
    const r = report([["Authorization", `Bearer ${hs256({ ...base, authprobe_canary: "run-1" })}`]]);
    expect(r.authorization.jwt?.canary).toBe(true);
    expect(r.authorization.jwt?.privateClaimValues).toEqual({ authprobe_canary: "run-1" });
  });

  it("does not decode opaque tokens", () => {
    expect(report([["Authorization", "Bearer opaque-token-123"]]).authorization.jwt).toBeNull();
  });
});

describe("buildProbeReport: redaction", () => {
  const token = hs256({ sub: "1" });
  const secretHeaders: [string, string][] = [
    ["Authorization", `Bearer ${token}`],
    ["Proxy-Authorization", "Basic cHJveHk6c2VjcmV0LXZhbHVl"],
    ["Cookie", "session=cookie-secret-value-1"],
    ["X-Api-Key", "apikey-secret-value-2"],
    ["Api-Key", "apikey-secret-value-3"],
    ["X-Auth-Token", "auth-token-secret-value-4"],
    ["X_Auth_Token", "auth-token-secret-value-5"],
    ["access_token", "auth-token-secret-value-6"],
    ["X-Access-Token", "auth-token-secret-value-7"],
    ["Authentication", "Bearer misnamed-secret-value-8"],
    ["X-Authprobe-Key", "probe-key-secret-value-9"],
    ["X-Custom", `Bearer custom-secret-value-10`],
    ["X-Whatever", token],
    ["X-Session-Id", "session-secret-value-11"],
    ["X-Client-Secret", "client-secret-value-12"],
  ];
  it.each(secretHeaders)("never echoes %s", (name, value) => {
    const r = report([[name, value]]);
    const body = JSON.stringify(r);
    expect(body).not.toContain(value);
    for (const part of value.split(/[\s=;]/).filter((p) => p.length >= 8)) expect(body).not.toContain(part);
    expect(r.headers[0]?.[1]).toMatch(/^\[redacted length=\d+ hmac=[0-9a-f]{12}\]$/);
  });

  it("redacts token query values in the echoed path", () => {
    const r = report([], `/api?access_token=${token}&page=2`);
    expect(JSON.stringify(r)).not.toContain(token);
    expect(r.request.path).toContain("page=2");
  });

  it("leaves ordinary headers readable", () => {
    expect(report([["User-Agent", "curl/8"]]).headers).toEqual([["User-Agent", "curl/8"]]);
  });

  it("leaves the control header readable", () => {
    expect(report([["X-Authprobe-Control", "c-123"]]).headers).toEqual([["X-Authprobe-Control", "c-123"]]);
  });
});
