"""authprobe probe report v1 for WSGI and CGI: the same shape as the Node probe, stdlib only.

A WSGI/CGI app cannot see raw headers: the server hands it HTTP_* variables, upper-cased, with
dashes turned into underscores, order lost and duplicates merged. The report says what the app
can see, which is exactly the point: if HTTP_AUTHORIZATION is not there, the app never gets it.
"""
import base64
import hashlib
import hmac
import json
import os
import re
import time
from urllib.parse import quote, unquote_plus

SECRET_NAMES = {"authorization", "proxy-authorization", "cookie", "set-cookie", "authentication", "x-authprobe-key"}
SAFE_NAMES = {"x-authprobe-control", "x-authprobe-hop"}
NEVER_BY_SHAPE = {"host", "x-forwarded-host", "forwarded", "x-forwarded-server", "x-original-host"}
TOKENISH = re.compile(r"(auth|token|jwt|api[-_]?key|secret|passw|passphrase|passcode|session|credential|signature|bearer)", re.I)
TOKENISH_PART = re.compile(r"(^|[-_.])(key|sig|code|pass|pwd|apikey|subscription-key|otp|totp|hotp|mfa|pin)([-_.]|$)", re.I)
JWT_SHAPE = re.compile(r"^ey[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*(\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)?$")
CREDENTIAL_VALUE = re.compile(r"^\s*(bearer|basic|jwt|token|digest|negotiate|dpop)\s+\S", re.I)
SECRET_RUN = re.compile(r"[A-Za-z0-9+/_=-]{24,}")
KNOWN_SCHEMES = {"basic", "bearer", "digest", "dpop", "hoba", "mutual", "negotiate", "ntlm", "oauth", "scram-sha-1",
                 "scram-sha-256", "vapid", "privatetoken", "concealed", "jwt", "token", "aws4-hmac-sha256", "apikey",
                 "key", "sharedaccesssignature", "hawk"}
SCHEME = re.compile(r"^([A-Za-z0-9!#$%&'*+.^_`|~-]+)[ \t]+(.*)$", re.S)
CANONICAL = ["Bearer", "Basic", "Digest", "JWT", "Token", "Negotiate", "DPoP"]
REGISTERED = {"iss", "sub", "aud", "exp", "nbf", "iat", "jti"}
CANARY_CLAIM = "authprobe_canary"


# A plain sha256 of a short credential is the credential to anyone with a word list: every
# fingerprint is an HMAC-SHA256 under a key drawn once per process and never shown, except the
# doctor's canary (recognised by its claim, no key needed), whose plain sha256 the doctor compares.
PROCESS_KEY = os.urandom(32)
CANARY_PAYLOAD_START = b'{"authprobe_canary":'
CANARY_BASIC = re.compile(r"^authprobe:[0-9a-f]{12}$")


def _bytes(value):
    return value.encode("latin-1", "replace")


def _b64url(segment):
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _is_canary_payload(segment):
    if not re.match(r"^[A-Za-z0-9_-]+$", segment):
        return False
    try:
        # Whole 4-character groups only, so a segment cut short by a hop still decodes its start.
        if _b64url(segment[:len(segment) - len(segment) % 4]).startswith(CANARY_PAYLOAD_START):
            return True
        claims = json.loads(_b64url(segment).decode("utf-8"))
        return isinstance(claims, dict) and CANARY_CLAIM in claims
    except Exception:
        return False


def is_canary_value(value):
    """The doctor's canary: [scheme ]<JWT with the canary claim> (also cut, re-cased, re-spaced), or Basic authprobe:<runId>."""
    m = SCHEME.match(value.strip())
    credentials = (m.group(2) if m else value.strip()).strip()
    if m and m.group(1).lower() == "basic":
        try:
            return bool(CANARY_BASIC.match(base64.b64decode(credentials, validate=False).decode("latin-1")))
        except Exception:
            return False
    parts = credentials.split(".")
    return len(parts) >= 2 and parts[0].startswith("ey") and _is_canary_payload(parts[1])


def fingerprint(value):
    if is_canary_value(value):
        return {"length": len(_bytes(value)), "sha256": hashlib.sha256(_bytes(value)).hexdigest(), "hash": "sha256"}
    keyed = hmac.new(PROCESS_KEY, _bytes(value), hashlib.sha256).hexdigest()
    return {"length": len(_bytes(value)), "sha256": keyed, "hash": "hmac-sha256"}


def redacted(value):
    fp = fingerprint(value)
    return "[redacted length=%d %s=%s]" % (fp["length"], "sha256" if fp["hash"] == "sha256" else "hmac", fp["sha256"][:12])


def looks_like_jwt(value):
    return bool(JWT_SHAPE.match(value.strip()))


