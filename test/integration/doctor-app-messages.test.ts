import { describe, expect, it } from "vitest";
import { diagnose } from "../../src/doctor/diagnose.js";
import { useServers } from "../support/servers.js";

// Black-box mode reads the app's own refusal: frameworks' real messages for "wrong scheme" and
// "no token", and near misses that must not be read as either.

const { serve } = useServers();
const TOKEN = "Bearer abc.def.ghi";

/** An app that refuses every request with the same 401 (as if the token never arrived). */
const refusing = (message: string, challenge?: string) =>
  serve((_req, res) => {
    res.writeHead(401, { "content-type": "application/json", ...(challenge ? { "www-authenticate": challenge } : {}) });
    res.end(JSON.stringify({ message }));
  });

/** An app that says "missing" without a header and `message` to any Authorization it gets. */
const complaining = (message: string, challenge?: string) =>
  serve((req, res) => {
    res.writeHead(401, { "content-type": "application/json", ...(challenge ? { "www-authenticate": challenge } : {}) });
    res.end(JSON.stringify({ message: req.headers.authorization ? message : "Missing Authorization Header" }));
  });

/** Finding codes with the user's token (or, with null, only the doctor's canary). */
const codes = async (url: string, token: string | null = TOKEN) =>
  (await diagnose({ target: url, tokenSize: 1024, ...(token ? { token } : {}) })).findings.map((f) => f.code);

describe("the app says the scheme is wrong: SCHEME_MISMATCH", () => {
  it.each([
    ["flask-jwt", "Unsupported authorization type"],
    ["a hand-written check", "Authorization header must start with Bearer"],
    ["PyJWT helpers", "Invalid Authorization header prefix"],
    ["flask-jwt-extended", "Missing 'JWT' Type in 'Authorization' Header. Expected 'Authorization: JWT <JWT>'"],
    ["express-jwt", "Format is Authorization: Bearer [token]"],
    ["flask-jwt-extended (old)", "Bad Authorization header. Expected value 'JWT <JWT>'"],
    ["express-jwt's code", "credentials_bad_scheme"],
    ["a gateway", "Invalid authentication scheme"],
    ["a framework", "Expected 'Token <token>'"],
    ["a plugin", "Unsupported scheme"],
    ["British spelling", "Unsupported authorisation type"],
  ])("%s: %s", async (_who, message) => {
    expect(await codes(await complaining(message))).toEqual(["PROBE_NOT_FOUND", "SCHEME_MISMATCH"]);
  });

  it("the same message with and without a token proves nothing about the scheme: the token made no difference", async () => {
    const result = await diagnose({ target: await refusing("Unsupported authorization type"), tokenSize: 1024, token: TOKEN });
    expect(result.findings.map((f) => f.code)).toEqual(["PROBE_NOT_FOUND", "AUTH_NOT_VERIFIED"]);
    expect(result.findings[1]?.evidence.data).toMatchObject({ reason: "same-answer", sameAsWithout: true, tried: ["Bearer: 401 (ignored)", "JWT: 401 (ignored)", "Token: 401 (ignored)", "no scheme: 401 (ignored)"] });
  });

  it("a challenge for the app's own scheme (JWT) is enough when the app read the header, and the evidence says so", async () => {
    const url = await complaining("nope", "JWT realm=\"api\"");
    const result = await diagnose({ target: url, tokenSize: 1024, token: TOKEN });
    const f = result.findings.find((x) => x.code === "SCHEME_MISMATCH");
    expect(f?.evidence.data).toMatchObject({ otherScheme: "jwt", acceptedAs: null, withToken: 401, without: 401 });
    expect(f?.evidence.notes?.[1]).toBe("The app wants another scheme: its challenge asks for 'jwt'.");
    expect(f?.fix.steps[0]).toBe("Send `Authorization: JWT <token>` (the scheme its challenge asks for), not `Authorization: Bearer <token>`.");
  });

  it("a client that already sends the scheme the challenge asks for, through a hop that strips it: never SCHEME_MISMATCH", async () => {
    const result = await diagnose({ target: await refusing("nope", "JWT realm=\"api\""), tokenSize: 1024, token: "JWT abc.def.ghi" });
    expect(result.findings.map((f) => f.code)).toEqual(["PROBE_NOT_FOUND", "AUTH_NOT_VERIFIED"]);
  });

  it("a Basic challenge is a proxy's, not the app's scheme", async () => {
    expect(await codes(await refusing("nope", "Basic realm=\"x\""))).not.toContain("SCHEME_MISMATCH");
  });
});

