<?php
// authprobe PHP probe: what reached a PHP app (PHP-FPM behind nginx fastcgi_pass or Apache
// mod_proxy_fcgi, or php-cgi), as probe report v1. Credentials are fingerprinted, never echoed.
// Same shape and rules as authprobe_report.py; PHP's standard library only.

const SECRET_NAMES = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'authentication', 'x-authprobe-key'];
const SAFE_NAMES = ['x-authprobe-control', 'x-authprobe-hop'];
const NEVER_BY_SHAPE = ['host', 'x-forwarded-host', 'forwarded', 'x-forwarded-server', 'x-original-host'];
const TOKENISH = '/(auth|token|jwt|api[-_]?key|secret|passw|passphrase|passcode|session|credential|signature|bearer)/i';
const TOKENISH_PART = '/(^|[-_.])(key|sig|code|pass|pwd|apikey|subscription-key|otp|totp|hotp|mfa|pin)([-_.]|$)/i';
const JWT_SHAPE = '/^ey[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*(\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)?$/';
const CREDENTIAL_VALUE = '/^\s*(bearer|basic|jwt|token|digest|negotiate|dpop)\s+\S/i';
const SECRET_RUN = '/[A-Za-z0-9+\/_=-]{24,}/';
const KNOWN_SCHEMES = ['basic', 'bearer', 'digest', 'dpop', 'hoba', 'mutual', 'negotiate', 'ntlm', 'oauth', 'scram-sha-1',
    'scram-sha-256', 'vapid', 'privatetoken', 'concealed', 'jwt', 'token', 'aws4-hmac-sha256', 'apikey', 'key',
    'sharedaccesssignature', 'hawk'];
const SCHEME = '/^([A-Za-z0-9!#$%&\'*+.^_`|~-]+)[ \t]+(.*)$/s';
const CANONICAL = ['Bearer', 'Basic', 'Digest', 'JWT', 'Token', 'Negotiate', 'DPoP'];
const REGISTERED = ['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti'];
const CANARY_CLAIM = 'authprobe_canary';
// What Apache leaves when an internal redirect (mod_rewrite to a front controller) renamed the variable.
const ENV_ALTERNATIVES = ['REDIRECT_HTTP_AUTHORIZATION', 'REDIRECT_REDIRECT_HTTP_AUTHORIZATION'];

// URLs carry credentials in userinfo, path segments, matrix parameters, the query (also a bare
// ?<key>) and the fragment, and a query value may be a URL itself: the Node probe's rules.
const URL_HEADERS = ['referer', 'origin', 'location', 'content-location', 'x-original-uri', 'x-original-url', 'x-rewrite-url',
    'x-forwarded-uri', 'x-forwarded-prefix', 'x-envoy-original-path', 'x-ms-copy-source', 'x-amz-copy-source'];
const MAX_NESTING = 4;
const ABSOLUTE = '~^([A-Za-z][A-Za-z0-9+.-]*:)?//([^/?#]*)(.*)$~s';
const EMBEDDED_URL = '~[A-Za-z][A-Za-z0-9+.-]*://[^\s<>"\',]+~';
const LOOKS_LIKE_URL = '~^[A-Za-z][A-Za-z0-9+.-]*://|^/|\?|;~';
const CANARY_PAYLOAD_START = '{"authprobe_canary":';
const CANARY_BASIC = '/^authprobe:[0-9a-f]{12}$/';