def contains_secret_run(text):
    """A random-looking run: 24+ base64/hex characters mixing letters and digits (a key, a token)."""
    return any(re.search(r"[0-9]", m) and re.search(r"[A-Za-z]", m) for m in SECRET_RUN.findall(text))


def is_tokenish(name):
    return bool(TOKENISH.search(name) or TOKENISH_PART.search(name))


def is_secret_segment(segment):
    from urllib.parse import unquote
    decoded = unquote(segment)
    return looks_like_jwt(decoded) or contains_secret_run(decoded)


# URLs carry credentials in userinfo, path segments, matrix parameters, the query (also a bare
# ?<key>) and the fragment, and a query value may be a URL itself: the Node probe's rules
# (src/probe/redact-url.ts), for the request target and URL-valued headers alike.
URL_HEADERS = {"referer", "origin", "location", "content-location", "x-original-uri", "x-original-url", "x-rewrite-url",
               "x-forwarded-uri", "x-forwarded-prefix", "x-envoy-original-path", "x-ms-copy-source", "x-amz-copy-source"}
MAX_NESTING = 4
ABSOLUTE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*:)?//([^/?#]*)(.*)$", re.S)
EMBEDDED_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s<>\"',]+")
LOOKS_LIKE_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://|^/|\?|;")
URI_SAFE = "!*'()"  # what encodeURIComponent leaves alone beside letters, digits and -_.~


def _hidden(text):
    return quote(redacted(text), safe=URI_SAFE)


def is_secret_name(name):
    return contains_secret_run(unquote_plus(name))


def is_secret_param(name, value):
    v = unquote_plus(value)
    if is_tokenish(unquote_plus(name)) or is_secret_name(name):
        return True
    return looks_like_jwt(v) or bool(CREDENTIAL_VALUE.match(v)) or contains_secret_run(v)


def _redact_param(part, depth):
    if part == "":
        return part
    if "=" not in part:
        return _hidden(part)  # a bare <key>: a value without a name
    name, _, value = part.partition("=")
    shown_name = _hidden(name) if is_secret_name(name) else name
    if is_secret_param(name, value):
        return shown_name + "=" + _hidden(value)
    inner = unquote_plus(value)
    if LOOKS_LIKE_URL.search(inner):
        if depth >= MAX_NESTING:
            return shown_name + "=" + _hidden(value)
        nested = redact_url(inner, depth + 1)
        if nested != inner:
            return shown_name + "=" + quote(nested, safe=URI_SAFE)
    return shown_name + "=" + value


def _redact_query(query, depth):
    return "&".join(_redact_param(p, depth) for p in query.split("&"))


def _redact_segment(segment, depth):
    first, *params = segment.split(";")
    head = _hidden(first) if is_secret_segment(first) else first
    return ";".join([head] + [_redact_param(p, depth) for p in params])


def _redact_authority(authority):
    userinfo, at, host = authority.rpartition("@")
    shown_host = _hidden(host) if contains_secret_run(unquote_plus(host)) else host
    return _hidden(userinfo) + "@" + shown_host if at else shown_host


def redact_url(url, depth=0):
    before_hash, has_hash, fragment = url.partition("#")
    m = ABSOLUTE.match(before_hash)
    prefix = "%s//%s" % (m.group(1) or "", _redact_authority(m.group(2))) if m else ""
    rest = m.group(3) if m else before_hash
    path, has_query, query = rest.partition("?")
    out = prefix + "/".join(_redact_segment(s, depth) for s in path.split("/"))
    if has_query:
        out += "?" + _redact_query(query, depth)
    if has_hash:
        out += "#" + _redact_query(fragment, depth)
    return out


def redact_urls_in_header(name, value):
    if name.lower() in URL_HEADERS or value.startswith("/"):
        return redact_url(value)
    return EMBEDDED_URL.sub(lambda m: redact_url(m.group(0)), value)


def shown_scheme(value):
    scheme, _ = parse_authorization(value)
    return scheme if scheme is not None and scheme.lower() in KNOWN_SCHEMES else None


def is_secret_header(name, value):
    lower = name.lower()
    if lower in SAFE_NAMES:
        return False
    if lower in SECRET_NAMES or is_tokenish(lower):
        return True
    if lower in NEVER_BY_SHAPE:
        return contains_secret_run(value)
    return looks_like_jwt(value) or bool(CREDENTIAL_VALUE.match(value)) or contains_secret_run(value)


def parse_authorization(value):
    trimmed = value.strip()
    m = SCHEME.match(trimmed)
    if not m:
        return None, trimmed
    return m.group(1), m.group(2).strip()


