import { labelOf, type ServerName } from "../components.js";
import type { FindingCode } from "./findings.js";

/** The forms an app reads a token in: `Bearer <t>`, `JWT <t>`, `Token <t>`, or the token alone. */
export type SchemeForm = "Bearer" | "JWT" | "Token" | "bare";
/** The stack an answer reveals, for the probe recipe that fits it. */
export type ProbeHint = "mod_wsgi" | "php" | "express" | "python";

/** What a fix depends on beyond the component: the app server behind it and what else was seen. */
export interface FixContext {
  server: ServerName;
  /** When server is unknown: the components that can be in the path, most likely first. */
  candidates?: ServerName[];
  /** The probe's runtimeServer: mod_wsgi, gunicorn, uwsgi, php-fpm, cgi, node. */
  runtimeServer?: string | null;
  /** True when every client header was dropped, not only Authorization. */
  allHeadersDropped?: boolean;
  /** The token arrived as REDIRECT_HTTP_AUTHORIZATION: a mod_rewrite E= flag on a rewriting rule. */
  redirectPrefix?: boolean;
  /** Why a CORS preflight failed: it was redirected, `*` with credentials, no Allow-Credentials, or refused. */
  corsCause?: "redirect" | "wildcard-credentials" | "no-credentials" | "refused" | "no-cors" | "origin-not-allowed";
  /** SCHEME_MISMATCH: the form sent, the form the app took (null: none tried was), the scheme its challenge asks for. */
  scheme?: { sent: SchemeForm | string; accepted: SchemeForm | null; asked: string | null };
  /** Black box: the stack the answers reveal (Server, X-Powered-By), for the probe recipe. */
  probeHint?: ProbeHint | null;
}

type Steps = (ctx: FixContext) => string[] | null;
type FixTable = Partial<Record<ServerName, Steps>> & { unknown: Steps };

const RELOAD: Partial<Record<ServerName, string>> = {
  nginx: "`nginx -t && nginx -s reload`",
  apache: "`apachectl configtest && apachectl graceful`",
  haproxy: "`haproxy -c -f /etc/haproxy/haproxy.cfg && systemctl reload haproxy`",
  caddy: "`caddy reload --config /etc/caddy/Caddyfile`",
  varnish: "`varnishreload` (VCL) or a restart (varnishd -p parameters)",
  gunicorn: "restart gunicorn (or `kill -HUP` its master process)",
  uwsgi: "restart uWSGI (or touch its touch-reload file)",
  "php-fpm": "`systemctl reload php-fpm`",
  node: "restart the gateway",
};

const reload = (s: ServerName) => (RELOAD[s] ? `Then reload: ${RELOAD[s]}.` : "Then reload the server.");
const fixed = (...steps: string[]): Steps => () => steps;

