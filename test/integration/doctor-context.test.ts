import { describe, expect, it } from "vitest";
import { pathEvidence } from "../../src/doctor/attribution.js";
import { mintCanary } from "../../src/doctor/canary.js";
import { type Check, runChecks, type RunState } from "../../src/doctor/checks/index.js";
import { DoctorContext, headerArrived, parseReport, type ResolvedOptions, RunLimitReached } from "../../src/doctor/context.js";
import { makeFinding } from "../../src/doctor/finding.js";
import { createProbeHandler } from "../../src/probe/handler.js";
import type { ProbeReport } from "../../src/probe/types.js";
import { useServers } from "../support/servers.js";

// What every check shares: the headers each request carries, the request budget and deadline,
// hop echoes asked once, and the loop that runs the checks.

const { serve } = useServers();
const options = (extra: Partial<ResolvedOptions> = {}): ResolvedOptions => ({
  target: "http://127.0.0.1:9/",
  timeoutMs: 2000,
  deadlineMs: 10_000,
  maxRequests: 40,
  ...extra,
});
const context = (extra: Partial<ResolvedOptions> = {}) => new DoctorContext(options(extra), mintCanary({ runId: "feedc0ffee00" }));

describe("the headers each request carries", () => {
  it("none by default; the probe key and the Origin when given, in that order", () => {
    expect(context().baseHeaders()).toEqual([]);
    expect(context({ probeKey: "k1", origin: "https://app.example" }).baseHeaders()).toEqual([
      ["x-authprobe-key", "k1"],
      ["Origin", "https://app.example"],
    ]);
    expect(context({ origin: "https://app.example" }).baseHeaders()).toEqual([["Origin", "https://app.example"]]);
  });

  it("the canary: Authorization, the control header with the run id, the token under an underscore name", () => {
    const ctx = context();
    expect(ctx.canaryHeaders()).toEqual([
      ["Authorization", ctx.canary.value],
      ["X-Authprobe-Control", "feedc0ffee00"],
      ["X_Authprobe_Token", ctx.canary.token],
    ]);
    expect(context({ tokenHeader: "X_Api_Key", probeKey: "k" }).canaryHeaders("Basic x")).toEqual([
      ["x-authprobe-key", "k"],
      ["Authorization", "Basic x"],
      ["X-Authprobe-Control", "feedc0ffee00"],
      ["X_Api_Key", expect.any(String)],
    ]);
  });
});

describe("the budget and the deadline", () => {
  it("counts requests and refuses the one past the budget, saying which budget", async () => {
    const url = await serve((req, res) => res.end(req.method));
    const ctx = new DoctorContext(options({ target: url, maxRequests: 2 }), mintCanary());
    await ctx.request(url, []);
    await ctx.request(url, [], "HEAD");
    expect(ctx.requests).toBe(2);
    const err = await ctx.request(url, []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunLimitReached);
    expect(err).toMatchObject({ code: "REQUEST_BUDGET", message: "stopped at the request budget (2 requests)" });
    expect(ctx.requests).toBe(2);
  });

  it("refuses to start a request past the deadline, in seconds", async () => {
    const url = await serve((_req, res) => res.end("x"));
    const ctx = new DoctorContext(options({ target: url, deadlineMs: 0 }), mintCanary());
    const err = await ctx.request(url, []).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "DEADLINE", message: "stopped at the run's deadline (0 s, --deadline)" });
    expect(ctx.requests).toBe(0);
  });

  it("a request still answering at the deadline ends the run, naming the URL", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200);
      const t = setInterval(() => res.write("."), 20);
      res.on("close", () => clearInterval(t));
    });
    const ctx = new DoctorContext(options({ target: url, deadlineMs: 1000 }), mintCanary());
    const err = await ctx.request(url, []).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "DEADLINE", message: `stopped at the run's deadline (1 s, --deadline): ${url} was still answering` });
  });

  it("a request in time is sent with the method and headers given", async () => {
    const url = await serve((req, res) => res.end(`${req.method} ${req.headers["x-a"]}`));
    const ctx = new DoctorContext(options({ target: url }), mintCanary());
    const answer = await ctx.request(url, [["X-A", "1"]], "DELETE");
    expect(answer).toMatchObject({ status: 200, body: "DELETE 1" });
    expect(ctx.url).toBe(url);
  });
});

