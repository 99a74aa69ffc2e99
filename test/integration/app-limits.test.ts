import request from "supertest";
import { describe, expect, it } from "vitest";
import { signToken } from "../../src/app/jwt-config.js";
import { makeApp } from "../support/app.js";

// The sample app on a real loopback socket (supertest listens on a free port per request).
type App = ReturnType<typeof makeApp>["app"];
const login = (app: App, username: string, password: string, headers: Record<string, string> = {}) =>
  request(app).post("/auth/login").set(headers).send({ username, password });

describe("POST /auth/login: failed attempts are limited", () => {
  it("5 wrong passwords for a user, then 429 with Retry-After and a reason, even for the right password", async () => {
    const { app } = makeApp();
    for (let i = 0; i < 5; i++) expect((await login(app, "alice", `guess-${i}`)).status).toBe(401);
    const limited = await login(app, "alice", "guess-5");
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers["retry-after"]);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(890);
    expect(retryAfter).toBeLessThanOrEqual(900);
    expect(limited.body).toEqual({
      error: "too_many_attempts",
      error_description: `too many failed logins for this username or from this address; try again in ${retryAfter} seconds`,
    });
    expect(limited.headers["cache-control"]).toBe("no-store");
    // The right password now would tell a guesser it was right: refused too until the window passes.
    expect((await login(app, "alice", "wonderland")).status).toBe(429);
    // Another user from the same address is not locked out by alice's failures (5 < 20).
    expect((await login(app, "bob", "builder")).status).toBe(200);
  });

  it("an unknown username is limited the same way: nothing tells which usernames exist", async () => {
    const { app } = makeApp();
    for (let i = 0; i < 5; i++) {
      await login(app, "alice", `guess-${i}`);
      await login(app, "mallory", `guess-${i}`);
    }
    const known = await login(app, "alice", "x");
    const unknown = await login(app, "mallory", "x");
    expect(unknown.status).toBe(429);
    expect(unknown.body).toEqual(known.body);
    expect(unknown.headers["retry-after"]).toBe(known.headers["retry-after"]);
  });

  it("20 failures from one address over distinct usernames: 429 for any username from there", async () => {
    const { app } = makeApp();
    for (let i = 0; i < 20; i++) expect((await login(app, `user-${i}`, "x")).status).toBe(401);
    expect((await login(app, "user-20", "x")).status).toBe(429);
    expect((await login(app, "bob", "builder")).status).toBe(429);
  });

  it("30 guesses at once: at most 5 reach the password check, the rest are 429", async () => {
    const { app } = makeApp();
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => login(app, "alice", `guess-${i}`)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(25);
  });

  it("a successful login clears the user's failures", async () => {
    const { app } = makeApp();
    for (let i = 0; i < 4; i++) await login(app, "alice", "x");
    expect((await login(app, "alice", "wonderland")).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login(app, "alice", "x")).status).toBe(401);
  });

  it("the limits come from LOGIN_MAX_FAILURES_PER_USER and _PER_ADDRESS; 0 turns one off", async () => {
    const { app } = makeApp({ LOGIN_MAX_FAILURES_PER_USER: "2", LOGIN_MAX_FAILURES_PER_ADDRESS: "0", LOGIN_FAILURE_WINDOW: "1m" });
    await login(app, "alice", "x");
    await login(app, "alice", "x");
    const limited = await login(app, "alice", "x");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeLessThanOrEqual(60);
    for (let i = 0; i < 25; i++) expect((await login(app, `user-${i}`, "x")).status).toBe(401);
  });

  it("behind a proxy: X-Forwarded-For is ignored unless TRUST_PROXY says otherwise", async () => {
    const limits = { LOGIN_MAX_FAILURES_PER_USER: "100", LOGIN_MAX_FAILURES_PER_ADDRESS: "3" };
    const direct = makeApp(limits).app;
    // A client that makes up a new X-Forwarded-For each time is still one address: the socket's.
    for (let i = 0; i < 3; i++) await login(direct, "alice", "x", { "X-Forwarded-For": `203.0.113.${i}` });
    expect((await login(direct, "alice", "x", { "X-Forwarded-For": "203.0.113.99" })).status).toBe(429);
    // With the proxy trusted (here: loopback), each forwarded client address counts on its own.
    const proxied = makeApp({ ...limits, TRUST_PROXY: "loopback" }).app;
    for (let i = 0; i < 3; i++) await login(proxied, "alice", "x", { "X-Forwarded-For": "203.0.113.1" });
    expect((await login(proxied, "alice", "x", { "X-Forwarded-For": "203.0.113.1" })).status).toBe(429);
    expect((await login(proxied, "alice", "x", { "X-Forwarded-For": "203.0.113.2" })).status).toBe(401);
  });
});