describe("the app says no token arrived: AUTH_STRIPPED (a hop probably dropped it)", () => {
  it.each([
    ["flask-jwt-extended", "Missing Authorization Header"],
    ["flask-jwt", "Request does not contain an access token"],
    ["DRF", "Authentication credentials were not provided."],
    ["express-jwt", "No authorization token was found"],
    ["a hand-written check", "Token is missing"],
    ["another", "Authorization header required"],
    ["another", "credentials not provided"],
    ["Spring-like", "Authentication required"],
    ["a gateway", "Unauthorized: no credentials"],
    ["another", "missing bearer token"],
  ])("%s: %s", async (_who, message) => {
    expect(await codes(await refusing(message))).toEqual(["PROBE_NOT_FOUND", "AUTH_STRIPPED"]);
  });

  it.each([
    ["FastAPI's HTTPBearer (403)", 403, { detail: "Not authenticated" }],
    ["FastAPI's OAuth2PasswordBearer (401)", 401, { detail: "Not authenticated" }],
    ["gin-jwt", 401, { code: 401, message: "auth header is empty" }],
  ])("%s", async (_who, status, body) => {
    const url = await serve((_req, res) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    });
    expect(await codes(url)).toEqual(["PROBE_NOT_FOUND", "AUTH_STRIPPED"]);
  });

  it("FastAPI's tutorial answer to a bad token is not a missing one", async () => {
    const url = await serve((req, res) => {
      res.writeHead(401, { "content-type": "application/json", "www-authenticate": "Bearer" });
      res.end(JSON.stringify({ detail: req.headers.authorization ? "Could not validate credentials" : "Not authenticated" }));
    });
    expect(await codes(url)).toEqual(["PROBE_NOT_FOUND", "TOKEN_REJECTED"]);
  });

  it("a Bearer challenge without an error is the missing-token answer (RFC 6750 section 3.1)", async () => {
    expect(await codes(await refusing("nope", "Bearer realm=\"api\""))).toEqual(["PROBE_NOT_FOUND", "AUTH_STRIPPED"]);
  });

  it("request ids and timestamps that change every time do not make the answers differ", async () => {
    let n = 0;
    const url = await serve((_req, res) => {
      n += 1;
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: "Missing Authorization Header", requestId: `a1b2c3d4e5f6${n}`, at: Date.now() + n }));
    });
    const result = await diagnose({ target: url, tokenSize: 1024, token: TOKEN });
    const stripped = result.findings.find((f) => f.code === "AUTH_STRIPPED");
    expect(stripped?.server).toBe("unknown");
    expect(stripped?.evidence.data).toMatchObject({ sameAsWithout: true, withToken: 401, without: 401 });
    expect(stripped?.evidence.received).toMatch(/^401, the same answer as without a token \(/);
    expect(JSON.stringify(result)).not.toContain("abc.def.ghi");
  });

  it.each([
    ["an expired token", "Token has expired"],
    ["a bad signature", "Signature verification failed"],
    ["Laravel", "Unauthenticated."],
    ["a word inside another", "nothing to say about notokens"],
  ])("near miss, %s: not read as a missing token, and, the same with and without one, not verified either", async (_who, message) => {
    expect(await codes(await refusing(message))).toEqual(["PROBE_NOT_FOUND", "AUTH_NOT_VERIFIED"]);
  });

  it("a Bearer challenge with an error is about a bad token, not a missing one", async () => {
    expect(await codes(await refusing("nope", "Bearer error=\"invalid_token\""))).toEqual(["PROBE_NOT_FOUND", "AUTH_NOT_VERIFIED"]);
  });
});

