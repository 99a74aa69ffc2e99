import type { FindingCode } from "./findings.js";
import type { ServerName } from "./server-fingerprint.js";

/** What a fix depends on beyond the server: the probe's runtime and what else was lost. */
export interface FixContext {
  server: ServerName;
  runtime?: string | null;
  /** True when every client header was dropped, not only Authorization. */
  allHeadersDropped?: boolean;
}

type FixTable = Partial<Record<ServerName | "wsgi" | "cgi", string[]>> & { unknown: string[] };

const GENERIC_STRIP = [
  "Find the hop that drops it: run the doctor with --hop NAME=URL for each proxy's hop-echo, or put `authprobe serve probe` behind each hop in turn.",
  "nginx: look for `proxy_set_header Authorization \"\";` and `proxy_pass_request_headers off;`.",
  "Apache: look for `RequestHeader unset Authorization`; mod_wsgi needs `WSGIPassAuthorization On`, CGI and PHP-FPM need `CGIPassAuth On`.",
  "Node gateways: make sure the proxy forwards the `authorization` header (http-proxy does by default).",
];

const FIXES: Record<FindingCode, FixTable> = {
  AUTH_STRIPPED: {
    wsgi: [
      "Add `WSGIPassAuthorization On` to the VirtualHost (or <Directory>) that runs the WSGI app, then reload Apache.",
      "mod_wsgi hides Authorization by default; other headers pass, which is why only the token goes missing.",
    ],
    cgi: [
      "Apache 2.4.13+: add `CGIPassAuth On` inside the <Directory> of the scripts (also for PHP-FPM behind mod_proxy_fcgi).",
      "Older Apache: `SetEnvIf Authorization \"(.+)\" HTTP_AUTHORIZATION=$1` in the VirtualHost.",
    ],
    nginx: [
      "Remove `proxy_set_header Authorization \"\";` (check the location, server and http blocks and included snippets).",
      "To forward it explicitly: `proxy_set_header Authorization $http_authorization;`.",
      "FastCGI/uwsgi: remove `fastcgi_param HTTP_AUTHORIZATION \"\";` or set it to `$http_authorization`.",
    ],
    apache: [
      "Remove `RequestHeader unset Authorization`, or scope it to the <Location> that really needs it.",
      "If the app runs under mod_wsgi: `WSGIPassAuthorization On`; CGI or PHP-FPM: `CGIPassAuth On`.",
    ],
    node: [
      "The gateway does not forward Authorization: if it rebuilds headers from an allowlist, add \"authorization\" to headers.allow, or use \"mode\": \"forward\".",
      "With http-proxy or http-proxy-middleware, look for a proxyReq hook that calls removeHeader('authorization').",
    ],
    unknown: GENERIC_STRIP,
  },
  AUTH_REPLACED: {
    nginx: [
      "A `proxy_set_header Authorization ...` with another value, or an auth_request/auth_basic setup, replaces the client's token: remove it for the API location.",
    ],
    apache: [
      "Remove `RequestHeader set Authorization ...` for the API, or move edge Basic auth off this location.",
    ],
    node: [
      "The gateway overwrites Authorization: remove it from `\"headers\": { \"set\": ... }` (or the proxyReq hook that sets it).",
      "If the upstream needs a service credential, send it in another header (e.g. X-Service-Authorization).",
    ],
    unknown: ["A hop sets its own Authorization: find the proxy rule that sets it and remove it for the API."],
  },
  AUTH_ALTERED: {
    unknown: [
      "A hop rewrites the value: look for rules that rebuild Authorization from parts (scheme + token) or limit its length.",
      "Send the scheme as `Bearer` exactly; many apps compare it case-sensitively even though RFC 9110 says they should not.",
    ],
  },
  AUTH_DUPLICATED: {
    unknown: [
      "The client or a hop appends a second Authorization: set the header instead of adding it (axios/fetch interceptors, proxy rules).",
      "nginx answers 400 to duplicates; other proxies forward both and the app picks one or none.",
    ],
  },
  HEADER_TOO_LARGE: {
    nginx: ["Raise `large_client_header_buffers 4 32k;` (http or default server block) and reload nginx."],
    apache: ["Raise `LimitRequestFieldSize 16384` (server or VirtualHost) and reload Apache."],
    node: [
      "Raise Node's limit: `http.createServer({ maxHeaderSize: 65536 })` or `NODE_OPTIONS=--max-http-header-size=65536`; in an authprobe gateway config, `\"maxHeaderSize\": 65536`.",
    ],
    unknown: [
      "Raise the header size limit of the hop that answered (nginx: large_client_header_buffers; Apache: LimitRequestFieldSize; Node: maxHeaderSize; gunicorn: --limit-request-field_size).",
    ],
  },
  UNDERSCORE_HEADER_DROPPED: {
    nginx: ["Rename the header to use '-' (X-Auth-Token), or add `underscores_in_headers on;` to the default server."],
    apache: ["Apache 2.4 leaves headers with underscores out of the CGI/WSGI environment: rename the header to use '-'."],
    unknown: ["Rename the header to use '-' instead of '_': nginx, Apache CGI/WSGI, gunicorn 22+ and AWS ALB drop such names."],
  },
  REDIRECT_CROSS_ORIGIN: {
    nginx: ["Proxy to the API (`proxy_pass`) instead of `return 301` to another origin, or have clients call the final URL."],
    unknown: [
      "Have clients call the final URL, or make the edge proxy to it instead of redirecting.",
      "Avoid scheme and trailing-slash redirects on API paths (http→https, /api→/api/).",
    ],
  },
  CORS_PREFLIGHT_FAILED: {
    nginx: ["Let OPTIONS through without a token, e.g. `if ($request_method = OPTIONS)` before the token check, and let the app answer it."],
    unknown: ["Answer the preflight (OPTIONS) without requiring a token: run CORS handling before authentication."],
  },
  CORS_AUTH_NOT_ALLOWED: {
    unknown: [
      "Answer the preflight with `Access-Control-Allow-Headers: Authorization, Content-Type`: a `*` does not cover Authorization.",
    ],
  },
  PROXY_AUTH_CHALLENGE: {
    apache: [
      "Take Basic auth (AuthType Basic, Require valid-user) off the API location; protect the edge without the Authorization header, e.g. `Require ip 10.0.0.0/8`, mTLS or a forward-auth cookie.",
    ],
    nginx: [
      "Take `auth_basic` off the API location (`auth_basic off;`); protect the edge with `allow`/`deny`, mTLS or auth_request on a cookie.",
    ],
    unknown: ["A proxy demands its own credentials in Authorization: move that protection to another mechanism for the API."],
  },
  HOP_BY_HOP_STRIPPED: {
    unknown: [
      "This proxy follows RFC 9110: headers named in Connection are removed. Make sure no client sends `Connection: ..., Authorization`.",
    ],
  },
  UPSTREAM_UNREACHABLE: {
    unknown: [
      "Not a header problem: check that the app behind the proxy is running and that the proxy points at the right host and port.",
    ],
  },
  TOKEN_REJECTED: {
    unknown: [
      "The header arrived: check the app's key or secret, the pinned algorithm, issuer and audience, and the server clock.",
      "Decode the token (authprobe's probe shows its claims) and compare with what the app expects.",
    ],
  },
  SCHEME_MISMATCH: {
    unknown: [
      "Send the scheme the app expects (e.g. `JWT <token>` for flask-jwt/DRF-JWT defaults), or configure the app to accept `Bearer`.",
    ],
  },
  PROBE_NOT_FOUND: {
    unknown: [
      "Deploy a probe behind the same proxy path: `authprobe serve probe`, or `app.use('/__authprobe', probeRouter())` in Express.",
      "Then run the doctor against that path to see exactly what reaches the app.",
    ],
  },
};

export function fixSteps(code: FindingCode, ctx: FixContext): string[] {
  const table = FIXES[code];
  if (code === "AUTH_STRIPPED" && ctx.allHeadersDropped && ctx.server === "nginx") {
    return [
      "Remove `proxy_pass_request_headers off;`: it drops every client header, Authorization included.",
      "To drop a specific header, use `proxy_set_header NAME \"\";` for that header only.",
    ];
  }
  const runtime = ctx.runtime === "wsgi" || ctx.runtime === "cgi" ? ctx.runtime : null;
  return (runtime ? table[runtime] : undefined) ?? table[ctx.server] ?? table.unknown;
}
