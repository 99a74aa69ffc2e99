import type { ProbeReport } from "./types.js";

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  "\"": "&quot;",
  "'": "&#39;",
};

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

function row(label: string, value: unknown): string {
  return `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`;
}

/** The same report as a readable page: static HTML, every value escaped, no script. */
export function renderProbeHtml(report: ProbeReport): string {
  const auth = report.authorization;
  const authRows = auth.present
    ? [
        row("present", `yes (${auth.count} header${auth.count === 1 ? "" : "s"})`),
        row("scheme", auth.scheme ?? "(none)"),
        row("length", auth.length),
        row("sha256", auth.sha256),
        ...(auth.jwt
          ? [
              row("jwt alg", auth.jwt.header?.alg ?? "?"),
              row("jwt sub", auth.jwt.claims.sub ?? "-"),
              row("jwt expires", auth.jwt.claims.exp?.relative ?? "-"),
              row("jwt verdict", `${auth.jwt.verification.verdict}: ${auth.jwt.verification.reason}`),
            ]
          : []),
      ].join("")
    : row("present", "no Authorization header reached this probe");
  const problems = auth.problems.map(
    (p) => `<li><code>${escapeHtml(p.code)}</code> ${escapeHtml(p.message)}</li>`,
  );
  const alternatives = report.alternatives.map(
    (a) => `<li>${escapeHtml(a.where)} <code>${escapeHtml(a.name)}</code> length ${a.length}</li>`,
  );
  const headers = report.headers.map(([n, v]) => row(n, v)).join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>authprobe report</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:60em}th{text-align:left;padding-right:1em;vertical-align:top}td{font-family:monospace;word-break:break-all}</style>
</head><body>
<h1>authprobe: what reached ${escapeHtml(report.runtime)}${report.hop ? ` (hop ${escapeHtml(report.hop)})` : ""}</h1>
<p>${escapeHtml(report.request.method)} ${escapeHtml(report.request.path)} HTTP/${escapeHtml(report.request.httpVersion)} from ${escapeHtml(report.request.remoteAddress ?? "unknown")}</p>
<h2>Authorization</h2><table>${authRows}</table>
${problems.length ? `<h2>Problems</h2><ul>${problems.join("")}</ul>` : ""}
${alternatives.length ? `<h2>Tokens found elsewhere</h2><ul>${alternatives.join("")}</ul>` : ""}
<h2>Headers as received</h2><table>${headers}</table>
<p>Credentials are shown as length and sha256 only. JSON: request this URL without <code>Accept: text/html</code>.</p>
</body></html>
`;
}
