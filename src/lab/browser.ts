import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { closeServer, listen } from "../listen.js";
import { sha256Hex } from "../probe/fingerprint.js";

/** What a real browser saw when a single-page app called the API with its token. */
export const BROWSER_OUTCOMES = [
  "intact",
  "missing",
  "blocked: preflight",
  "blocked: header not allowed",
  "blocked: redirect on preflight",
  "lost on redirect",
  "refused",
] as const;
export type BrowserOutcome = (typeof BROWSER_OUTCOMES)[number];

export interface BrowserResult {
  outcome: BrowserOutcome;
  /** Chromium's console errors (CORS messages among them), as it printed them. */
  console: string[];
}

export const CHROMIUM_INSTALL = "apt-get install -y chromium";

/** AUTHPROBE_CHROMIUM when set (only it), else Debian's /usr/bin/chromium; null when none exists. */
export function chromiumPath(): string | null {
  const override = process.env.AUTHPROBE_CHROMIUM;
  const candidates = override ? [override] : ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
  return candidates.find((p) => existsSync(p)) ?? null;
}

/** The page's origin: a server of its own, so every API call is cross-origin, as for a real SPA. */
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>authprobe SPA</title></head>
<body><p>A single-page app that keeps its token in localStorage.</p></body></html>`;

export interface BrowserSession {
  pageOrigin: string;
  /** Calls `url` from the page the way SPAs do: token from localStorage, fetch with Authorization. */
  call(url: string, token: string, options?: { credentials?: boolean }): Promise<BrowserResult>;
  close(): Promise<void>;
}

type PlaywrightBrowser = { newContext(o: object): Promise<PlaywrightContext>; close(): Promise<void> };
type PlaywrightContext = { newPage(): Promise<PlaywrightPage>; close(): Promise<void> };
type PlaywrightPage = {
  goto(url: string): Promise<unknown>;
  on(event: "console", fn: (m: { type(): string; text(): string }) => void): void;
  evaluate<R, A>(fn: (arg: A) => Promise<R>, arg: A): Promise<R>;
};

/** Starts headless Chromium (no sandbox only as root) and the page server. */
export async function startBrowser(): Promise<BrowserSession> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error(`Chromium is not installed: ${CHROMIUM_INSTALL}`);
  const { chromium } = (await import("playwright-core")) as unknown as { chromium: { launch(o: object): Promise<PlaywrightBrowser> } };
  // Playwright gives Chromium a fresh temporary profile of its own and removes it on close.
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      ...(process.getuid?.() === 0 ? ["--no-sandbox"] : []),
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(PAGE);
  });
  const pageOrigin = await listen(server, "127.0.0.1", 0);
  return {
    pageOrigin,
    async call(url, token, options = {}) {
      // A context per call: no cache, no cookies, no preflight cache shared between scenarios.
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      try {
        const page = await context.newPage();
        const console: string[] = [];
        page.on("console", (m) => {
          if (m.type() === "error") console.push(m.text());
        });
        await page.goto(`${pageOrigin}/`);
        const answer = await page.evaluate(
          async ({ url: target, token: t, credentials }) => {
            localStorage.setItem("token", t);
            try {
              const res = await fetch(target, {
                headers: { Authorization: `Bearer ${localStorage.getItem("token")}` },
                credentials: credentials ? "include" : "same-origin",
              });
              return { status: res.status, redirected: res.redirected, body: await res.text() };
            } catch (err) {
              return { error: String(err) };
            }
          },
          { url, token, credentials: options.credentials === true },
        );
        // Let the console messages about a failed fetch arrive.
        await new Promise((r) => setTimeout(r, 50));
        return { outcome: classify(answer, console, `Bearer ${token}`), console };
      } finally {
        await context.close();
      }
    },
    async close() {
      await browser.close();
      await closeServer(server);
    },
  };
}

type Answer = { status: number; redirected: boolean; body: string } | { error: string };

/** The page's own storage, in the browser: this code runs there, not in Node. */
declare const localStorage: { setItem(k: string, v: string): void; getItem(k: string): string | null };

/** From what fetch returned and what Chromium printed to the outcome a person reads. */
export function classify(answer: Answer, console: string[], sentValue: string): BrowserOutcome {
  const text = console.join("\n");
  if ("error" in answer) {
    if (/Redirect is not allowed for a preflight request/i.test(text)) return "blocked: redirect on preflight";
    if (/is not allowed by Access-Control-Allow-Headers/i.test(text)) return "blocked: header not allowed";
    if (/preflight/i.test(text)) return "blocked: preflight";
    // The real request was answered without CORS headers: a proxy's own error page (a refusal).
    if (/status of [45]\d\d/.test(text) || /No 'Access-Control-Allow-Origin' header is present on the requested resource/.test(text)) {
      return "refused";
    }
    return "blocked: preflight";
  }
  if (answer.status < 200 || answer.status >= 300) return "refused";
  let sha: string | null = null;
  try {
    sha = (JSON.parse(answer.body) as { authorization?: { sha256?: string | null } }).authorization?.sha256 ?? null;
  } catch {
    return "refused";
  }
  if (sha === sha256Hex(sentValue)) return "intact";
  return answer.redirected ? "lost on redirect" : "missing";
}