describe("posts: bounded store, paginated list", () => {
  function postsApp(env: Record<string, string> = {}) {
    const { app, config } = makeApp(env);
    const auth = `Bearer ${signToken(config.jwt, { sub: "1" })}`;
    const create = (title: string, body = "b") => request(app).post("/posts").set("Authorization", auth).send({ title, body });
    const list = (query = "") => request(app).get(`/posts${query}`).set("Authorization", auth);
    return { create, list };
  }

  it("POSTS_MAX caps the store: the oldest post is evicted, ids stay unique", async () => {
    const { create, list } = postsApp({ POSTS_MAX: "3" });
    for (let i = 1; i <= 5; i++) expect((await create(`post ${i}`)).body.id).toBe(i);
    const page = await list();
    expect(page.status).toBe(200);
    expect(page.body.posts.map((p: { id: number }) => p.id)).toEqual([5, 4, 3]);
    expect(page.body.next_cursor).toBeNull();
  });

  it("GET /posts pages newest first: 20 by default, next_cursor to the next page, null at the end", async () => {
    const { create, list } = postsApp();
    for (let i = 1; i <= 25; i++) await create(`post ${i}`);
    const first = await list();
    expect(first.body.posts).toHaveLength(20);
    expect(first.body.posts[0].id).toBe(25);
    expect(first.body.next_cursor).toBe("6");
    const second = await list(`?cursor=${first.body.next_cursor}`);
    expect(second.body.posts.map((p: { id: number }) => p.id)).toEqual([5, 4, 3, 2, 1]);
    expect(second.body.next_cursor).toBeNull();
    const small = await list("?limit=2&cursor=10");
    expect(small.body.posts.map((p: { id: number }) => p.id)).toEqual([9, 8]);
    expect(small.body.next_cursor).toBe("8");
    expect((await list("?limit=100")).body.posts).toHaveLength(25);
  });

  it.each([
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["limit=-1", "limit"],
    ["limit=abc", "limit"],
    ["limit=1.5", "limit"],
    ["limit=1&limit=2", "limit"],
    ["limit=", "limit"],
    ["cursor=abc", "cursor"],
    ["cursor=0", "cursor"],
    ["cursor=1e3", "cursor"],
    ["cursor=99999999999999999999", "cursor"],
  ])("GET /posts?%s is 400 naming the field", async (query, field) => {
    const res = await postsApp().list(`?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("invalid_request");
    expect(res.body.field).toBe(field);
    expect(res.body.error_description).toMatch(field === "limit" ? /between 1 and 100/ : /cursor/);
  });

  it("a post over the size caps: 400 for a field, 413 for a body over 32 KB, both JSON", async () => {
    const { create } = postsApp();
    const long = await create("t", "b".repeat(10_001));
    expect(long.status).toBe(400);
    expect(long.body).toMatchObject({ error: "invalid_request", field: "body" });
    const huge = await create("t", "b".repeat(40_000));
    expect(huge.status).toBe(413);
    expect(huge.body).toEqual({ error: "payload_too_large", error_description: "the request body is larger than 32 KB" });
  });
});