describe("the app saw the token and refused it: TOKEN_REJECTED", () => {
  const judging = () =>
    serve((req, res) => {
      if (!req.headers.authorization) {
        res.writeHead(401, { "www-authenticate": "Bearer realm=\"api\"", "content-type": "application/json" });
        res.end("{\"message\":\"Missing Authorization Header\"}");
        return;
      }
      res.writeHead(401, { "www-authenticate": "Bearer error=\"invalid_token\", error_description=\"Signature verification failed\"" });
      res.end();
    });

  it("with the user's token: the app's own error, and why it is not a proxy finding", async () => {
    const result = await diagnose({ target: await judging(), tokenSize: 1024, token: TOKEN });
    const f = result.findings.find((x) => x.code === "TOKEN_REJECTED");
    expect(f?.evidence.received).toBe("401 error=\"invalid_token\" Signature verification failed");
    expect(f?.evidence.notes?.[1]).toBe("Without the token the answer differs (401): the app saw your token and refused it.");
    expect(f?.evidence.sent).toBe("Authorization: Bearer <your token, 18 bytes>");
    expect(result.findings.map((x) => x.code)).toEqual(["PROBE_NOT_FOUND", "TOKEN_REJECTED"]);
  });

  it("a bare token from the user is sent as Bearer", async () => {
    const result = await diagnose({ target: await judging(), tokenSize: 1024, token: "abc.def.ghi" });
    expect(result.findings.find((x) => x.code === "TOKEN_REJECTED")?.evidence.sent).toBe("Authorization: Bearer <your token, 18 bytes>");
  });

  it("with only the canary, a refusal that differs is expected: no finding", async () => {
    expect(await codes(await judging(), null)).toEqual(["PROBE_NOT_FOUND"]);
  });

  it("a 403 or a 404 that differs from the token-less answer is a refusal of the token; a 200 is acceptance", async () => {
    const status = (code: number) =>
      serve((req, res) => {
        res.writeHead(req.headers.authorization ? code : 401);
        res.end(req.headers.authorization ? "forbidden" : "Missing Authorization Header");
      });
    expect(await codes(await status(403))).toContain("TOKEN_REJECTED");
    expect(await codes(await status(200))).toEqual(["PROBE_NOT_FOUND"]);
    expect(await codes(await status(404))).toContain("TOKEN_REJECTED");
  });
});