const STRIP: FixTable = {
  nginx: (c) => {
    if (c.allHeadersDropped) {
      return [
        "Remove `proxy_pass_request_headers off;`: it drops every client header, Authorization included.",
        "To drop a specific header, use `proxy_set_header NAME \"\";` for that header only.",
        reload("nginx"),
      ];
    }
    if (c.runtimeServer === "php-fpm" || c.runtimeServer === "php" || c.runtimeServer === "cgi") {
      return [
        "Remove `fastcgi_param HTTP_AUTHORIZATION \"\";` from the location that runs PHP (and from any included snippet): the stock `include fastcgi_params;` passes every request header, Authorization included.",
        "Or set it explicitly after the include: `fastcgi_param HTTP_AUTHORIZATION $http_authorization;`.",
        reload("nginx"),
      ];
    }
    if (c.runtimeServer === "uwsgi") {
      return [
        "Remove `uwsgi_param HTTP_AUTHORIZATION \"\";` from the location with `uwsgi_pass` (and from included snippets): the stock `include uwsgi_params;` passes every request header.",
        "Or set it explicitly after the include: `uwsgi_param HTTP_AUTHORIZATION $http_authorization;`.",
        reload("nginx"),
      ];
    }
    return [
      "Remove `proxy_set_header Authorization \"\";` (look in the location, server and http blocks and included snippets): nginx forwards Authorization by default.",
      "If you set any `proxy_set_header` in a location, nginx ignores all those of the enclosing block: repeat the ones you need there.",
      reload("nginx"),
    ];
  },
  apache: (c) => {
    if (c.runtimeServer === "mod_wsgi") {
      return [
        "Add `WSGIPassAuthorization On` to the VirtualHost (or the <Directory> of the WSGI script).",
        "mod_wsgi hides Authorization by default; other headers pass, which is why only the token goes missing.",
        reload("apache"),
      ];
    }
    if (c.redirectPrefix) {
      return [
        "The app received the token only as REDIRECT_HTTP_AUTHORIZATION: a RewriteRule that rewrites to the front controller carries `E=HTTP_AUTHORIZATION:...`, and the internal redirect renamed the variable.",
        "Set it in a rule of its own before the front-controller rule: `RewriteCond %{HTTP:Authorization} .` then `RewriteRule ^ - [E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]`; or add `CGIPassAuth On` (Apache 2.4.13+) to the <Directory>.",
        "Or read REDIRECT_HTTP_AUTHORIZATION in the app as a fallback.",
        reload("apache"),
      ];
    }
    if (c.runtimeServer === "php-fpm") {
      return [
        "mod_proxy_fcgi leaves Authorization out unless told: with `SetHandler \"proxy:fcgi://...\"`, add `CGIPassAuth On` (Apache 2.4.13+) to the <Directory> of the PHP files.",
        "With `ProxyPass`/`ProxyPassMatch ... fcgi://...`, a <Directory> never applies: put `CGIPassAuth On` in `<Proxy \"fcgi://HOST:PORT\">...</Proxy>` for that backend, or at VirtualHost level `SetEnvIf Authorization \"(.+)\" HTTP_AUTHORIZATION=$1`.",
        reload("apache"),
      ];
    }
    if (c.runtimeServer === "cgi") {
      return [
        "Add `CGIPassAuth On` (Apache 2.4.13+) inside the <Directory> of the CGI scripts.",
        "Older Apache: `SetEnvIf Authorization \"(.+)\" HTTP_AUTHORIZATION=$1` in the VirtualHost.",
        reload("apache"),
      ];
    }
    if (c.runtimeServer === "php") {
      return [
        "PHP under Apache (mod_php, or PHP-FPM through mod_proxy_fcgi) gets no Authorization unless told: add `CGIPassAuth On` (Apache 2.4.13+) to the <Directory> of the PHP files (with `ProxyPassMatch ... fcgi://`, in `<Proxy \"fcgi://HOST:PORT\">`), or `SetEnvIf Authorization \"(.+)\" HTTP_AUTHORIZATION=$1` in the VirtualHost.",
        reload("apache"),
      ];
    }
    if (!c.runtimeServer) {
      // Nothing says how Apache runs the app (no probe): each way has its own cause.
      return [
        "The fix depends on how Apache runs the app. mod_wsgi (Python in Apache): add `WSGIPassAuthorization On` to the VirtualHost.",
        "PHP (mod_php or PHP-FPM) or CGI: add `CGIPassAuth On` (Apache 2.4.13+) to the <Directory> of the scripts.",
        "mod_proxy to an app server: remove `RequestHeader unset Authorization` (it forwards Authorization by default).",
        reload("apache"),
      ];
    }
    return [
      "Remove `RequestHeader unset Authorization` (or scope it to the <Location> that really needs it): mod_proxy forwards Authorization by default.",
      reload("apache"),
    ];
  },
  haproxy: fixed(
    "Remove `http-request del-header Authorization` (check the frontend, the backend and `defaults`): HAProxy forwards Authorization by default.",
    reload("haproxy"),
  ),
  caddy: fixed("Remove `header_up -Authorization` from the `reverse_proxy` block: Caddy forwards Authorization by default.", reload("caddy")),
  varnish: fixed(
    "Remove `unset req.http.Authorization;` from vcl_recv. Pass requests that carry a token instead, so personal answers are never cached: `if (req.http.Authorization) { return (pass); }`.",
    reload("varnish"),
  ),
  node: fixed(
    "The gateway does not forward Authorization: if it rebuilds headers from an allowlist, add \"authorization\" to headers.allow (or use \"mode\": \"forward\").",
    "With http-proxy or http-proxy-middleware, look for a proxyReq hook that calls removeHeader('authorization').",
    reload("node"),
  ),
  unknown: () => null,
};

