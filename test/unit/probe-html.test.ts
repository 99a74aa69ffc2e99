import { describe, expect, it } from "vitest";
import { escapeHtml, renderProbeHtml } from "../../src/probe/html.js";
import { buildProbeReport } from "../../src/probe/report.js";
import type { ProbeReport } from "../../src/probe/types.js";

const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString("base64url");
const page = (rawHeaders: string[], url = "/", hop?: string): string => {
  const report: ProbeReport = buildProbeReport({ method: "GET", url, rawHeaders, httpVersion: "1.1", remoteAddress: "127.0.0.1" });
  return renderProbeHtml(hop ? { ...report, hop } : report);
};

describe("the probe's HTML page", () => {
  it("escapes the five characters that matter, and nothing else", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
    expect(escapeHtml("plain text 123")).toBe("plain text 123");
    expect(escapeHtml(42)).toBe("42");
  });

  it("says plainly when no Authorization header arrived", () => {
    const html = page(["Host", "x"]);
    expect(html).toContain("<tr><th>present</th><td>no Authorization header reached this probe</td></tr>");
    expect(html).not.toContain("<th>scheme</th>");
  });

  it("shows count, scheme, length and sha256 rows for one header, singular", () => {
    const report = buildProbeReport({ method: "GET", url: "/", rawHeaders: ["Authorization", "Bearer opaque-value"], httpVersion: "1.1" });
    const html = renderProbeHtml(report);
    expect(html).toContain("<tr><th>present</th><td>yes (1 header)</td></tr>");
    expect(html).toContain("<tr><th>scheme</th><td>Bearer</td></tr>");
    expect(html).toContain(`<tr><th>length</th><td>${"Bearer opaque-value".length}</td></tr>`);
    expect(html).toContain(`<tr><th>sha256</th><td>${report.authorization.sha256}</td></tr>`);
    expect(html).not.toContain("opaque-value");
    expect(html).not.toContain("<th>jwt alg</th>");
  });

  it("counts duplicate headers in the plural", () => {
    expect(page(["Authorization", "Bearer a", "Authorization", "Bearer b"])).toContain("<td>yes (2 headers)</td>");
  });

  it("shows (none) for a value without a scheme", () => {
    expect(page(["Authorization", "bare-token-without-scheme"])).toContain("<tr><th>scheme</th><td>(none)</td></tr>");
  });

  it("fills JWT rows it cannot read with placeholders, not blanks", () => {
    const token = `${b64({ typ: "JWT" })}.${b64({ iat: 1 })}.c2ln`;
    const html = page(["Authorization", `Bearer ${token}`]);
    expect(html).toContain("<tr><th>jwt alg</th><td>?</td></tr>");
    expect(html).toContain("<tr><th>jwt sub</th><td>-</td></tr>");
    expect(html).toContain("<tr><th>jwt expires</th><td>-</td></tr>");
  });

  it("lists problems and tokens found elsewhere, and leaves those sections out when empty", () => {
    const clean = page(["Authorization", "Bearer abc"]);
    expect(clean).not.toContain("<h2>Problems</h2>");
    expect(clean).not.toContain("<h2>Tokens found elsewhere</h2>");
    const messy = page(["Authorization", "bearer abc", "X-Access-Token", "abcdefghijklmnopqrstuvwxyz012345"]);
    expect(messy).toMatch(/<h2>Problems<\/h2><ul><li><code>lowercase_scheme<\/code> scheme sent as/);
    expect(messy).toMatch(/<h2>Tokens found elsewhere<\/h2><ul><li>header <code>[^<]+<\/code> length 32<\/li>/);
  });

  it("names the runtime, the hop when there is one, and the request line", () => {
    const html = page(["Authorization", "Bearer abc"], "/api/x", "nginx");
    expect(html).toMatch(/<h1>authprobe: what reached [a-z]+ \(hop nginx\)<\/h1>/);
    expect(html).toContain("<p>GET /api/x HTTP/1.1 from 127.0.0.1</p>");
    expect(page(["Authorization", "Bearer abc"])).not.toContain("(hop ");
  });

  it("lists headers as received, one row each", () => {
    expect(page(["X-Custom", "hello", "Authorization", "Bearer abc"])).toContain("<tr><th>X-Custom</th><td>hello</td></tr>");
  });
});