// A plain sha256 of a short credential is the credential to anyone with a word list: every
// fingerprint is an HMAC-SHA256 under a random key (per request here: PHP keeps no process state)
// that is never shown, except the doctor's canary, recognised by its claim, whose plain sha256 the
// doctor compares.
function ap_key(): string { static $key = null; return $key ??= random_bytes(32); }
function ap_b64url(string $s) { return base64_decode(strtr($s, '-_', '+/') . str_repeat('=', (4 - strlen($s) % 4) % 4), true); }
function ap_is_canary_payload(string $segment): bool {
    if (preg_match('/^[A-Za-z0-9_-]+$/', $segment) !== 1) return false;
    // Whole 4-character groups only, so a segment cut short by a hop still decodes its start.
    $start = ap_b64url(substr($segment, 0, strlen($segment) - strlen($segment) % 4));
    if ($start !== false && strncmp($start, CANARY_PAYLOAD_START, strlen(CANARY_PAYLOAD_START)) === 0) return true;
    $raw = ap_b64url($segment);
    $claims = $raw === false ? null : json_decode($raw, true, 32);
    return is_array($claims) && array_key_exists(CANARY_CLAIM, $claims);
}
function ap_is_canary(string $v): bool {
    [$scheme, $credentials] = ap_parse_authorization($v);
    if ($scheme !== null && strtolower($scheme) === 'basic') {
        $plain = base64_decode($credentials, true);
        return $plain !== false && preg_match(CANARY_BASIC, $plain) === 1;
    }
    $parts = explode('.', $credentials);
    return count($parts) >= 2 && strncmp($parts[0], 'ey', 2) === 0 && ap_is_canary_payload($parts[1]);
}
function ap_fingerprint(string $v): array {
    if (ap_is_canary($v)) return ['length' => strlen($v), 'sha256' => hash('sha256', $v), 'hash' => 'sha256'];
    return ['length' => strlen($v), 'sha256' => hash_hmac('sha256', $v, ap_key()), 'hash' => 'hmac-sha256'];
}
function ap_redacted(string $v): string {
    $fp = ap_fingerprint($v);
    return sprintf('[redacted length=%d %s=%s]', $fp['length'], $fp['hash'] === 'sha256' ? 'sha256' : 'hmac', substr($fp['sha256'], 0, 12));
}
function ap_hidden(string $v): string { return rawurlencode(ap_redacted($v)); }
function ap_secret_name(string $name): bool { return ap_secret_run(urldecode($name)); }
function ap_secret_param(string $name, string $value): bool {
    $v = urldecode($value);
    if (ap_tokenish(urldecode($name)) || ap_secret_name($name)) return true;
    return ap_looks_like_jwt($v) || preg_match(CREDENTIAL_VALUE, $v) === 1 || ap_secret_run($v);
}
function ap_redact_param(string $part, int $depth): string {
    if ($part === '') return $part;
    $eq = strpos($part, '=');
    if ($eq === false) return ap_hidden($part); // a bare <key>: a value without a name
    $name = substr($part, 0, $eq);
    $value = substr($part, $eq + 1);
    $shownName = ap_secret_name($name) ? ap_hidden($name) : $name;
    if (ap_secret_param($name, $value)) return $shownName . '=' . ap_hidden($value);
    $inner = urldecode($value);
    if (preg_match(LOOKS_LIKE_URL, $inner) === 1) {
        if ($depth >= MAX_NESTING) return $shownName . '=' . ap_hidden($value);
        $nested = ap_redact_url($inner, $depth + 1);
        if ($nested !== $inner) return $shownName . '=' . ap_uri_component($nested);
    }
    return $shownName . '=' . $value;
}
/** encodeURIComponent: rawurlencode leaving !*'() alone too, as the Node and Python probes do. */
function ap_uri_component(string $v): string { return strtr(rawurlencode($v), ['%21' => '!', '%2A' => '*', '%27' => "'", '%28' => '(', '%29' => ')']); }
function ap_redact_query(string $query, int $depth): string {
    return implode('&', array_map(fn ($p) => ap_redact_param($p, $depth), explode('&', $query)));
}
function ap_redact_segment(string $segment, int $depth): string {
    $params = explode(';', $segment);
    $first = array_shift($params);
    $head = ap_secret_segment($first) ? ap_hidden($first) : $first;
    return implode(';', array_merge([$head], array_map(fn ($p) => ap_redact_param($p, $depth), $params)));
}
function ap_redact_authority(string $authority): string {
    $at = strrpos($authority, '@');
    $host = $at === false ? $authority : substr($authority, $at + 1);
    $shownHost = ap_secret_run(urldecode($host)) ? ap_hidden($host) : $host;
    return $at === false ? $shownHost : ap_hidden(substr($authority, 0, $at)) . '@' . $shownHost;
}
function ap_redact_url(string $url, int $depth = 0): string {
    $hash = strpos($url, '#');
    $beforeHash = $hash === false ? $url : substr($url, 0, $hash);
    $prefix = '';
    $rest = $beforeHash;
    if (preg_match(ABSOLUTE, $beforeHash, $m) === 1) {
        $prefix = $m[1] . '//' . ap_redact_authority($m[2]);
        $rest = $m[3];
    }
    $q = strpos($rest, '?');
    $path = $q === false ? $rest : substr($rest, 0, $q);
    $out = $prefix . implode('/', array_map(fn ($s) => ap_redact_segment($s, $depth), explode('/', $path)));
    if ($q !== false) $out .= '?' . ap_redact_query(substr($rest, $q + 1), $depth);
    if ($hash !== false) $out .= '#' . ap_redact_query(substr($url, $hash + 1), $depth);
    return $out;
}
function ap_redact_urls_in_header(string $name, string $value): string {
    if (in_array(strtolower($name), URL_HEADERS, true) || strncmp($value, '/', 1) === 0) return ap_redact_url($value);
    return preg_replace_callback(EMBEDDED_URL, fn ($m) => ap_redact_url($m[0]), $value);
}
function ap_looks_like_jwt(string $v): bool { return preg_match(JWT_SHAPE, trim($v)) === 1; }
function ap_tokenish(string $name): bool { return preg_match(TOKENISH, $name) === 1 || preg_match(TOKENISH_PART, $name) === 1; }
/** A random-looking run: 24+ base64/hex characters mixing letters and digits (a key, a token). */
function ap_secret_run(string $text): bool {
    preg_match_all(SECRET_RUN, $text, $m);
    foreach ($m[0] as $run) if (preg_match('/[0-9]/', $run) && preg_match('/[A-Za-z]/', $run)) return true;
    return false;
}
function ap_secret_segment(string $segment): bool {
    $decoded = rawurldecode($segment);
    return ap_looks_like_jwt($decoded) || ap_secret_run($decoded);
}
function ap_shown_scheme(string $value): ?string {
    [$scheme] = ap_parse_authorization($value);
    return $scheme !== null && in_array(strtolower($scheme), KNOWN_SCHEMES, true) ? $scheme : null;
}

