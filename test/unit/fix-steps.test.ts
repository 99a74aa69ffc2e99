import { describe, expect, it } from "vitest";
import { COMPONENTS, type ServerName } from "../../src/components.js";
import { FINDING_CODES } from "../../src/doctor/findings.js";
import { type FixContext, fixSteps } from "../../src/doctor/fixes.js";

// The fix text is what users paste into their server: every (finding, component, context) the
// doctor can ask for is frozen in a snapshot, and the rules that keep a fix honest are asserted on
// all of them.

const RUNTIMES = [null, "mod_wsgi", "gunicorn", "uwsgi", "php-fpm", "php", "cgi", "node"] as const;
const CORS_CAUSES = ["redirect", "wildcard-credentials", "no-credentials", "refused"] as const;

/** Every context variation a check builds, named for the snapshot. */
function contexts(server: ServerName): [string, FixContext][] {
  const out: [string, FixContext][] = [];
  for (const runtimeServer of RUNTIMES) out.push([`runtime=${runtimeServer}`, { server, runtimeServer }]);
  out.push(["all headers dropped", { server, allHeadersDropped: true }]);
  out.push(["redirect prefix", { server, runtimeServer: "php-fpm", redirectPrefix: true }]);
  for (const corsCause of CORS_CAUSES) out.push([`cors=${corsCause}`, { server, corsCause }]);
  return out;
}

/** Directives that belong to one server only: a fix for another server must not name them. */
const OWN_WORDS: Partial<Record<ServerName, RegExp>> = {
  nginx: /proxy_set_header|fastcgi_param|uwsgi_param|large_client_header_buffers|underscores_in_headers|auth_basic/,
  apache: /RequestHeader|WSGIPassAuthorization|CGIPassAuth|LimitRequestFieldSize|RewriteRule|ProxyPass/,
  haproxy: /http-request|tune\.bufsize/,
  caddy: /header_up|reverse_proxy|max_header_size|basic_?auth/,
  varnish: /req\.http|vcl_recv|http_req_hdr_len/,
};

/** Computed inside each test, so coverage tools see which test ran which fix. */
const all = () => FINDING_CODES.flatMap((code) =>
  COMPONENTS.flatMap((server) =>
    contexts(server).map(([name, ctx]) => ({ code, server, name, ctx, steps: fixSteps(code, ctx) })),
  ),
);

describe("fix steps: every finding, component and context", () => {
  it("always gives at least one non-empty step", () => {
    for (const { code, server, name, steps } of all()) {
      expect(steps.length, `${code} ${server} ${name}`).toBeGreaterThan(0);
      for (const step of steps) expect(step.trim().length, `${code} ${server} ${name}`).toBeGreaterThan(10);
    }
  });

  it("never names another server's directives in a fix for a known server", () => {
    for (const { code, server, name, ctx, steps } of all()) {
      if (server === "unknown") continue;
      // The generic steps (no entry for this server) may list several servers' rules as examples.
      if (JSON.stringify(steps) === JSON.stringify(fixSteps(code, { ...ctx, server: "unknown" }))) continue;
      for (const [other, words] of Object.entries(OWN_WORDS)) {
        if (other === server) continue;
        // Proxying instead of redirecting, and 'the proxy in front' advice, may name nginx's setting.
        const text = steps.join("\n");
        if (other === "nginx" && server === "gunicorn" && code === "HEADER_TOO_LARGE") continue;
        expect(text, `${code} for ${server} (${name}) names ${other}`).not.toMatch(words);
      }
    }
  });

  it("ends with the reload command of the blamed server when it has one", () => {
    const reloads: Partial<Record<ServerName, string>> = {
      nginx: "nginx -t && nginx -s reload",
      apache: "apachectl configtest && apachectl graceful",
      haproxy: "haproxy -c -f",
      caddy: "caddy reload",
      varnish: "varnishreload",
      gunicorn: "kill -HUP",
      uwsgi: "touch-reload",
      "php-fpm": "systemctl reload php-fpm",
      node: "restart the gateway",
    };
    for (const { code, server, name, steps } of all()) {
      const last = steps.at(-1) ?? "";
      if (!last.startsWith("Then reload")) continue;
      const command = reloads[server];
      expect(command, `${code} ${server} ${name}: a reload step for a server without one`).toBeDefined();
      expect(last, `${code} ${server} ${name}`).toContain(command);
    }
  });

  it("for an unknown component, marks each candidate's steps and leaves their reload out", () => {
    for (const code of FINDING_CODES) {
      const steps = fixSteps(code, { server: "unknown", candidates: ["nginx", "apache", "haproxy", "caddy", "varnish", "node"] });
      for (const step of steps) expect(step).not.toMatch(/Then reload/);
      const marked = steps.filter((s) => s.startsWith("If it is "));
      for (const step of marked) expect(step).toMatch(/^If it is (nginx|Apache|HAProxy|Caddy|Varnish|Node): \S/);
      expect(new Set(steps).size, `${code}: no step twice`).toBe(steps.length);
    }
  });

  it("for an unknown component with no candidates, never blames a server", () => {
    for (const code of FINDING_CODES) {
      const text = fixSteps(code, { server: "unknown" }).join("\n");
      expect(text, code).not.toMatch(/^If it is/m);
    }
  });

  it("stripped with no candidates: how to find the hop, first", () => {
    expect(fixSteps("AUTH_STRIPPED", { server: "unknown" })[0]).toMatch(/--hop NAME=URL/);
    expect(fixSteps("AUTH_REPLACED", { server: "unknown" })[0]).toMatch(/--hop NAME=URL/);
    expect(fixSteps("HEADER_TOO_LARGE", { server: "unknown" })).toEqual([
      "Find the component that did it: run the doctor with --hop for each proxy's hop echo.",
    ]);
  });

  it("a known server with no entry of its own gets the generic steps, or a pointer to its configuration", () => {
    expect(fixSteps("AUTH_STRIPPED", { server: "gunicorn" })).toEqual(["Check the gunicorn configuration for a rule that touches Authorization."]);
    expect(fixSteps("AUTH_ALTERED", { server: "nginx" })).toEqual(fixSteps("AUTH_ALTERED", { server: "unknown" }));
  });

  it("matches the frozen table (what users paste; update the snapshot on purpose only)", () => {
    // Only the contexts that change a step are kept, to keep the snapshot readable.
    const table: Record<string, string[]> = {};
    for (const { code, server, name, steps } of all()) {
      const base = fixSteps(code, { server });
      if (name !== "runtime=null" && JSON.stringify(steps) === JSON.stringify(base)) continue;
      table[`${code} ${server}${name === "runtime=null" ? "" : ` (${name})`}`] = steps;
    }
    for (const code of FINDING_CODES) {
      table[`${code} unknown (candidates nginx, apache)`] = fixSteps(code, { server: "unknown", candidates: ["nginx", "apache"] });
    }
    expect(table).toMatchSnapshot();
  });
});
