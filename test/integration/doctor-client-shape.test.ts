import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { diagnose } from "../../src/doctor/diagnose.js";
import { exitCodeFor } from "../../src/doctor/verdict.js";
import { runCliAsync } from "../support/cli.js";
import { useServers } from "../support/servers.js";

// Requests shaped like the user's client: --method, --data, --header and --authorization, and what
// the doctor says when the answer is a 405 or the run is cut short.

const { serve } = useServers();
const TOKEN = "abc.def.ghi";

interface Seen {
  method: string;
  authorization: string | undefined;
  apiKey: string | undefined;
  body: string;
}

function record(seen: Seen[], req: IncomingMessage): Promise<Seen> {
  return new Promise((resolve) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      const s = { method: req.method ?? "", authorization: req.headers.authorization, apiKey: req.headers["x-api-key"] as string | undefined, body };
      seen.push(s);
      resolve(s);
    });
  });
}

/** A POST-only route that wants an API key and a Bearer token; 405 with Allow to anything else. */
async function postOnly(seen: Seen[]): Promise<string> {
  return serve(async (req, res) => {
    const s = await record(seen, req);
    if (s.method !== "POST") {
      res.writeHead(405, { allow: "POST", "content-type": "application/json" });
      res.end("{\"detail\":\"Method Not Allowed\"}");
      return;
    }
    const ok = s.apiKey === "key-0123456789" && s.authorization === `Bearer ${TOKEN}` && s.body === "{\"q\":1}";
    res.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
    res.end(ok ? "{\"ok\":true}" : JSON.stringify({ msg: s.authorization ? "Bad token" : "Missing Authorization Header" }));
  });
}

describe("requests shaped like the user's client", () => {
  it("a POST-only route: with GET, a 405 that says what it allows; with --method POST --data --header, accepted, exit 0", async () => {
    const seen: Seen[] = [];
    const url = await postOnly(seen);
    const asGet = await diagnose({ target: url, token: TOKEN, tokenSize: 1024 });
    const notVerified = asGet.findings.find((f) => f.code === "AUTH_NOT_VERIFIED");
    expect(notVerified?.evidence.data).toMatchObject({ reason: "method-not-allowed", allow: "POST" });
    expect(notVerified?.evidence.notes?.join(" ")).toContain("it allows POST. Run the doctor with --method");
    expect(exitCodeFor(asGet)).toBe(1);

    const asPost = await diagnose({ target: url, token: TOKEN, tokenSize: 1024, method: "POST", data: "{\"q\":1}", headers: [["X-Api-Key", "key-0123456789"]] });
    expect(asPost.findings.map((f) => f.code)).toEqual(["PROBE_NOT_FOUND"]);
    expect(exitCodeFor(asPost)).toBe(0);
    expect(seen.some((s) => s.method === "POST" && s.body === "{\"q\":1}" && s.apiKey === "key-0123456789")).toBe(true);
  });

  it("the CLI takes the same flags, refuses --data without a body method, and --json carries the run's notes", async () => {
    const seen: Seen[] = [];
    const url = await postOnly(seen);
    const ok = await runCliAsync(["doctor", url, "--json", "--token", TOKEN, "--token-size", "1024", "--method", "post", "--data", "{\"q\":1}", "--header", "X-Api-Key: key-0123456789"]);
    expect(ok.status).toBe(0);
    const parsed = JSON.parse(ok.stdout) as { verdict: string; notes: string[] };
    expect(parsed.verdict).toBe("ok");
    expect(Array.isArray(parsed.notes)).toBe(true);
    expect(ok.stdout).not.toContain("key-0123456789");

    const bad = await runCliAsync(["doctor", url, "--data", "x"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--data needs --method POST");
    const header = await runCliAsync(["doctor", url, "--header", "no colon here"]);
    expect(header.status).toBe(2);
    expect(header.stderr).toContain("must be NAME:VALUE");
  });

  it("a run cut short by its request budget says so in the JSON notes", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(401);
      res.end("Missing Authorization Header");
    });
    const result = await diagnose({ target: url, token: TOKEN, tokenSize: 1024, maxRequests: 3 });
    expect(result.notes.join(" ")).toContain("request budget");
  });

  it("--authorization sends the value exactly: a bare-token app is satisfied, with no SCHEME_MISMATCH", async () => {
    const url = await serve((req, res) => {
      const ok = req.headers.authorization === TOKEN;
      res.writeHead(ok ? 200 : 401);
      res.end(ok ? "{}" : req.headers.authorization ? "invalid token" : "token required");
    });
    const result = await diagnose({ target: url, authorization: TOKEN, tokenSize: 1024 });
    expect(result.findings.map((f) => f.code)).toEqual(["PROBE_NOT_FOUND"]);
    const bearer = await diagnose({ target: url, token: TOKEN, tokenSize: 1024 });
    const mismatch = bearer.findings.find((f) => f.code === "SCHEME_MISMATCH");
    expect(mismatch?.fix.steps[0]).toBe("Send the token alone, no scheme (`Authorization: <token>`) (the form the app accepted), not `Authorization: Bearer <token>`.");
  });

  it("a --header value never reaches another origin after a redirect", async () => {
    const foreign: Seen[] = [];
    const other = await serve(async (req, res) => {
      await record(foreign, req);
      res.writeHead(401);
      res.end("Missing Authorization Header");
    });
    const url = await serve((_req, res) => {
      res.writeHead(302, { location: `${other}/elsewhere` });
      res.end();
    });
    await diagnose({ target: url, token: TOKEN, tokenSize: 1024, headers: [["X-Api-Key", "key-0123456789"]] });
    expect(foreign.length).toBeGreaterThan(0);
    expect(foreign.every((s) => s.apiKey === undefined)).toBe(true);
  });
});