function ap_is_secret_header(string $name, string $value): bool {
    $lower = strtolower($name);
    if (in_array($lower, SAFE_NAMES, true)) return false;
    if (in_array($lower, SECRET_NAMES, true) || ap_tokenish($lower)) return true;
    if (in_array($lower, NEVER_BY_SHAPE, true)) return ap_secret_run($value);
    return ap_looks_like_jwt($value) || preg_match(CREDENTIAL_VALUE, $value) === 1 || ap_secret_run($value);
}

function ap_parse_authorization(string $value): array {
    $trimmed = trim($value);
    if (preg_match(SCHEME, $trimmed, $m) !== 1) return [null, $trimmed];
    return [$m[1], trim($m[2])];
}

function ap_value_problems(string $value): array {
    if (trim($value) === '') return [['code' => 'empty', 'message' => 'Authorization is present but empty']];
    $problems = [];
    [$scheme] = ap_parse_authorization($value);
    if ($scheme === null) {
        $problems[] = ['code' => 'no_scheme', 'message' => "Authorization has no scheme: send 'Bearer <token>', not the bare token"];
    } elseif (ap_shown_scheme($value) === null) {
        $problems[] = ['code' => 'unknown_scheme', 'message' => "the first word of Authorization is not an auth scheme (not shown: it may be the token): send 'Bearer <token>'"];
    } else {
        foreach (CANONICAL as $c) {
            if (strtolower($c) === strtolower($scheme) && $c !== $scheme) {
                $problems[] = ['code' => 'lowercase_scheme', 'message' => "scheme sent as '$scheme', not '$c'"];
            }
        }
    }
    if (preg_match('/^\s|\s$/', $value) || preg_match('/^[^ \t]+([ \t]{2,}|\t)/', $value)) {
        $problems[] = ['code' => 'extra_whitespace', 'message' => 'extra whitespace around or inside the Authorization value'];
    }
    if (preg_match('/,\s*(Bearer|Basic|JWT|Token|Digest)\s/i', $value)) {
        $problems[] = ['code' => 'comma_merged', 'message' => 'two credentials merged into one value with a comma: a hop joined duplicate headers'];
    }
    return $problems;
}

function ap_b64json(string $part) {
    $raw = base64_decode(strtr($part, '-_', '+/') . str_repeat('=', (4 - strlen($part) % 4) % 4), true);
    if ($raw === false) return null;
    // A depth limit: a hostile token must not exhaust the stack or memory.
    return json_decode($raw, true, 32);
}

function ap_duration(float $seconds): string {
    $s = (int) round(abs($seconds));
    $parts = [];
    foreach ([['d', 86400], ['h', 3600], ['m', 60]] as [$unit, $size]) {
        if ($s >= $size) { $parts[] = intdiv($s, $size) . $unit; $s %= $size; }
    }
    $parts[] = $s . 's';
    return implode(' ', array_slice($parts, 0, 2));
}

function ap_time($value, float $now): ?array {
    if (!is_int($value) && !is_float($value)) return null;
    $rel = $value >= $now ? 'in ' . ap_duration($value - $now) : ap_duration($now - $value) . ' ago';
    return ['epoch' => $value, 'iso' => gmdate('Y-m-d\TH:i:s.000\Z', (int) $value), 'relative' => $rel];
}