const REPLACE: FixTable = {
  nginx: fixed(
    "A `proxy_set_header Authorization ...` with another value (or auth_request/auth_basic with a fixed header) replaces the client's token: remove it for the API location.",
    reload("nginx"),
  ),
  apache: fixed("Remove `RequestHeader set Authorization ...` for the API, or move edge credentials off this location.", reload("apache")),
  haproxy: fixed("Remove `http-request set-header Authorization ...` for the API backend.", reload("haproxy")),
  caddy: fixed("Remove `header_up Authorization ...` from the `reverse_proxy` block.", reload("caddy")),
  varnish: fixed("Remove `set req.http.Authorization = ...;` from the VCL.", reload("varnish")),
  node: fixed(
    "The gateway overwrites Authorization: remove it from `\"headers\": { \"set\": ... }` (or the proxyReq hook that sets it).",
    "If the upstream needs a service credential, send it in another header (e.g. X-Service-Authorization).",
  ),
  unknown: () => null,
};

const TOO_LARGE: FixTable = {
  nginx: fixed(
    "Raise `large_client_header_buffers 4 32k;` in the http block or in the default server (for name-based virtual hosts the default server's value applies).",
    reload("nginx"),
  ),
  apache: fixed(
    "Raise `LimitRequestFieldSize 16384` in the main server config or the default (first) VirtualHost of that address: in a name-based VirtualHost that is not the default it has no effect.",
    reload("apache"),
  ),
  haproxy: fixed("Raise `tune.bufsize 32768` in the global section (a request head must fit in one buffer, less tune.maxrewrite).", reload("haproxy")),
  caddy: fixed("Raise the `max_header_size` servers option (global options: `servers { max_header_size 64KB }`).", reload("caddy")),
  varnish: fixed("Raise the run-time parameter `http_req_hdr_len` (e.g. `varnishd -p http_req_hdr_len=32k`, and `http_req_size` if whole heads exceed 32k).", reload("varnish")),
  gunicorn: fixed(
    "Raise gunicorn's field limit: `--limit-request-field_size 32768` (or `limit_request_field_size = 32768` in gunicorn.conf.py); 0 means unlimited.",
    "The proxy in front must take it too (nginx: `large_client_header_buffers 4 32k;`).",
    reload("gunicorn"),
  ),
  uwsgi: fixed(
    "Raise uWSGI's `buffer-size = 32768` in its [uwsgi] ini (or `--buffer-size 32768`): the default 4096 bytes holds the whole request head, and a larger one is dropped, which nginx reports as 502.",
    reload("uwsgi"),
  ),
  node: fixed(
    "Raise Node's limit: `http.createServer({ maxHeaderSize: 65536 })` or `NODE_OPTIONS=--max-http-header-size=65536`; in an authprobe gateway config, `\"maxHeaderSize\": 65536`.",
  ),
  unknown: () => null,
};

