import type { ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { diagnose } from "../../src/doctor/diagnose.js";
import { useServers } from "../support/servers.js";

// CORS as apps get it wrong: no CORS at all, CORS without Authorization, a preflight that demands a
// token. Each gets its own code, cause and a fix naming the right place: the app's CORS first.

const { serve } = useServers();
const ORIGIN = "https://app.example";

type Answer = (res: ServerResponse, preflight: boolean) => void;

function app(headers: Record<string, string>, answer: Answer) {
  return serve((req, res) => {
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    answer(res, req.method === "OPTIONS");
  });
}

const noCors: Answer = (res, preflight) => {
  res.writeHead(preflight ? 200 : 401, { "content-type": "application/json" });
  res.end(preflight ? "" : "{\"msg\":\"Missing Authorization Header\"}");
};

async function cors(url: string) {
  const result = await diagnose({ target: url, origin: ORIGIN, tokenSize: 1024 });
  return result.findings.find((f) => f.code.startsWith("CORS_"));
}

describe("CORS findings fit the answer", () => {
  it.each([
    ["Express", { "x-powered-by": "Express" }, "`cors` package"],
    ["Flask under gunicorn", { server: "gunicorn" }, "flask-cors"],
    ["FastAPI under uvicorn", { server: "uvicorn" }, "CORSMiddleware"],
    ["an app that names nothing", {}, "django-cors-headers"],
  ])("no CORS at all (%s): the app's own CORS setting first, no token-on-preflight story, no proxy named", async (_who, headers, words) => {
    const f = await cors(await app(headers, noCors));
    expect(f?.code).toBe("CORS_PREFLIGHT_FAILED");
    expect(f?.evidence.data).toMatchObject({ cause: "no-cors", status: 200, allowOrigin: null });
    expect(f?.evidence.notes?.[0]).toContain("No 'Access-Control-Allow-Origin' header is present on the requested resource");
    expect(f?.evidence.notes?.join(" ")).not.toContain("never carries a token");
    expect(f?.fix.steps[0]).toContain(words);
    expect(f?.fix.steps.join(" ")).not.toContain("$request_method = OPTIONS");
    expect(f?.server).not.toBe("nginx");
  });

  it("another origin allowed: the app's CORS, with the console's words", async () => {
    const f = await cors(await app({ "x-powered-by": "Express" }, (res) => {
      res.writeHead(204, { "access-control-allow-origin": "https://other.example", "access-control-allow-headers": "Authorization" });
      res.end();
    }));
    expect(f?.evidence.data).toMatchObject({ cause: "origin-not-allowed" });
    expect(f?.fix.steps[0]).toContain("`cors` package");
  });

  it("CORS without Authorization in the allowed headers: CORS_AUTH_NOT_ALLOWED", async () => {
    const f = await cors(await app({ server: "gunicorn" }, (res) => {
      res.writeHead(204, { "access-control-allow-origin": ORIGIN, "access-control-allow-headers": "Content-Type" });
      res.end();
    }));
    expect(f?.code).toBe("CORS_AUTH_NOT_ALLOWED");
    expect(f?.fix.steps[0]).toContain("Access-Control-Allow-Headers: Authorization");
  });

  it("a preflight that demands a token (401 to OPTIONS): refused, and the fix is to answer OPTIONS before authentication", async () => {
    const f = await cors(await app({}, (res) => {
      res.writeHead(401, { "www-authenticate": "Bearer", "content-type": "application/json" });
      res.end("{\"msg\":\"Missing Authorization Header\"}");
    }));
    expect(f?.code).toBe("CORS_PREFLIGHT_FAILED");
    expect(f?.evidence.data).toMatchObject({ cause: "refused", status: 401 });
    expect(f?.evidence.notes?.[0]).toContain("never carries a token");
    expect(f?.fix.steps.join(" ")).toMatch(/without requiring a token|before the token check/);
  });
});