function ap_describe_jwt(string $token, float $now): array {
    $malformed = ['header' => null, 'claims' => new stdClass(), 'privateClaims' => [], 'canary' => false,
        'verification' => ['verdict' => 'malformed', 'reason' => 'not a decodable JWT']];
    $parts = explode('.', $token);
    if (count($parts) < 2) return $malformed;
    $header = ap_b64json($parts[0]);
    $payload = ap_b64json($parts[1]);
    if (!is_array($header) || !is_array($payload) || array_is_list_compat($payload) || array_is_list_compat($header)) return $malformed;
    $claims = [];
    foreach (['iss', 'sub', 'aud', 'jti'] as $k) if (array_key_exists($k, $payload)) $claims[$k] = $payload[$k];
    foreach (['exp', 'nbf', 'iat'] as $k) if (($t = ap_time($payload[$k] ?? null, $now)) !== null) $claims[$k] = $t;
    $private = array_values(array_filter(array_keys($payload), fn ($k) => !in_array($k, REGISTERED, true)));
    $private = array_map('strval', $private);
    $canary = array_key_exists(CANARY_CLAIM, $payload);
    $head = [];
    foreach (['alg', 'typ', 'kid', 'cty'] as $k) if (array_key_exists($k, $header)) $head[$k] = $header[$k];
    $report = [
        'header' => (object) $head,
        'claims' => (object) $claims,
        'privateClaims' => $private,
        'canary' => $canary,
        // The PHP probe gets no key: verifying is the Node probe's job.
        'verification' => ['verdict' => 'not_checked', 'reason' => 'the probe was not given a key'],
    ];
    if ($canary) {
        $values = [];
        foreach ($private as $k) $values[$k] = $payload[$k];
        $report['privateClaimValues'] = (object) $values;
    }
    return $report;
}

function array_is_list_compat(array $a): bool {
    return $a !== [] && array_keys($a) === range(0, count($a) - 1);
}

/** HTTP_X_AUTH_TOKEN -> X-Auth-Token: PHP sees CGI variables, not the raw header names. */
function ap_headers_from_server(array $server): array {
    $headers = [];
    $keys = array_keys($server);
    sort($keys);
    foreach ($keys as $key) {
        if (strncmp($key, 'HTTP_', 5) === 0) {
            $name = implode('-', array_map(fn ($p) => ucfirst(strtolower($p)), explode('_', substr($key, 5))));
            $headers[] = [$name, (string) $server[$key]];
        }
    }
    foreach (['CONTENT_TYPE' => 'Content-Type', 'CONTENT_LENGTH' => 'Content-Length'] as $key => $name) {
        if (!empty($server[$key])) $headers[] = [$name, (string) $server[$key]];
    }
    return $headers;
}

function ap_alternative(string $where, string $name, string $value, ?string $jwtPart = null): array {
    return ['where' => $where, 'name' => $name, 'looksLikeJwt' => ap_looks_like_jwt($jwtPart ?? $value),
        'underscore' => $where !== 'env' && strpos($name, '_') !== false] + ap_fingerprint($value);
}

function ap_runtime_server(): array {
    if (PHP_SAPI === 'fpm-fcgi') return ['php-fpm', PHP_VERSION];
    if (PHP_SAPI === 'cgi-fcgi') return ['cgi', PHP_VERSION];
    return [PHP_SAPI, PHP_VERSION];
}