const FIXES: Record<FindingCode, FixTable> = {
  AUTH_STRIPPED: STRIP,
  AUTH_REPLACED: REPLACE,
  AUTH_ALTERED: {
    unknown: fixed(
      "A hop rewrites the value: look for rules that rebuild Authorization from parts (scheme + token) or limit its length.",
      "Send the scheme as `Bearer` exactly; many apps compare it case-sensitively even though RFC 9110 says they should not.",
    ),
  },
  AUTH_DUPLICATED: {
    unknown: fixed(
      "The client or a hop adds a second Authorization: set the header instead of adding it (axios/fetch interceptors, proxy rules such as `http-request add-header` or `RequestHeader add`).",
      "nginx answers 400 to duplicates; Apache joins them with a comma; other proxies forward both and the app picks one or none.",
    ),
  },
  HEADER_TOO_LARGE: TOO_LARGE,
  UNDERSCORE_HEADER_DROPPED: {
    nginx: fixed("Rename the header to use '-' (X-Auth-Token), or add `underscores_in_headers on;` to the default server.", reload("nginx")),
    apache: fixed("Apache 2.4 leaves headers with underscores out of the CGI, FastCGI and WSGI environment: rename the header to use '-'."),
    gunicorn: fixed("gunicorn 22+ refuses or drops header names with underscores (header_map): rename the header to use '-'."),
    unknown: fixed("Rename the header to use '-' instead of '_': nginx, Apache CGI/FastCGI/WSGI, gunicorn 22+ and AWS ALB drop such names."),
  },
  REDIRECT_CROSS_ORIGIN: {
    nginx: fixed(
      "Proxy to the API (`proxy_pass`) instead of `return 301` to another origin, or have clients call the final https URL directly.",
      "Avoid scheme and trailing-slash redirects on API paths (http→https, /api→/api/).",
    ),
    apache: fixed("Proxy to the API (`ProxyPass`) instead of `Redirect`/`RewriteRule ... [R]` to another origin, or have clients call the final https URL."),
    caddy: fixed("Proxy to the API (`reverse_proxy`) instead of `redir` to another origin, or have clients call the final https URL."),
    haproxy: fixed("Proxy to the API instead of `http-request redirect` to another origin, or have clients call the final https URL."),
    unknown: fixed(
      "Have clients call the final https URL, or make the edge proxy to it instead of redirecting.",
      "Avoid scheme and trailing-slash redirects on API paths (http→https, /api→/api/).",
    ),
  },
  CORS_PREFLIGHT_FAILED: {
    nginx: (c) => corsSteps(c) ?? ["Let OPTIONS through without a token, e.g. `if ($request_method = OPTIONS)` before the token check, and let the app answer it."],
    unknown: (c) => corsSteps(c) ?? ["Answer the preflight (OPTIONS) without requiring a token: run CORS handling before authentication."],
  },
  CORS_AUTH_NOT_ALLOWED: {
    unknown: fixed("Answer the preflight with `Access-Control-Allow-Headers: Authorization, Content-Type` (name Authorization explicitly)."),
  },
  PROXY_AUTH_CHALLENGE: {
    apache: fixed(
      "Take Basic auth (AuthType Basic, Require valid-user) off the API location; protect the edge without the Authorization header, e.g. `Require ip 10.0.0.0/8`, mTLS or a forward-auth cookie.",
    ),
    nginx: fixed("Take `auth_basic` off the API location (`auth_basic off;`); protect the edge with `allow`/`deny`, mTLS or auth_request on a cookie."),
    haproxy: fixed("Remove the `http-request auth` rule (and its userlist check) for the API; protect the edge with ACLs on source addresses or mTLS."),
    caddy: fixed("Remove `basicauth` (`basic_auth`) from the API routes; protect the edge with `remote_ip` matchers or mTLS."),
    unknown: fixed("A proxy demands its own credentials in Authorization: move that protection to another mechanism for the API."),
  },
  HOP_BY_HOP_STRIPPED: {
    unknown: fixed("This proxy follows RFC 9110: headers named in Connection are removed. Make sure no client sends `Connection: ..., Authorization`."),
  },
  UPSTREAM_UNREACHABLE: {
    unknown: fixed("Not a header problem: check that the app behind the proxy is running and that the proxy points at the right host and port."),
  },
  TOKEN_REJECTED: {
    unknown: fixed(
      "The header arrived: check the app's key or secret, the pinned algorithm, issuer and audience, and the server clock.",
      "Decode the token (authprobe's probe shows its claims) and compare with what the app expects.",
    ),
  },
  SCHEME_MISMATCH: {
    unknown: schemeSteps,
  },
  PROBE_NOT_FOUND: {
    unknown: (c) => [...probeSteps(c.probeHint ?? null), "Then run the doctor against that path to see exactly what reaches the app."],
  },
  // A token that made no difference: the strip fixes of each proxy in the path, after the probe that tells.
  AUTH_NOT_VERIFIED: {
    ...Object.fromEntries(Object.entries(STRIP).filter(([k]) => k !== "unknown")),
    unknown: (c) => [
      ...probeSteps(c.probeHint ?? null),
      "Then run the doctor against that path: it shows whether the token reaches the app and, if not, which hop drops it.",
      "Or run the doctor with your real token (--token, or --authorization with the exact header value your client sends) against a protected route.",
    ],
  },
  PROBE_REPORT_INVALID: {
    unknown: fixed(
      "Check what answers at this URL: the body says it is an authprobe report (probe: \"authprobe\", version: 1) but breaks the report's schema (docs/probe-report.schema.json).",
      "Your own probe: deploy the version that ships with this doctor (`authprobe serve probe`, the Express router, or proxy-configs/probes/*). Not yours: something at this URL imitates a probe; do not trust its answers.",
    ),
  },
};