describe("what a black-box finding says, and about whom", () => {
  it("the app names itself (X-Powered-By: Express, Server: gunicorn): blamed on it; a proxy's Server header is not the app", async () => {
    const named = (headers: Record<string, string>) =>
      serve((_req, res) => {
        res.writeHead(401, { "content-type": "application/json", ...headers });
        res.end(_req.headers.authorization ? "{\"message\":\"Unsupported authorization type\"}" : "{\"message\":\"Missing Authorization Header\"}");
      });
    const by = async (headers: Record<string, string>) =>
      (await diagnose({ target: await named(headers), tokenSize: 1024, token: TOKEN })).findings.find((f) => f.code === "SCHEME_MISMATCH")?.server;
    expect(await by({ "x-powered-by": "Express" })).toBe("node");
    expect(await by({ server: "gunicorn" })).toBe("gunicorn");
    expect(await by({ server: "uWSGI" })).toBe("uwsgi");
    expect(await by({ server: "nginx/1.22.1" })).toBe("unknown");
  });

  it("an app that takes the token under another scheme: every piece of evidence, and the scheme it took", async () => {
    const url = await serve((req, res) => {
      if (req.headers.authorization === "JWT abc.def.ghi") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end("{}");
        return;
      }
      res.writeHead(401, { "www-authenticate": "JWT realm=\"api\", error_description=\"Unsupported authorization type\"" });
      res.end("  refused \n  here ");
    });
    const result = await diagnose({ target: url, tokenSize: 1024, token: TOKEN });
    const f = result.findings.find((x) => x.code === "SCHEME_MISMATCH");
    expect(f?.evidence.received).toBe("401 Unsupported authorization type");
    expect(f?.evidence.notes).toEqual([
      "Without a probe this is inferred from the answers, not seen at the app.",
      "The app wants another scheme: its challenge asks for 'jwt'; the same token is accepted as 'JWT <token>'; sent as you send it, it got the same answer as no token at all.",
    ]);
    expect(f?.evidence.data).toEqual({
      withToken: 401,
      without: 401,
      challenge: "JWT realm=\"api\", error_description=\"Unsupported authorization type\"",
      reading: "ignored",
      acceptedAs: "'JWT <token>'",
      otherScheme: "jwt",
      tried: ["Bearer: 401 (ignored)", "JWT: 200 (accepted)"],
    });
    expect(f?.fix.steps[0]).toBe("Send `Authorization: JWT <token>` (the form the app accepted), not `Authorization: Bearer <token>`.");
  });

  it("the retries stop at the first scheme the app takes, and never resend the one that failed", async () => {
    const seen: string[] = [];
    const url = await serve((req, res) => {
      seen.push(req.headers.authorization ?? "(none)");
      const ok = req.headers.authorization === "Token abc.def.ghi";
      res.writeHead(ok ? 200 : 401);
      res.end(ok ? "{}" : "Invalid scheme");
    });
    const result = await diagnose({ target: url, tokenSize: 1024, token: TOKEN });
    expect(result.findings.find((x) => x.code === "SCHEME_MISMATCH")?.evidence.data).toMatchObject({ acceptedAs: "'Token <token>'", otherScheme: null });
    // After the user's token and the request without one: the retries, then nothing else with that token.
    const retries = seen.slice(seen.indexOf("(none)") + 1).filter((v) => v.includes("abc.def.ghi"));
    expect(retries).toEqual(["JWT abc.def.ghi", "Token abc.def.ghi"]);
  });

  it("a refusal without a body or message: the received line says so, whitespace collapsed elsewhere", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(401, { "www-authenticate": "Bearer realm=\"api\"" });
      res.end();
    });
    const f = (await diagnose({ target: url, tokenSize: 1024, token: TOKEN })).findings.find((x) => x.code === "AUTH_STRIPPED");
    expect(f?.evidence.received).toBe("401, the same answer as without a token (no body)");
    expect(f?.evidence.notes?.[1]).toMatch(/^The app answers as if no token were sent: a hop in front of it probably drops it\./);
    const spaced = await serve((_req, res) => {
      res.writeHead(401);
      res.end("Missing\n\n   Authorization   Header");
    });
    const g = (await diagnose({ target: spaced, tokenSize: 1024, token: TOKEN })).findings.find((x) => x.code === "AUTH_STRIPPED");
    expect(g?.evidence.received).toBe("401, the same answer as without a token (Missing Authorization Header)");
  });

  it("TOKEN_REJECTED without an error code: the status and the body", async () => {
    const url = await serve((req, res) => {
      res.writeHead(401);
      res.end(req.headers.authorization ? "token expired" : "Missing Authorization Header");
    });
    const f = (await diagnose({ target: url, tokenSize: 1024, token: TOKEN })).findings.find((x) => x.code === "TOKEN_REJECTED");
    expect(f?.evidence.received).toBe("401 token expired");
    expect(f?.evidence.data).toEqual({ withToken: 401, without: 401, challenge: null, reading: "read" });
  });

  it("a challenge naming Bearer after another scheme, with no error, is not the missing-token answer", async () => {
    expect(await codes(await refusing("nope", "Basic realm=\"a\", Bearer realm=\"b\""))).toEqual(["PROBE_NOT_FOUND", "AUTH_NOT_VERIFIED"]);
  });

  it("no content type: the probe-not-found line has no gap", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(401);
      res.end();
    });
    const result = await diagnose({ target: url, tokenSize: 1024 });
    expect(result.findings.find((f) => f.code === "PROBE_NOT_FOUND")?.evidence.received).toBe("401, not a probe report");
  });

  it("a long body is cut to 160 characters in the evidence", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(401);
      res.end(`Missing Authorization Header ${"x".repeat(500)}`);
    });
    const f = (await diagnose({ target: url, tokenSize: 1024, token: TOKEN })).findings.find((x) => x.code === "AUTH_STRIPPED");
    expect(f?.evidence.received).toBe(`401, the same answer as without a token (Missing Authorization Header ${"x".repeat(160 - 29)})`);
  });
});