function ap_build_report(array $server, float $now): array {
    $headers = ap_headers_from_server($server);
    $alternatives = [];
    foreach ($headers as [$name, $value]) {
        $lower = strtolower($name);
        if ($lower === 'cookie') {
            foreach (explode(';', $value) as $piece) {
                $pair = explode('=', trim($piece), 2);
                $cname = $pair[0];
                $cvalue = $pair[1] ?? '';
                if ($cname !== '' && (ap_tokenish($cname) || ap_looks_like_jwt($cvalue))) $alternatives[] = ap_alternative('cookie', $cname, $cvalue);
            }
        } elseif ($lower !== 'authorization' && strncmp($lower, 'x-authprobe-', 12) !== 0) {
            if (ap_tokenish($lower) || ap_looks_like_jwt($value)) $alternatives[] = ap_alternative('header', $name, $value);
        }
    }
    $query = (string) ($server['QUERY_STRING'] ?? '');
    foreach (explode('&', $query) as $part) {
        if ($part === '') continue;
        $pair = explode('=', $part, 2);
        if (ap_secret_param($pair[0], $pair[1] ?? '')) $alternatives[] = ap_alternative('query', urldecode($pair[0]), urldecode($pair[1] ?? ''));
    }
    $uri = (string) ($server['REQUEST_URI'] ?? '/');
    foreach (explode('/', explode('?', $uri, 2)[0]) as $i => $segment) {
        if (ap_secret_segment($segment)) {
            $alternatives[] = ['where' => 'path', 'name' => "segment $i", 'looksLikeJwt' => ap_looks_like_jwt($segment), 'underscore' => false] + ap_fingerprint($segment);
        }
    }
    foreach (ENV_ALTERNATIVES as $key) {
        if (!empty($server[$key])) {
            $value = (string) $server[$key];
            $alternatives[] = ap_alternative('env', $key, $value, ap_parse_authorization($value)[1]);
        }
    }
    $authValues = array_values(array_filter($headers, fn ($h) => strtolower($h[0]) === 'authorization'));
    $problems = [];
    foreach ($authValues as [, $v]) {
        foreach (ap_value_problems($v) as $p) {
            if (!in_array($p['code'], array_column($problems, 'code'), true)) $problems[] = $p;
        }
    }
    if (!$authValues && $alternatives) {
        $problems[] = ['code' => 'token_elsewhere', 'message' => 'no Authorization header, but a token-like value arrived elsewhere (see alternatives)'];
    }
    $values = array_map(fn ($h) => ['name' => $h[0], 'scheme' => ap_shown_scheme($h[1])] + ap_fingerprint($h[1]), $authValues);
    $jwt = null;
    if ($authValues) {
        [, $credentials] = ap_parse_authorization($authValues[0][1]);
        if (ap_looks_like_jwt($credentials)) $jwt = ap_describe_jwt($credentials, $now);
    }
    $head = $values[0] ?? null;
    foreach ($alternatives as &$alt) if (ap_secret_run($alt['name'])) $alt['name'] = ap_redacted($alt['name']);
    unset($alt);
    $shownHeaders = array_map(fn ($h) => [
        ap_secret_run($h[0]) ? ap_redacted($h[0]) : $h[0],
        ap_is_secret_header($h[0], $h[1]) || ap_secret_run($h[0]) ? ap_redacted($h[1]) : ap_redact_urls_in_header($h[0], $h[1]),
    ], $headers);
    $collect = fn ($name) => array_values(array_map(fn ($h) => $h[1], array_filter($shownHeaders, fn ($h) => strtolower($h[0]) === $name)));
    $protocol = (string) ($server['SERVER_PROTOCOL'] ?? 'HTTP/1.1');
    [$runtimeServer, $runtimeVersion] = ap_runtime_server();
    return [
        'probe' => 'authprobe',
        'version' => 1,
        'runtime' => 'php',
        'runtimeServer' => $runtimeServer,
        'runtimeVersion' => $runtimeVersion,
    ] + (empty($server['SERVER_SOFTWARE']) ? [] : ['serverSoftware' => (string) $server['SERVER_SOFTWARE']]) + [
        'request' => [
            'method' => (string) ($server['REQUEST_METHOD'] ?? 'GET'),
            'path' => ap_redact_url((explode('?', $uri, 2)[0] ?: '/') . ($query !== '' ? '?' . $query : '')),
            'httpVersion' => substr($protocol, strpos($protocol, '/') + 1),
            'remoteAddress' => $server['REMOTE_ADDR'] ?? null,
        ],
        'headers' => $shownHeaders,
        'authorization' => [
            'present' => (bool) $values,
            'count' => count($values),
            'scheme' => $head['scheme'] ?? null,
            'length' => $head['length'] ?? null,
            'sha256' => $head['sha256'] ?? null,
            'hash' => $head['hash'] ?? null,
            'values' => $values,
            'jwt' => $jwt,
            'problems' => $problems,
        ],
        'alternatives' => $alternatives,
        'forwarding' => [
            'via' => $collect('via'),
            'forwarded' => $collect('forwarded'),
            'xForwardedFor' => $collect('x-forwarded-for'),
            'xForwardedProto' => $collect('x-forwarded-proto'),
            'xForwardedHost' => $collect('x-forwarded-host'),
            'xForwardedPort' => $collect('x-forwarded-port'),
            'xRealIp' => $collect('x-real-ip'),
        ],
    ];
}

$body = json_encode(ap_build_report($_SERVER, microtime(true)), JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE) . "\n";
header('Content-Type: application/json; charset=utf-8');
header('Cache-Control: no-store');
header('Content-Length: ' . strlen($body));
echo $body;