const FORM_TEXT = (form: string | null) => (form === "bare" ? "the token alone, no scheme (`Authorization: <token>`)" : `\`Authorization: ${form} <token>\``);

/** Built from what was sent and what the app took, never a fixed sentence. */
function schemeSteps(c: FixContext): string[] {
  const sent = c.scheme?.sent ?? "Bearer";
  const accepted = c.scheme?.accepted ?? null;
  const asked = c.scheme?.asked ?? null;
  const wanted = accepted ?? (asked ? (asked === "jwt" ? "JWT" : asked) : null);
  const steps = wanted
    ? [`Send ${FORM_TEXT(wanted)}${accepted ? " (the form the app accepted)" : " (the scheme its challenge asks for)"}, not ${FORM_TEXT(sent)}.`]
    : [`The app refuses ${FORM_TEXT(sent)} for its scheme: send the form its documentation names.`];
  steps.push(
    `Or make the app accept ${FORM_TEXT(sent)}: flask-jwt \`JWT_AUTH_HEADER_PREFIX\`, flask-jwt-extended \`JWT_HEADER_TYPE\`, djangorestframework-simplejwt \`SIMPLE_JWT["AUTH_HEADER_TYPES"]\`, DRF TokenAuthentication's \`keyword\`, express-jwt's \`getToken\`.`,
  );
  return steps;
}

/** Where a probe goes for the stack the answers reveal, then the others. */
function probeSteps(hint: ProbeHint | null): string[] {
  const recipes: Record<ProbeHint, string> = {
    mod_wsgi:
      "Apache mod_wsgi runs your app: add `WSGIScriptAlias /__authprobe /path/to/proxy-configs/probes/probe.wsgi` before the app's own `WSGIScriptAlias /` (the first matching alias wins), in the same VirtualHost, so the probe sees what mod_wsgi passes to the app.",
    php: "PHP runs your app: copy `proxy-configs/probes/probe.php` next to your front controller (e.g. `public/__authprobe.php`), served by the same PHP-FPM or mod_php handler, and point the doctor at it.",
    express: "Express runs your app: `app.use('/__authprobe', probeRouter())` from `authprobe/express`, before your auth middleware.",
    python:
      "A Python app server runs your app: serve `authprobe_wsgi:application` from `proxy-configs/probes/` under the same server (e.g. gunicorn) behind the same proxy path.",
  };
  const generic = "Deploy a probe behind the same proxy path: `authprobe serve probe`, or `app.use('/__authprobe', probeRouter())` in Express; for Apache mod_wsgi, PHP or CGI apps, the probe files in `proxy-configs/probes/` (docs/probe.md).";
  return hint ? [recipes[hint], generic] : [generic];
}