describe("hop echoes", () => {
  it("are asked once per run, in the order given, each with the canary; no report is null", async () => {
    let asked = 0;
    const probe = createProbeHandler({ hop: "edge" });
    const echo = await serve((req, res) => {
      asked += 1;
      probe(req, res);
    });
    const notProbe = await serve((_req, res) => res.end("hello"));
    const ctx = new DoctorContext(
      options({ hops: [{ name: "edge", url: echo }, { name: "lb", url: notProbe }] }),
      mintCanary(),
    );
    const first = await ctx.hopReports();
    const second = await ctx.hopReports();
    expect(asked).toBe(1);
    expect(second).toBe(first);
    expect(first.map((h) => h.name)).toEqual(["edge", "lb"]);
    expect(first[0]?.report?.authorization.sha256).toBe(ctx.canary.sha256);
    expect(first[1]?.report).toBeNull();
    expect(ctx.requests).toBe(2);
  });

  it("none given: an empty list, no request", async () => {
    const ctx = context();
    expect(await ctx.hopReports()).toEqual([]);
    expect(ctx.requests).toBe(0);
  });
});

describe("reading a report and a header", () => {
  it("a report only from a 200", async () => {
    const url = await serve(createProbeHandler());
    const answer = await context({ target: url }).request(url, []);
    if ("error" in answer) throw new Error(answer.error);
    expect(parseReport(answer)?.probe).toBe("authprobe");
    expect(parseReport({ ...answer, status: 404 })).toBeNull();
    expect(parseReport({ ...answer, status: 201 })).toBeNull();
    expect(parseReport({ error: "ECONNREFUSED" })).toBeNull();
    expect(parseReport({ status: 200, headers: new Headers(), body: "{\"not\":\"a report\"}" })).toBeNull();
  });

  it("a header arrived whatever its case, and with '_' and '-' alike (WSGI and CGI cannot tell them apart)", () => {
    const report = { headers: [["X-Authprobe-Token", "t"], ["accept", "*/*"]] } as unknown as ProbeReport;
    expect(headerArrived(report, "X_Authprobe_Token")).toBe(true);
    expect(headerArrived(report, "x-authprobe-token")).toBe(true);
    expect(headerArrived(report, "ACCEPT")).toBe(true);
    expect(headerArrived(report, "X-Authprobe-Control")).toBe(false);
    expect(headerArrived({ headers: [] } as unknown as ProbeReport, "accept")).toBe(false);
  });
});

describe("runChecks", () => {
  const state = (): RunState => ({
    ctx: context(),
    baseline: null,
    report: null,
    mode: "probe",
    path: pathEvidence(null, null),
    intact: true,
    tokenSeen: false,
    blocked: false,
    findings: [],
  });
  const finding = makeFinding("AUTH_STRIPPED", { sent: "", received: "" }, { server: "unknown" });
  const check = (name: string, run: Check["run"], applies = true): Check => ({ name, applies: () => applies, run });
  const ran: string[] = [];
  const recording = (name: string, outcome = { findings: [] as (typeof finding)[] }, applies = true) =>
    check(name, async () => {
      ran.push(name);
      return outcome;
    }, applies);

  it("runs the checks that apply, in order, collecting findings; a stop ends the run", async () => {
    ran.length = 0;
    const s = state();
    const { notes } = await runChecks(
      [recording("a", { findings: [finding] }), recording("skipped", undefined, false), recording("b"), { ...recording("c"), run: async () => (ran.push("c"), { findings: [finding], stop: true }) }, recording("d")],
      s,
    );
    expect(ran).toEqual(["a", "b", "c"]);
    expect(s.findings).toHaveLength(2);
    expect(notes).toEqual([]);
  });

  it("the budget or the deadline ends the run with a note naming the check", async () => {
    ran.length = 0;
    const { notes } = await runChecks(
      [recording("a"), check("size", () => Promise.reject(new RunLimitReached("REQUEST_BUDGET", "stopped at the request budget (3 requests)"))), recording("b")],
      state(),
    );
    expect(ran).toEqual(["a"]);
    expect(notes).toEqual(["stopped at the request budget (3 requests); the size check and those after it did not finish."]);
  });

  it("any other error is not swallowed", async () => {
    await expect(runChecks([check("x", () => Promise.reject(new Error("boom")))], state())).rejects.toThrow("boom");
  });
});
