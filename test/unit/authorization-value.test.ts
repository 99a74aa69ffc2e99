import { describe, expect, it } from "vitest";
import { describeValue, findValueProblems, parseAuthorization, shownScheme } from "../../src/probe/authorization.js";
import { fingerprint } from "../../src/probe/fingerprint.js";

const codes = (value: string, accepted: readonly string[] = []): string[] =>
  findValueProblems(value, accepted).map((p) => p.code);

describe("parseAuthorization: scheme and credentials as RFC 9110 splits them", () => {
  it.each([
    ["Bearer abc", "Bearer", "abc"],
    ["Bearer\tabc", "Bearer", "abc"],
    ["Bearer    abc  ", "Bearer", "abc"],
    ["  Bearer abc", "Bearer", "abc"],
    ["Digest username=\"a\", realm=\"b\"", "Digest", "username=\"a\", realm=\"b\""],
    ["SCRAM-SHA-256 data", "SCRAM-SHA-256", "data"],
    ["Bearer a\nb", "Bearer", "a\nb"],
    ["x!#$%&'*+.^_`|~-y tok", "x!#$%&'*+.^_`|~-y", "tok"],
  ])("%j -> scheme %j, credentials %j", (value, scheme, credentials) => {
    expect(parseAuthorization(value)).toEqual({ scheme, credentials });
  });

  it.each([
    ["abc.def.ghi", "abc.def.ghi"],
    ["  abc  ", "abc"],
    ["Bearer", "Bearer"],
    ["Bea(rer abc", "Bea(rer abc"],
    ["Bea:rer abc", "Bea:rer abc"],
    ["", ""],
  ])("%j has no scheme; the whole trimmed value is the credential", (value, credentials) => {
    expect(parseAuthorization(value)).toEqual({ scheme: null, credentials });
  });

  it("needs the scheme at the very start (a space inside the value does not make one)", () => {
    expect(parseAuthorization("(x) Bearer abc").scheme).toBeNull();
  });
});

describe("shownScheme: only an auth scheme is ever shown", () => {
  it("shows a known scheme in the case it was sent", () => {
    expect(shownScheme("bearer abc")).toBe("bearer");
    expect(shownScheme("Basic dXNlcjpwYXNz")).toBe("Basic");
  });

  it("hides a first word that is not a scheme: it may be the secret", () => {
    expect(shownScheme("s3cr3tTok3n rest")).toBeNull();
  });

  it("shows a scheme the app says it accepts, compared without case", () => {
    expect(shownScheme("Custom abc", ["custom"])).toBe("Custom");
    expect(shownScheme("custom abc", ["CUSTOM"])).toBe("custom");
    expect(shownScheme("Custom abc", ["Other"])).toBeNull();
  });

  it("is null with no scheme at all", () => {
    expect(shownScheme("abc")).toBeNull();
    expect(shownScheme("abc", ["abc"])).toBeNull();
  });
});

describe("describeValue", () => {
  it("carries the name, the shown scheme and the fingerprint, never the value", () => {
    const value = "Bearer secret-token-value";
    const described = describeValue("authorization", value);
    expect(described).toEqual({ name: "authorization", scheme: "Bearer", ...fingerprint(value) });
    expect(JSON.stringify(described)).not.toContain("secret-token-value");
  });

  it("passes the accepted schemes through", () => {
    expect(describeValue("Authorization", "Custom x", ["Custom"]).scheme).toBe("Custom");
    expect(describeValue("Authorization", "Custom x").scheme).toBeNull();
  });
});

describe("findValueProblems", () => {
  it("finds nothing wrong with a well-formed value", () => {
    expect(findValueProblems("Bearer abc.def.ghi")).toEqual([]);
    expect(findValueProblems("Basic dXNlcjpwYXNz")).toEqual([]);
    expect(findValueProblems("Custom abc", ["Custom"])).toEqual([]);
  });

  it.each(["", " ", "\t", "   \t "])("%j is empty, and only that", (value) => {
    expect(findValueProblems(value)).toEqual([{ code: "empty", message: "Authorization is present but empty" }]);
  });

  it("flags a bare token and tells the fix", () => {
    const problems = findValueProblems("abc.def.ghi");
    expect(problems.map((p) => p.code)).toEqual(["no_scheme"]);
    expect(problems[0]?.message).toContain("Bearer <token>");
  });

  it("flags an unknown first word without naming it", () => {
    const problems = findValueProblems("s3cr3tTok3n rest");
    expect(problems.map((p) => p.code)).toEqual(["unknown_scheme"]);
    expect(problems[0]?.message).not.toContain("s3cr3tTok3n");
    expect(problems[0]?.message).toContain("not an auth scheme");
    expect(codes("Custom abc", ["custom"])).toEqual([]);
  });

  it.each([
    ["bearer abc", "Bearer"],
    ["BEARER abc", "Bearer"],
    ["basic dXNlcjpwYXNz", "Basic"],
    ["jwt abc", "JWT"],
    ["token abc", "Token"],
    ["dpop abc", "DPoP"],
    ["negotiate abc", "Negotiate"],
    ["digest username=\"a\"", "Digest"],
  ])("%j is a re-cased scheme (canonical %s)", (value, canonical) => {
    const problems = findValueProblems(value);
    expect(problems.map((p) => p.code)).toEqual(["lowercase_scheme"]);
    expect(problems[0]?.message).toContain(`'${canonical}'`);
    expect(problems[0]?.message).toContain(`'${value.split(" ")[0]}'`);
  });

  it("does not call a scheme re-cased when it has no canonical spelling", () => {
    expect(codes("ntlm abc")).toEqual([]);
    expect(codes("NTLM abc")).toEqual([]);
  });

  it.each([" Bearer abc", "Bearer abc ", "Bearer  abc", "Bearer\tabc", "Bearer \tabc", "Bearer abc\t"])(
    "%j has extra whitespace",
    (value) => {
      expect(codes(value)).toContain("extra_whitespace");
    },
  );

  it.each(["Bearer abc", "Bearer abc def", "Bearer a  b"])("%j has no extra whitespace", (value) => {
    expect(codes(value)).not.toContain("extra_whitespace");
  });

  it.each(["Bearer aaa, Bearer bbb", "Bearer aaa,Bearer bbb", "Basic x, basic y", "Bearer a, JWT b", "Bearer a, Token b", "Bearer a, Digest b"])(
    "%j is two credentials merged by a comma",
    (value) => {
      expect(codes(value)).toContain("comma_merged");
    },
  );

  it.each(["Bearer aaa,bbb", "Digest a=\"1\", b=\"2\"", "Bearer a, Bearerx b", "Bearer a Bearer b"])(
    "%j is not a merged pair",
    (value) => {
      expect(codes(value)).not.toContain("comma_merged");
    },
  );

  it("reports every problem a value has, in a stable order, each with its reason", () => {
    expect(codes(" bearer  a, Bearer b")).toEqual(["lowercase_scheme", "extra_whitespace", "comma_merged"]);
    const [, whitespace, merged] = findValueProblems(" bearer  a, Bearer b");
    expect(whitespace?.message).toMatch(/extra whitespace/);
    expect(merged?.message).toMatch(/joined duplicate headers/);
  });
});