/** A preflight that failed for a reason other than a refusal: the fix is the same on any server. */
function corsSteps(c: FixContext): string[] | null {
  if (c.corsCause === "redirect") {
    return [
      "Have the page call the final URL (scheme, host and port): browsers never follow a redirect on a preflight.",
      "Or make the edge proxy to the API (`proxy_pass`) instead of redirecting.",
    ];
  }
  if (c.corsCause === "wildcard-credentials" || c.corsCause === "no-credentials") {
    return [
      "For calls with credentials: \"include\", answer with the caller's origin, never `*`: `Access-Control-Allow-Origin: https://app.example.com` (or echo a checked $http_origin) and `Access-Control-Allow-Credentials: true`, on the preflight and on the real answer.",
      "A bearer token alone does not need credentials: \"include\": drop it if you send no cookies.",
    ];
  }
  if (c.corsCause === "no-cors" || c.corsCause === "origin-not-allowed") return appCorsSteps(c.probeHint ?? null);
  return null;
}

/** CORS belongs to the app first: its framework's setting, then a proxy rule only if the proxy answers. */
function appCorsSteps(hint: ProbeHint | null): string[] {
  const allow = "allow your page's origin, the methods it uses and the `Authorization` header (and answer OPTIONS without a token)";
  const byStack: Record<ProbeHint, string> = {
    express: `In the Express app: \`app.use(cors({ origin: "https://app.example.com", allowedHeaders: ["Authorization", "Content-Type"] }))\` (the \`cors\` package) before the routes and the auth middleware: ${allow}.`,
    python: `In the Python app: Flask \`CORS(app, origins=[...], allow_headers=["Authorization", "Content-Type"])\` (flask-cors); FastAPI/Starlette \`app.add_middleware(CORSMiddleware, allow_origins=[...], allow_headers=["Authorization"])\`; Django \`django-cors-headers\` with \`CORS_ALLOWED_ORIGINS\`: ${allow}.`,
    mod_wsgi: `In the Python app under mod_wsgi: flask-cors, Starlette's CORSMiddleware or django-cors-headers: ${allow}.`,
    php: `In the PHP app: the framework's CORS (Laravel \`config/cors.php\`, Symfony NelmioCorsBundle) or \`header('Access-Control-Allow-Origin: ...')\` for OPTIONS: ${allow}.`,
  };
  const generic = `In the app: its CORS middleware (Express \`cors\`, flask-cors, FastAPI/Starlette CORSMiddleware, Django \`django-cors-headers\`): ${allow}.`;
  return [
    hint ? byStack[hint] : generic,
    "Only if a proxy answers OPTIONS itself (an error page or a rule of its own): add the same headers there, e.g. nginx `add_header Access-Control-Allow-Origin ... always` in the location that answers.",
  ];
}

const GENERIC_STRIP = [
  "Find the hop that drops it: run the doctor with --hop NAME=URL for each proxy's hop echo, or put `authprobe serve probe` behind each hop in turn.",
];

/**
 * Steps for the blamed component; when it is unknown, the steps of each candidate that can be in
 * the path, most likely first, each marked with its component. Never a fix for a server the
 * evidence does not put in the path.
 */
export function fixSteps(code: FindingCode, ctx: FixContext): string[] {
  const table = FIXES[code];
  if (ctx.server !== "unknown") {
    const own = table[ctx.server]?.(ctx);
    if (own) return own;
    return table.unknown(ctx) ?? [`Check the ${labelOf(ctx.server)} configuration for a rule that touches Authorization.`];
  }
  const perCandidate = (ctx.candidates ?? []).flatMap((candidate) => {
    const steps = table[candidate]?.({ ...ctx, server: candidate });
    return steps ? [`If it is ${labelOf(candidate)}: ${steps.filter((s) => !s.startsWith("Then reload")).join(" ")}`] : [];
  });
  const generic = table.unknown(ctx) ?? (code === "AUTH_STRIPPED" ? GENERIC_STRIP : []);
  const steps = [...(code === "AUTH_STRIPPED" || code === "AUTH_REPLACED" ? GENERIC_STRIP : []), ...perCandidate, ...generic];
  const unique = [...new Set(steps)];
  return unique.length ? unique : ["Find the component that did it: run the doctor with --hop for each proxy's hop echo."];
}