def value_problems(value):
    problems = []
    if value.strip() == "":
        return [{"code": "empty", "message": "Authorization is present but empty"}]
    scheme, _ = parse_authorization(value)
    if scheme is None:
        problems.append({"code": "no_scheme", "message": "Authorization has no scheme: send 'Bearer <token>', not the bare token"})
    elif shown_scheme(value) is None:
        problems.append({"code": "unknown_scheme", "message": "the first word of Authorization is not an auth scheme (not shown: it may be the token): send 'Bearer <token>'"})
    else:
        canonical = next((s for s in CANONICAL if s.lower() == scheme.lower()), None)
        if canonical and canonical != scheme:
            problems.append({"code": "lowercase_scheme", "message": "scheme sent as '%s', not '%s'" % (scheme, canonical)})
    if re.search(r"^\s|\s$", value) or re.match(r"^[^ \t]+([ \t]{2,}|\t)", value):
        problems.append({"code": "extra_whitespace", "message": "extra whitespace around or inside the Authorization value"})
    if re.search(r",\s*(Bearer|Basic|JWT|Token|Digest)\s", value, re.I):
        problems.append({"code": "comma_merged", "message": "two credentials merged into one value with a comma: a hop joined duplicate headers"})
    return problems


def _b64json(part):
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode("utf-8"))


def _duration(seconds):
    s = int(round(abs(seconds)))
    d, s = divmod(s, 86400)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    parts = [p for p in ("%dd" % d if d else "", "%dh" % h if h else "", "%dm" % m if m else "", "%ds" % s) if p]
    return " ".join(parts[:2])


def _time(value, now):
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    rel = "in " + _duration(value - now) if value >= now else _duration(now - value) + " ago"
    iso = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(value))
    return {"epoch": value, "iso": iso, "relative": rel}


def describe_jwt(token, now):
    malformed = {"header": None, "claims": {}, "privateClaims": [], "canary": False,
                 "verification": {"verdict": "malformed", "reason": "not a decodable JWT"}}
    parts = token.split(".")
    try:
        header, payload = _b64json(parts[0]), _b64json(parts[1])
    except Exception:
        return malformed
    if not isinstance(payload, dict) or not isinstance(header, dict):
        return malformed
    claims = {k: payload[k] for k in ("iss", "sub", "aud", "jti") if k in payload}
    for k in ("exp", "nbf", "iat"):
        t = _time(payload.get(k), now)
        if t:
            claims[k] = t
    private = [k for k in payload if k not in REGISTERED]
    canary = CANARY_CLAIM in payload
    report = {
        "header": {k: header[k] for k in ("alg", "typ", "kid", "cty") if k in header},
        "claims": claims,
        "privateClaims": private,
        "canary": canary,
        # Python probes get no key: verifying is the Node probe's job.
        "verification": {"verdict": "not_checked", "reason": "the probe was not given a key"},
    }
    if canary:
        report["privateClaimValues"] = {k: payload[k] for k in private}
    return report


def _split_query(query):
    pairs = []
    for part in query.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        pairs.append((name, value))
    return pairs


