import request from "supertest";
import { describe, expect, it } from "vitest";
import { signToken } from "../../src/app/jwt-config.js";
import { makeApp, rsaKeyFiles } from "../support/app.js";
import { algNone, confusedHs256, hs256, rs256 } from "../support/tokens.js";

const { app, config } = makeApp();
const token = (sub = "1", role = "user", ttlSeconds?: number) =>
  signToken(config.jwt, { sub, role, ...(ttlSeconds ? { ttlSeconds } : {}) });
const now = () => Math.floor(Date.now() / 1000);
const good = { iss: "authprobe", aud: "authprobe-api", sub: "1" };

describe("bearer authentication (RFC 6750)", () => {
  it("accepts a valid token on /protected", async () => {
    const res = await request(app).get("/protected").set("Authorization", `Bearer ${token()}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ sub: "1", role: "user" });
  });

  it("answers a request without a token with 401 and a realm-only challenge", async () => {
    const res = await request(app).get("/protected");
    expect(res.status).toBe(401);
    expect(res.headers["www-authenticate"]).toBe("Bearer realm=\"authprobe\"");
    expect(res.body).toEqual({
      error: "missing_token",
      error_description: "Request does not contain an access token",
    });
  });

  const bad: [string, () => string, RegExp][] = [
    ["garbage", () => "Bearer garbage", /malformed/],
    ["a scheme and no token", () => "Bearer ", /access token/],
    ["a wrong scheme", () => `Token ${token()}`, /scheme 'Token'/],
    ["no scheme", () => token(), /no scheme/],
    ["a bad signature", () => `Bearer ${hs256(good, "not-the-secret")}`, /signature/],
    ["an expired token", () => `Bearer ${hs256({ ...good, exp: now() - 10 })}`, /expired/],
    ["a token not valid yet", () => `Bearer ${hs256({ ...good, nbf: now() + 600 })}`, /not valid yet/],
    ["a wrong audience", () => `Bearer ${hs256({ ...good, aud: "someone-else" })}`, /audience/],
    ["a wrong issuer", () => `Bearer ${hs256({ ...good, iss: "evil" })}`, /issuer/],
    ["alg none", () => `Bearer ${algNone(good)}`, /algorithm/],
    ["an RS256 token against the HS256 key", () => `Bearer ${rs256(good)}`, /algorithm/],
    [
      "a token without a subject",
      () => `Bearer ${hs256({ iss: "authprobe", aud: "authprobe-api" })}`,
      /subject/,
    ],
    ["a non-JSON payload", () => "Bearer eyJhbGciOiJIUzI1NiJ9.bm90LWpzb24.c2ln", /signature|malformed/],
  ];
  it.each(bad)("answers 401 invalid_token, never 500, for %s", async (_name, header, description) => {
    const res = await request(app).get("/protected").set("Authorization", header());
    // Not 500: every bad token is the client's problem.
    expect(res.status).toBe(401);
    expect(res.headers["www-authenticate"]).toMatch(
      /^Bearer realm="authprobe", error="invalid_token", error_description="[^"]+"$/,
    );
    expect(res.body.error).toBe("invalid_token");
    expect(res.body.error_description).toMatch(description);
  });

  it("rejects two Authorization headers with 400 invalid_request", async () => {
    const res = await request(app)
      .get("/protected")
      .set("X-Pad", "1")
      // An array goes on the wire as two header lines; the typings only allow that for Cookie.
      .set("Authorization", [`Bearer ${token()}`, `Bearer ${token()}`] as unknown as string);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("invalid_request");
  });

  it("matches the scheme case-insensitively (RFC 9110)", async () => {
    const res = await request(app).get("/protected").set("Authorization", `bEaReR ${token()}`);
    expect(res.status).toBe(200);
  });

  it("accepts the JWT scheme only when configured", async () => {
    const jwtScheme = makeApp({ AUTH_SCHEMES: "Bearer,JWT" });
    const t = signToken(jwtScheme.config.jwt, { sub: "1" });
    expect((await request(jwtScheme.app).get("/protected").set("Authorization", `JWT ${t}`)).status).toBe(
      200,
    );
    expect((await request(app).get("/protected").set("Authorization", `JWT ${t}`)).status).toBe(401);
  });

  describe("with RS256 keys", () => {
    const keys = rsaKeyFiles();
    const rsa = makeApp({
      JWT_ALGORITHM: "RS256",
      JWT_PUBLIC_KEY_FILE: keys.publicPath,
      JWT_PRIVATE_KEY_FILE: keys.privatePath,
    });

    it("accepts its own RS256 token", async () => {
      const t = signToken(rsa.config.jwt, { sub: "1" });
      expect((await request(rsa.app).get("/protected").set("Authorization", `Bearer ${t}`)).status).toBe(200);
    });

    it("refuses an HS256 token signed with the public key (algorithm confusion) with 401", async () => {
      const res = await request(rsa.app)
        .get("/protected")
        .set("Authorization", `Bearer ${confusedHs256(good)}`);
      expect(res.status).toBe(401);
      expect(res.body.error_description).toMatch(/algorithm/);
    });
  });
});

describe("routes", () => {
  it("GET / describes the API without a token", async () => {
    const res = await request(app).get("/");
    expect(res.status).toBe(200);
    expect(res.body.login).toBe("POST /auth/login");
  });

  it("GET /users lists users without password hashes", async () => {
    const res = await request(app).get("/users").set("Authorization", `Bearer ${token()}`);
    expect(res.status).toBe(200);
    expect(res.body.users.map((u: { username: string }) => u.username)).toEqual(["alice", "bob", "admin"]);
    expect(JSON.stringify(res.body)).not.toContain("$2b$");
  });

  it("GET /users/:id returns the caller's own user", async () => {
    const res = await request(app)
      .get("/users/1")
      .set("Authorization", `Bearer ${token("1")}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: "1", username: "alice", role: "user" });
  });

  it("GET /users/:id of another user is 403 for a plain user", async () => {
    const res = await request(app)
      .get("/users/2")
      .set("Authorization", `Bearer ${token("1")}`);
    expect(res.status).toBe(403);
    expect(res.body.error).toBe("forbidden");
  });

  it("GET /users/:id of another user is 200 for an admin", async () => {
    expect(
      (
        await request(app)
          .get("/users/2")
          .set("Authorization", `Bearer ${token("3", "admin")}`)
      ).status,
    ).toBe(200);
  });

  it("GET /users/:id of an unknown user is 404 for an admin", async () => {
    const res = await request(app)
      .get("/users/99")
      .set("Authorization", `Bearer ${token("3", "admin")}`);
    expect(res.status).toBe(404);
  });

  it("GET/POST /posts need a token", async () => {
    expect((await request(app).get("/posts")).status).toBe(401);
    expect((await request(app).post("/posts").send({ title: "t", body: "b" })).status).toBe(401);
  });

  it("POST /posts creates a post and GET /posts lists it", async () => {
    const auth = `Bearer ${token("2")}`;
    const created = await request(app)
      .post("/posts")
      .set("Authorization", auth)
      .send({ title: "Hello", body: "World" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title: "Hello", body: "World", author: "2" });
    const list = await request(app).get("/posts").set("Authorization", auth);
    expect(list.body.posts.some((p: { id: number }) => p.id === created.body.id)).toBe(true);
  });

  const invalidPosts: [string, unknown, string][] = [
    ["a missing title", { body: "b" }, "title"],
    ["an empty title", { title: " ", body: "b" }, "title"],
    ["a numeric body", { title: "t", body: 5 }, "body"],
    ["a title too long", { title: "x".repeat(201), body: "b" }, "title"],
  ];
  it.each(invalidPosts)("POST /posts with %s is 400 naming the field", async (_n, body, field) => {
    const res = await request(app)
      .post("/posts")
      .set("Authorization", `Bearer ${token()}`)
      .send(body as object);
    expect(res.status).toBe(400);
    expect(res.body.field).toBe(field);
  });

  it("POST /posts with a non-JSON body is 415", async () => {
    const res = await request(app)
      .post("/posts")
      .set("Authorization", `Bearer ${token()}`)
      .type("text")
      .send("x");
    expect(res.status).toBe(415);
  });

  it("malformed JSON is 400 with a JSON reason, not a stack trace", async () => {
    const res = await request(app)
      .post("/posts")
      .set("Authorization", `Bearer ${token()}`)
      .type("json")
      .send("{nope");
    expect(res.status).toBe(400);
    expect(res.body.error_description).toMatch(/not valid JSON/);
  });

  it("an unknown route is a JSON 404", async () => {
    const res = await request(app).get("/nope");
    expect(res.status).toBe(404);
    expect(res.body.error).toBe("not_found");
  });
});

