import request from "supertest";
import { describe, expect, it } from "vitest";
import { loadAppConfig } from "../../src/app/config.js";
import { DEFAULT_DEV_SECRET } from "../../src/app/jwt-config.js";
import { ConfigError } from "../../src/errors.js";
import { makeApp } from "../support/app.js";

const users = JSON.stringify([
  { id: "1", username: "u", passwordHash: "$2b$08$5WLRVt5T4XgW.OxVa9vp9.w60gtqrMBtjTUQ/gGG8WsOwQtxqTMY2" },
]);
const prod = { NODE_ENV: "production", AUTHPROBE_USERS: users };
const strong = "Zq3-f8Lp_w2Rn7-Tx9Vb4Kd6Hs1Yc5Mg0Ej";

describe("configuration", () => {
  it.each([
    ["no secret", {}, /JWT_SECRET.*required/],
    ["the documented default secret", { JWT_SECRET: DEFAULT_DEV_SECRET }, /default/],
    ["a short secret", { JWT_SECRET: "short" }, /at least 32 bytes/],
    ["the demo users", { JWT_SECRET: strong, AUTHPROBE_USERS: undefined }, /AUTHPROBE_USERS_FILE/],
  ])("refuses to start in production with %s", (_n, env, message) => {
    expect(() => loadAppConfig({ ...prod, ...env })).toThrow(message);
    expect(() => loadAppConfig({ ...prod, ...env })).toThrow(ConfigError);
  });

  it("starts in production with a strong secret and a users list", () => {
    expect(loadAppConfig({ ...prod, JWT_SECRET: strong }).jwt.algorithm).toBe("HS256");
  });

  it("uses the documented secret in development and says so", () => {
    expect(loadAppConfig({}).jwt.usingDefaultSecret).toBe(true);
  });

  it.each([
    ["JWT_ALGORITHM", { JWT_ALGORITHM: "none" }],
    ["JWT_TTL", { JWT_TTL: "soon" }],
    ["CORS_ORIGINS", { CORS_ORIGINS: "not an origin" }],
    ["AUTH_SCHEMES", { AUTH_SCHEMES: "Bad Scheme" }],
    ["AUTHPROBE_USERS", { AUTHPROBE_USERS: "[{" }],
    ["AUTHPROBE_USERS_FILE", { AUTHPROBE_USERS_FILE: "/nonexistent/users.json" }],
    ["JWT_PUBLIC_KEY_FILE", { JWT_ALGORITHM: "RS256" }],
  ])("names %s when it is wrong", (name, env) => {
    expect(() => loadAppConfig(env)).toThrow(name);
  });

  it("rejects a users entry without a bcrypt hash, naming the entry", () => {
    expect(() =>
      loadAppConfig({ AUTHPROBE_USERS: "[{\"id\":\"1\",\"username\":\"a\",\"passwordHash\":\"plain\"}]" }),
    ).toThrow("AUTHPROBE_USERS[0]");
  });
});

describe("probe exposure in the sample app", () => {
  it("is on in development", async () => {
    const res = await request(makeApp().app).get("/__authprobe").set("Authorization", "Bearer abc");
    expect(res.status).toBe(200);
    expect(res.body.probe).toBe("authprobe");
  });

  it("is off in production without AUTHPROBE_PROBE_KEY", async () => {
    const { app } = makeApp({ ...prod, JWT_SECRET: strong });
    expect((await request(app).get("/__authprobe")).status).toBe(404);
  });

  it("answers in production only with the right X-Authprobe-Key, 404 otherwise", async () => {
    const { app } = makeApp({ ...prod, JWT_SECRET: strong, AUTHPROBE_PROBE_KEY: "k-123456" });
    const without = await request(app).get("/__authprobe");
    const wrong = await request(app).get("/__authprobe").set("X-Authprobe-Key", "nope");
    const right = await request(app).get("/__authprobe").set("X-Authprobe-Key", "k-123456");
    expect([without.status, wrong.status, right.status]).toEqual([404, 404, 200]);
    expect(without.body).toEqual(wrong.body);
    // Indistinguishable from any route the app does not have.
    const unknown = await request(app).get("/__nothing_here");
    expect(wrong.body.error_description.replace("/__authprobe", "/__nothing_here")).toBe(unknown.body.error_description);
    expect(JSON.stringify(right.body)).not.toContain("k-123456");
  });

  it("verifies the app's own tokens in the report", async () => {
    const { app, config } = makeApp();
    const { signToken } = await import("../../src/app/jwt-config.js");
    const t = signToken(config.jwt, { sub: "1" });
    const res = await request(app).get("/__authprobe/anything").set("Authorization", `Bearer ${t}`);
    expect(res.body.authorization.jwt.verification.verdict).toBe("valid");
    expect(JSON.stringify(res.body)).not.toContain(t);
  });
});