def build_report(method, path, query, headers, http_version, remote, runtime, now=None, server=None, env_alternatives=(), software=None):
    """headers: [(name, value)] as the gateway exposes them; server: (name, version) that ran us."""
    now = time.time() if now is None else now
    alternatives = []
    for name, value in headers:
        lower = name.lower()
        if lower == "cookie":
            for piece in value.split(";"):
                cname, _, cvalue = piece.strip().partition("=")
                if cname and (is_tokenish(cname) or looks_like_jwt(cvalue)):
                    alternatives.append(dict(where="cookie", name=cname, looksLikeJwt=looks_like_jwt(cvalue), underscore="_" in cname, **fingerprint(cvalue)))
        elif lower not in ("authorization", "x-authprobe-key") and not lower.startswith("x-authprobe-"):
            if is_tokenish(lower) or looks_like_jwt(value):
                alternatives.append(dict(where="header", name=name, looksLikeJwt=looks_like_jwt(value), underscore="_" in name, **fingerprint(value)))
    for name, raw in _split_query(query):
        value = unquote_plus(raw)
        if is_secret_param(name, raw):
            alternatives.append(dict(where="query", name=unquote_plus(name), looksLikeJwt=looks_like_jwt(value), underscore="_" in name, **fingerprint(value)))

    for i, segment in enumerate(path.split("/")):
        if is_secret_segment(segment):
            alternatives.append(dict(where="path", name="segment %d" % i, looksLikeJwt=looks_like_jwt(segment), underscore=False, **fingerprint(segment)))
    for name, value in env_alternatives:
        alternatives.append(dict(where="env", name=name, looksLikeJwt=looks_like_jwt(parse_authorization(value)[1]), underscore=False, **fingerprint(value)))
    auth_values = [(n, v) for n, v in headers if n.lower() == "authorization"]
    problems = []
    if len(auth_values) > 1:
        problems.append({"code": "duplicate", "message": "%d Authorization headers arrived" % len(auth_values)})
    for _, v in auth_values:
        for p in value_problems(v):
            if all(q["code"] != p["code"] for q in problems):
                problems.append(p)
    if any(n.lower() == "authentication" for n, _ in headers):
        problems.append({"code": "misnamed_header", "message": "an 'Authentication' header arrived: the standard name is 'Authorization'"})
    if not auth_values and alternatives:
        problems.append({"code": "token_elsewhere", "message": "no Authorization header, but a token-like value arrived elsewhere (see alternatives)"})
    values = [dict(name=n, scheme=shown_scheme(v), **fingerprint(v)) for n, v in auth_values]
    jwt = None
    if auth_values:
        _, credentials = parse_authorization(auth_values[0][1])
        if looks_like_jwt(credentials):
            jwt = describe_jwt(credentials, now)
    head = values[0] if values else None

    shown = [[redacted(n) if contains_secret_run(n) else n,
              redacted(v) if is_secret_header(n, v) or contains_secret_run(n) else redact_urls_in_header(n, v)]
             for n, v in headers]
    for alt in alternatives:
        if contains_secret_run(alt["name"]):
            alt["name"] = redacted(alt["name"])

    def collect(name):
        return [v for n, v in shown if n.lower() == name]

    report = {
        "probe": "authprobe",
        "version": 1,
        "runtime": runtime,
        "request": {
            "method": method,
            "path": redact_url(path + ("?" + query if query else "")),
            "httpVersion": http_version,
            "remoteAddress": remote,
        },
        "headers": shown,
        "authorization": {
            "present": bool(values),
            "count": len(values),
            "scheme": head["scheme"] if head else None,
            "length": head["length"] if head else None,
            "sha256": head["sha256"] if head else None,
            "hash": head["hash"] if head else None,
            "values": values,
            "jwt": jwt,
            "problems": problems,
        },
        "alternatives": alternatives,
        "forwarding": {
            "via": collect("via"),
            "forwarded": collect("forwarded"),
            "xForwardedFor": collect("x-forwarded-for"),
            "xForwardedProto": collect("x-forwarded-proto"),
            "xForwardedHost": collect("x-forwarded-host"),
            "xForwardedPort": collect("x-forwarded-port"),
            "xRealIp": collect("x-real-ip"),
        },
    }
    if server and server[0]:
        report["runtimeServer"] = server[0]
        if server[1]:
            report["runtimeVersion"] = server[1]
    if software:
        report["serverSoftware"] = software
    return report


def headers_from_environ(environ):
    """HTTP_X_AUTH_TOKEN -> X-Auth-Token: the best a WSGI/CGI app can do, names are not kept."""
    headers = []
    for key in sorted(environ):
        if key.startswith("HTTP_"):
            name = "-".join(p.capitalize() for p in key[5:].split("_"))
            headers.append((name, str(environ[key])))
    for key, name in (("CONTENT_TYPE", "Content-Type"), ("CONTENT_LENGTH", "Content-Length")):
        if environ.get(key):
            headers.append((name, str(environ[key])))
    return headers


def _text(value):
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, tuple):
        return ".".join(str(v) for v in value)
    return str(value)


def runtime_server(environ, runtime):
    """Which application server ran the probe, from what each one puts in the environment."""
    if "mod_wsgi.version" in environ:
        return "mod_wsgi", _text(environ["mod_wsgi.version"])
    if "uwsgi.version" in environ:
        return "uwsgi", _text(environ["uwsgi.version"])
    software = str(environ.get("SERVER_SOFTWARE", ""))
    if software.lower().startswith("gunicorn"):
        return "gunicorn", software.partition("/")[2] or None
    if runtime == "cgi":
        return "cgi", None
    return None, None


# What Apache leaves for a CGI/FastCGI app when an internal redirect renamed the variable.
ENV_ALTERNATIVES = ("REDIRECT_HTTP_AUTHORIZATION", "REDIRECT_REDIRECT_HTTP_AUTHORIZATION")


def report_from_environ(environ, runtime):
    uri = environ.get("REQUEST_URI") or (environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""))
    path = uri.split("?", 1)[0] or "/"
    protocol = environ.get("SERVER_PROTOCOL", "HTTP/1.1")
    return build_report(
        method=environ.get("REQUEST_METHOD", "GET"),
        path=path,
        query=environ.get("QUERY_STRING", ""),
        headers=headers_from_environ(environ),
        http_version=protocol.split("/", 1)[-1],
        remote=environ.get("REMOTE_ADDR"),
        runtime=runtime,
        server=runtime_server(environ, runtime),
        env_alternatives=[(k, str(environ[k])) for k in ENV_ALTERNATIVES if environ.get(k)],
        software=str(environ.get("SERVER_SOFTWARE", "")) or None,
    )


def render(report):
    return (json.dumps(report, indent=2) + "\n").encode("utf-8")