describe("POST /auth/login", () => {
  it("gives a token for JSON credentials that then works", async () => {
    const res = await request(app).post("/auth/login").send({ username: "alice", password: "wonderland" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: "Bearer", expires_in: 900 });
    const me = await request(app).get("/protected").set("Authorization", `Bearer ${res.body.access_token}`);
    expect(me.body.message).toMatch(/alice/);
  });

  it("accepts HTTP Basic credentials", async () => {
    const res = await request(app).post("/auth/login").auth("bob", "builder");
    expect(res.status).toBe(200);
  });

  it.each([
    ["username", { password: "x" }],
    ["password", { username: "alice", password: "" }],
  ])("an empty %s is 422 naming the field", async (field, body) => {
    const res = await request(app).post("/auth/login").send(body);
    expect(res.status).toBe(422);
    expect(res.body.field).toBe(field);
  });

  it("an unknown user and a wrong password get the same 401", async () => {
    const unknown = await request(app).post("/auth/login").send({ username: "mallory", password: "x" });
    const wrong = await request(app).post("/auth/login").send({ username: "alice", password: "x" });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
  });
});

describe("CORS", () => {
  const cors = makeApp({ CORS_ORIGINS: "https://app.example.com" }).app;

  it("answers a preflight without a token and allows Authorization", async () => {
    const res = await request(cors)
      .options("/protected")
      .set("Origin", "https://app.example.com")
      .set("Access-Control-Request-Method", "GET")
      .set("Access-Control-Request-Headers", "authorization");
    expect(res.status).toBe(204);
    expect(res.headers["access-control-allow-origin"]).toBe("https://app.example.com");
    expect(res.headers["access-control-allow-headers"]).toMatch(/Authorization/);
  });

  it("gives no CORS headers to an origin that is not allowed", async () => {
    const res = await request(cors).get("/").set("Origin", "https://evil.example");
    expect(res.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("adds the allow-origin header to real requests", async () => {
    const res = await request(cors).get("/protected").set("Origin", "https://app.example.com");
    expect(res.status).toBe(401);
    expect(res.headers["access-control-allow-origin"]).toBe("https://app.example.com");
  });
});
