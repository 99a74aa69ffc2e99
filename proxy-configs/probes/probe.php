<?php
// authprobe PHP probe: what reached a PHP app (PHP-FPM behind nginx fastcgi_pass or Apache
// mod_proxy_fcgi, or php-cgi), as probe report v1. Credentials are fingerprinted, never echoed.
// Same shape and rules as authprobe_report.py; PHP's standard library only.

const SECRET_NAMES = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'authentication', 'x-authprobe-key'];
const SAFE_NAMES = ['x-authprobe-control', 'x-authprobe-hop'];
const NEVER_BY_SHAPE = ['host', 'x-forwarded-host', 'forwarded', 'x-forwarded-server', 'x-original-host'];
const TOKENISH = '/(auth|token|jwt|api[-_]?key|secret|passw|session|credential|signature|bearer)/i';
const TOKENISH_PART = '/(^|[-_.])(key|sig|code|pass|pwd|apikey|subscription-key)([-_.]|$)/i';
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

function ap_fingerprint(string $v): array { return ['length' => strlen($v), 'sha256' => hash('sha256', $v)]; }
function ap_redacted(string $v): string { return sprintf('[redacted length=%d sha256=%s]', strlen($v), substr(hash('sha256', $v), 0, 12)); }
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
function ap_redact_path(string $path): string {
    return implode('/', array_map(fn ($s) => ap_secret_segment($s) ? rawurlencode(ap_redacted($s)) : $s, explode('/', $path)));
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
    $shown = [];
    foreach (explode('&', $query) as $part) {
        if ($part === '') continue;
        $pair = explode('=', $part, 2);
        $name = urldecode($pair[0]);
        $value = urldecode($pair[1] ?? '');
        $shownName = ap_secret_run($name) ? rawurlencode(ap_redacted($pair[0])) : $pair[0];
        if (ap_tokenish($name) || ap_secret_run($name) || ap_looks_like_jwt($value) || preg_match(CREDENTIAL_VALUE, $value) || ap_secret_run($value)) {
            $alternatives[] = ap_alternative('query', $name, $value);
            $shown[] = $shownName . '=' . rawurlencode(ap_redacted($value));
        } else {
            $shown[] = $shownName . (count($pair) > 1 ? '=' . $pair[1] : '');
        }
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
        ap_is_secret_header($h[0], $h[1]) || ap_secret_run($h[0]) ? ap_redacted($h[1]) : $h[1],
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
            'path' => ap_redact_path(explode('?', $uri, 2)[0] ?: '/') . ($query !== '' ? '?' . implode('&', $shown) : ''),
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
