import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintCanary } from "../../src/doctor/canary.js";
import { CHROMIUM_INSTALL, chromiumPath } from "../../src/lab/browser.js";
import { closeServer } from "../../src/listen.js";
import { createProbeHandler } from "../../src/probe/handler.js";

/** The probe's HTML page in a real Chromium: nothing from the request executes, no credential shows. */
type Page = {
  goto(url: string): Promise<unknown>;
  setExtraHTTPHeaders(h: Record<string, string>): Promise<void>;
  evaluate<R>(fn: () => R): Promise<R>;
  content(): Promise<string>;
  textContent(sel: string): Promise<string | null>;
  on(e: "dialog", fn: (d: { dismiss(): Promise<void> }) => void): void;
};
type Browser = { newContext(o: object): Promise<{ newPage(): Promise<Page>; close(): Promise<void> }>; close(): Promise<void> };

let server: Server;
let base = "";
let browser: Browser;
const canary = mintCanary();
const XSS = "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script>";
const b64 = (s: string) => Buffer.from(s).toString("base64url");
const evilJwt = `${b64(JSON.stringify({ alg: "HS256", typ: XSS }))}.${b64(JSON.stringify({ sub: XSS, iss: XSS }))}.c2ln`;

beforeAll(async () => {
  const path = chromiumPath();
  if (!path) throw new Error(`Chromium is missing: ${CHROMIUM_INSTALL}`);
  server = createServer(createProbeHandler());
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { chromium } = (await import("playwright-core")) as unknown as { chromium: { launch(o: object): Promise<Browser> } };
  browser = await chromium.launch({
    executablePath: path,
    headless: true,
    args: [...(process.getuid?.() === 0 ? ["--no-sandbox"] : []), "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await closeServer(server);
});

async function open(javaScriptEnabled: boolean, headers: Record<string, string>) {
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  let dialogs = 0;
  page.on("dialog", (d) => {
    dialogs += 1;
    void d.dismiss();
  });
  await page.setExtraHTTPHeaders(headers);
  await page.goto(`${base}/${encodeURIComponent(XSS)}/x?q=${encodeURIComponent(XSS)}&${encodeURIComponent(XSS)}=1`);
  return { page, context, dialogs: () => dialogs };
}

describe("the probe's HTML page in Chromium", () => {
  it("renders the report, runs nothing injected through headers, the path, the query or JWT claims", async () => {
    const { page, context, dialogs } = await open(true, { "X-Evil": XSS, Authorization: `Bearer ${evilJwt}` });
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs()).toBe(0);
    const html = await page.content();
    expect(html).toContain("authprobe: what reached");
    expect(html).not.toContain("<script>window.__pwned");
    // The claims are shown, as text: the page lists the JWT's sub.
    expect(await page.textContent("body")).toContain("window.__pwned=2");
    await context.close();
  });

  it("shows the same report with JavaScript off, and never the token", async () => {
    const { page, context } = await open(false, { Authorization: canary.value });
    const text = (await page.textContent("body")) ?? "";
    expect(text).toMatch(/Authorization/);
    expect(text).toMatch(new RegExp(canary.sha256));
    expect(text).not.toContain(canary.token);
    await context.close();
  });
});

declare const window: unknown;
