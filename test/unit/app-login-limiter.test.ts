import { describe, expect, it } from "vitest";
import { addressKey } from "../../src/app/client-address.js";
import { loadAppConfig } from "../../src/app/config.js";
import { FailureCounter, MAX_TRACKED_KEYS } from "../../src/app/failure-counter.js";
import { LoginLimiter } from "../../src/app/login-limiter.js";
import { ConfigError } from "../../src/errors.js";

/** A clock the test moves: the window is 15 minutes, and no test waits that long. */
function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}
const LIMITS = { maxFailuresPerUser: 5, maxFailuresPerAddress: 20, windowSeconds: 900 };

describe("the login limiter", () => {
  it("refuses a user's 6th attempt for the rest of the window, then lets them try again", () => {
    const c = clock();
    const limiter = new LoginLimiter(LIMITS, c.now);
    for (let i = 0; i < 5; i++) {
      const attempt = limiter.begin("alice", "10.0.0.1");
      if ("retryAfter" in attempt) throw new Error(`attempt ${i} refused`);
      attempt.done(false);
      c.advance(1000);
    }
    // The first failure was 5 s ago: it leaves the window in 895 s.
    expect(limiter.begin("alice", "10.0.0.2")).toEqual({ retryAfter: 895 });
    c.advance(894_000);
    expect(limiter.begin("alice", "10.0.0.2")).toEqual({ retryAfter: 1 });
    c.advance(1000);
    // Sliding: one attempt is free again (the oldest left), not all five.
    expect("done" in limiter.begin("alice", "10.0.0.2")).toBe(true);
    expect(limiter.begin("alice", "10.0.0.2")).toMatchObject({ retryAfter: expect.any(Number) });
    // Never for ever: after a quiet window the user starts afresh.
    c.advance(900_000);
    expect("done" in limiter.begin("alice", "10.0.0.2")).toBe(true);
  });

  it("refused attempts do not extend the lock", () => {
    const c = clock();
    const limiter = new LoginLimiter(LIMITS, c.now);
    for (let i = 0; i < 5; i++) (limiter.begin("alice", "10.0.0.1") as { done(ok: boolean): void }).done(false);
    for (let i = 0; i < 100; i++) {
      c.advance(5000);
      limiter.begin("alice", "10.0.0.1");
    }
    c.advance(400_000);
    expect("done" in limiter.begin("alice", "10.0.0.1")).toBe(true);
  });

  it("a success takes back its own count from the address, not the others", () => {
    const limiter = new LoginLimiter({ ...LIMITS, maxFailuresPerAddress: 2 });
    (limiter.begin("a", "10.0.0.1") as { done(ok: boolean): void }).done(false);
    (limiter.begin("b", "10.0.0.1") as { done(ok: boolean): void }).done(true);
    (limiter.begin("c", "10.0.0.1") as { done(ok: boolean): void }).done(false);
    expect(limiter.begin("d", "10.0.0.1")).toMatchObject({ retryAfter: expect.any(Number) });
  });
});

describe("the failure counter's memory", () => {
  it("a flood of distinct keys never grows it past its cap, and the newest keys are the ones kept", () => {
    const counter = new FailureCounter({ max: 5, windowMs: 900_000 });
    for (let i = 0; i < 3 * MAX_TRACKED_KEYS; i++) counter.record(`user-${i}`);
    expect(counter.size).toBe(MAX_TRACKED_KEYS);
    counter.record("last");
    expect(counter.size).toBe(MAX_TRACKED_KEYS);
    const c = new FailureCounter({ max: 1, windowMs: 900_000, maxKeys: 2 });
    c.record("a");
    c.record("b");
    c.record("a");
    c.record("c");
    expect([c.blockedFor("a") > 0, c.blockedFor("b") > 0, c.blockedFor("c") > 0]).toEqual([true, false, true]);
  });

  it("keeps at most `max` timestamps per key however often it fails", () => {
    const c = clock();
    const counter = new FailureCounter({ max: 3, windowMs: 10_000, now: c.now });
    for (let i = 0; i < 1000; i++) {
      counter.record("k");
      c.advance(1);
    }
    // The newest three count: the wait is until the oldest of them leaves the window.
    expect(counter.blockedFor("k")).toBe(10_000 - 3);
  });

  it("drops expired keys before live ones", () => {
    const c = clock();
    const counter = new FailureCounter({ max: 1, windowMs: 1000, maxKeys: 2, now: c.now });
    counter.record("old");
    c.advance(2000);
    counter.record("x");
    counter.record("y");
    expect(counter.size).toBe(2);
    expect(counter.blockedFor("x")).toBeGreaterThan(0);
  });
});

describe("client addresses", () => {
  it.each([
    ["127.0.0.1", "127.0.0.1"],
    ["::ffff:203.0.113.7", "203.0.113.7"],
    ["2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"],
    ["2001:0db8:0001:0002::1", "2001:db8:1:2::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
    ["::ffff:1.2.3.4:5", "::ffff:1.2.3.4:5"],
    [undefined, "unknown"],
  ])("%s counts as %s", (ip, key) => {
    expect(addressKey(ip)).toBe(key);
  });

  it("two addresses in one IPv6 /64 share a count", () => {
    expect(addressKey("2001:db8:1:2::a")).toBe(addressKey("2001:db8:1:2:ffff::b"));
    expect(addressKey("2001:db8:1:2::a")).not.toBe(addressKey("2001:db8:1:3::a"));
  });
});

describe("limit configuration", () => {
  it("defaults: 5 per user, 20 per address, 15 minutes, socket addresses, 1000 posts", () => {
    const config = loadAppConfig({});
    expect(config.login).toEqual({ maxFailuresPerUser: 5, maxFailuresPerAddress: 20, windowSeconds: 900 });
    expect(config.trustProxy).toBe(false);
    expect(config.posts).toEqual({ max: 1000 });
  });

  it.each([
    ["TRUST_PROXY", "loopback, 10.0.0.0/8", ["loopback", "10.0.0.0/8"]],
    ["TRUST_PROXY", "2", 2],
    ["TRUST_PROXY", "true", true],
    ["TRUST_PROXY", "false", false],
    ["TRUST_PROXY", "::1,fd00::/8", ["::1", "fd00::/8"]],
  ])("%s=%s", (name, value, expected) => {
    expect(loadAppConfig({ [name]: value }).trustProxy).toEqual(expected);
  });

  it.each([
    ["LOGIN_MAX_FAILURES_PER_USER", "five", /LOGIN_MAX_FAILURES_PER_USER.*not a whole number/],
    ["LOGIN_MAX_FAILURES_PER_ADDRESS", "-1", /LOGIN_MAX_FAILURES_PER_ADDRESS.*not a whole number/],
    ["LOGIN_FAILURE_WINDOW", "soon", /LOGIN_FAILURE_WINDOW.*not a duration/],
    ["POSTS_MAX", "0", /POSTS_MAX.*must be 1 or more/],
    ["POSTS_MAX", "1e6", /POSTS_MAX.*not a whole number/],
    ["TRUST_PROXY", "proxy.internal", /TRUST_PROXY.*'proxy.internal' is not an address/],
    ["TRUST_PROXY", "10.0.0.0/33", /TRUST_PROXY.*'10.0.0.0\/33'/],
  ])("%s=%s is a ConfigError naming the variable", (name, value, message) => {
    expect(() => loadAppConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadAppConfig({ [name]: value })).toThrow(message);
  });
});