describe("the probe recipe follows the stack the answers reveal", () => {
  it.each([
    ["Apache mod_wsgi", { server: "Apache/2.4.62 (Debian) mod_wsgi/4.9.4 Python/3.11" }, "WSGIScriptAlias /__authprobe"],
    ["PHP", { "x-powered-by": "PHP/8.2.36" }, "probe.php"],
    ["Express", { "x-powered-by": "Express" }, "probeRouter()"],
    ["gunicorn", { server: "gunicorn" }, "authprobe_wsgi:application"],
  ])("%s: PROBE_NOT_FOUND's first step", async (_who, headers, words) => {
    const url = await serve((req, res) => {
      res.writeHead(req.headers.authorization ? 200 : 401, headers);
      res.end();
    });
    const result = await diagnose({ target: url, tokenSize: 1024 });
    expect(result.findings.find((f) => f.code === "PROBE_NOT_FOUND")?.fix.steps[0]).toContain(words);
  });
});

describe("no 'nothing wrong' without evidence, however the run ends", () => {
  it("a run cut short before the token check: AUTH_NOT_VERIFIED, exit 1, and the note says why", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(401, { "content-type": "application/json" });
      res.end("{\"err\":\"Unauthorized\"}");
    });
    const result = await diagnose({ target: url, tokenSize: 1024, maxRequests: 1 });
    expect(result.notes.join(" ")).toContain("request budget");
    expect(result.findings.find((f) => f.code === "AUTH_NOT_VERIFIED")?.evidence.data).toMatchObject({ reason: "not-checked" });
    expect(exitCodeFor(result)).toBe(1);
  });

  it("a token-less request that fails (the connection drops): AUTH_NOT_VERIFIED, not a clean run", async () => {
    const url = await serve((req, res) => {
      if (!req.headers.authorization) {
        req.socket.destroy();
        return;
      }
      res.writeHead(401);
      res.end("{\"err\":\"Unauthorized\"}");
    });
    const result = await diagnose({ target: url, tokenSize: 1024 });
    expect(result.findings.map((f) => f.code)).toContain("AUTH_NOT_VERIFIED");
    expect(exitCodeFor(result)).toBe(1);
  });
});
