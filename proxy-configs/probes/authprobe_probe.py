#!/usr/bin/env python3
"""authprobe probe for Python: report v1 (the Node probe's shape) as a WSGI app, WSGI middleware,
ASGI app/middleware and CGI script, in one stdlib-only file (PyJWT, when installed, adds RS/ES JWTs).

    WSGI app:        gunicorn authprobe_probe:application  |  WSGIScriptAlias /__authprobe .../authprobe_probe.py
    WSGI middleware: app.wsgi_app = AuthprobeMiddleware(app.wsgi_app)      (Flask; Django: wrap get_wsgi_application())
    ASGI:            app.add_middleware(AuthprobeASGIMiddleware)  |  uvicorn authprobe_probe:asgi_application
    CGI:             python3 authprobe_probe.py (run as the CGI script)
    JWT check:       JWT_SECRET (HS256/384/512) or JWT_PUBLIC_KEY_FILE (RS*/ES*/PS*, needs PyJWT),
                     JWT_ALGORITHM, JWT_AUDIENCE, JWT_ISSUER: the same variables as authprobe's own app.

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
        "verification": verify_jwt(token, now),
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


# ---------------------------------------------------------------------------------------------
# JWT verification: the Node probe's verdicts (src/probe/jwt.ts, jsonwebtoken's order of checks:
# algorithm, signature, nbf, exp, aud, iss). Reasons are fixed strings: never a piece of the token.

HMAC_ALGORITHMS = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}
ASYMMETRIC_ALGORITHMS = {"RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512"}


def jwt_config(environ=None):
    """(algorithm, key, audience, issuer) from the environment, or None when no key is given."""
    env = os.environ if environ is None else environ
    secret = env.get("JWT_SECRET")
    key_file = env.get("JWT_PUBLIC_KEY_FILE")
    algorithm = (env.get("JWT_ALGORITHM") or ("HS256" if secret or not key_file else "RS256")).upper()
    if algorithm in HMAC_ALGORITHMS:
        key = secret.encode("utf-8") if secret else None
    elif algorithm in ASYMMETRIC_ALGORITHMS and key_file:
        try:
            with open(key_file, "rb") as f:
                key = f.read()
        except OSError:
            return {"error": "JWT_PUBLIC_KEY_FILE cannot be read"}
    else:
        key = None
    if key is None:
        return None
    return {"algorithm": algorithm, "key": key, "audience": env.get("JWT_AUDIENCE") or None,
            "issuer": env.get("JWT_ISSUER") or None}


def _verdict(verdict, reason):
    return {"verdict": verdict, "reason": reason}


def _check_claims(payload, config, now):
    nbf, exp = payload.get("nbf"), payload.get("exp")
    if nbf is not None and (not isinstance(nbf, (int, float)) or isinstance(nbf, bool)):
        return _verdict("malformed", "invalid nbf value")
    if nbf is not None and nbf > int(now):
        return _verdict("not_yet_valid", "jwt not active")
    if exp is not None and (not isinstance(exp, (int, float)) or isinstance(exp, bool)):
        return _verdict("malformed", "invalid exp value")
    if exp is not None and int(now) >= exp:
        return _verdict("expired", "jwt expired")
    if config["audience"]:
        aud = payload.get("aud")
        auds = aud if isinstance(aud, list) else [aud]
        if config["audience"] not in auds:
            return _verdict("wrong_audience", "jwt audience invalid. expected: %s" % config["audience"])
    if config["issuer"] and payload.get("iss") != config["issuer"]:
        return _verdict("wrong_issuer", "jwt issuer invalid. expected: %s" % config["issuer"])
    return _verdict("valid", "signature, algorithm and time claims check out")


def _verify_asymmetric(token, config):
    """PyJWT checks the signature only; the claims are checked above, the same way as for HS*."""
    try:
        import jwt as pyjwt
    except ImportError:
        return _verdict("not_checked", "%s needs PyJWT (pip install pyjwt)" % config["algorithm"])
    try:
        pyjwt.decode(token, config["key"], algorithms=[config["algorithm"]],
                     options={"verify_exp": False, "verify_nbf": False, "verify_iat": False,
                              "verify_aud": False, "verify_iss": False})
        return None
    except pyjwt.InvalidSignatureError:
        return _verdict("bad_signature", "invalid signature")
    except pyjwt.InvalidAlgorithmError:
        return _verdict("algorithm_not_allowed", "invalid algorithm")
    except Exception as err:  # a key PyJWT cannot load, a malformed token
        if "key" in type(err).__name__.lower() or isinstance(err, (ValueError, TypeError)):
            return _verdict("algorithm_not_allowed", "the key does not suit %s" % config["algorithm"])
        return _verdict("malformed", "jwt malformed")


def verify_jwt(token, now, config=None):
    config = jwt_config() if config is None else config
    if config is None:
        return _verdict("not_checked", "the probe was not given a key")
    if "error" in config:
        return _verdict("not_checked", config["error"])
    parts = token.split(".")
    if len(parts) != 3:
        return _verdict("malformed", "jwt malformed")
    try:
        header, payload = _b64json(parts[0]), _b64json(parts[1])
    except Exception:
        return _verdict("malformed", "invalid token")
    if not isinstance(header, dict) or not isinstance(payload, dict):
        return _verdict("malformed", "invalid token")
    if not parts[2]:
        return _verdict("algorithm_not_allowed", "jwt signature is required")
    if header.get("alg") != config["algorithm"]:
        return _verdict("algorithm_not_allowed", "invalid algorithm")
    if config["algorithm"] in HMAC_ALGORITHMS:
        digest = hmac.new(config["key"], (parts[0] + "." + parts[1]).encode("ascii", "replace"),
                          HMAC_ALGORITHMS[config["algorithm"]]).digest()
        given = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
        if not hmac.compare_digest(given, parts[2]):
            return _verdict("bad_signature", "invalid signature")
    else:
        failed = _verify_asymmetric(token, config)
        if failed:
            return failed
    if header.get("crit") is not None:
        crit = header["crit"]
        if not isinstance(crit, list) or not crit:
            return _verdict("malformed", "the crit header parameter is malformed")
        return _verdict("malformed", "the token requires an extension this server does not implement (crit)")
    return _check_claims(payload, config, now)


# ---------------------------------------------------------------------------------------------
# WSGI: the probe as an application, and as middleware that answers one path in front of an app.

DEFAULT_PATH = "/__authprobe"
JSON_HEADERS = [("Content-Type", "application/json; charset=utf-8"), ("Cache-Control", "no-store")]


def application(environ, start_response):
    body = render(report_from_environ(environ, "wsgi"))
    start_response("200 OK", JSON_HEADERS + [("Content-Length", str(len(body)))])
    return [body]


def _answers(path, probe_path):
    return path == probe_path or path.startswith(probe_path.rstrip("/") + "/")


class AuthprobeMiddleware:
    """`app.wsgi_app = AuthprobeMiddleware(app.wsgi_app)`: the probe at `path`, the app everywhere else."""

    def __init__(self, app, path=DEFAULT_PATH):
        self.app = app
        self.path = path

    def __call__(self, environ, start_response):
        if _answers(environ.get("PATH_INFO", ""), self.path):
            return application(environ, start_response)
        return self.app(environ, start_response)


# ---------------------------------------------------------------------------------------------
# ASGI 3 (uvicorn, hypercorn; FastAPI and Starlette apps): scope/receive/send, no framework needed.
# ASGI servers keep header order and duplicates, and hand names lower-cased.

def _asgi_server():
    import sys
    for name in ("uvicorn", "hypercorn", "daphne", "granian"):
        module = sys.modules.get(name)
        if module is not None:
            return name, getattr(module, "__version__", None)
    return None, None


def report_from_scope(scope):
    headers = [(n.decode("latin-1"), v.decode("latin-1")) for n, v in scope.get("headers", [])]
    raw_path = scope.get("raw_path")
    path = raw_path.decode("latin-1") if raw_path else scope.get("root_path", "") + scope.get("path", "/")
    client = scope.get("client")
    return build_report(
        method=scope.get("method", "GET"),
        path=path.split("?", 1)[0] or "/",
        query=scope.get("query_string", b"").decode("latin-1"),
        headers=headers,
        http_version=scope.get("http_version", "1.1"),
        remote=client[0] if client else None,
        # The report's runtime names the calling convention the schema knows; ASGI is closest to wsgi.
        runtime="wsgi",
        server=_asgi_server(),
    )


async def _lifespan(receive, send):
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def asgi_application(scope, receive, send):
    """`uvicorn authprobe_probe:asgi_application`, or `app.mount("/__authprobe", asgi_application)`."""
    if scope["type"] == "lifespan":
        return await _lifespan(receive, send)
    if scope["type"] != "http":
        return  # websockets: not a probe's business; the server closes the connection
    body = render(report_from_scope(scope))
    headers = [(n.lower().encode("latin-1"), v.encode("latin-1")) for n, v in JSON_HEADERS]
    await send({"type": "http.response.start", "status": 200,
                "headers": headers + [(b"content-length", str(len(body)).encode("ascii"))]})
    await send({"type": "http.response.body", "body": body})


class AuthprobeASGIMiddleware:
    """`app.add_middleware(AuthprobeASGIMiddleware)` (FastAPI, Starlette) or `AuthprobeASGIMiddleware(app)`."""

    def __init__(self, app, path=DEFAULT_PATH):
        self.app = app
        self.path = path

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and _answers(scope.get("path", ""), self.path):
            return await asgi_application(scope, receive, send)
        return await self.app(scope, receive, send)


# ---------------------------------------------------------------------------------------------
# CGI: run this file as the script (mod_cgi, mod_cgid), or import it from a one-line probe.cgi.

def cgi_main():
    import sys
    body = render(report_from_environ(dict(os.environ), "cgi"))
    out = sys.stdout.buffer
    out.write(b"Content-Type: application/json; charset=utf-8\r\nCache-Control: no-store\r\n")
    out.write(("Content-Length: %d\r\n\r\n" % len(body)).encode("ascii"))
    out.write(body)
    out.flush()


if __name__ == "__main__":
    cgi_main()
