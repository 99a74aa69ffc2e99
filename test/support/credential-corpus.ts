/**
 * The credential corpus: requests that carry a secret somewhere a probe might echo it. Each case
 * names its secrets; no report may contain one of them, nor a percent-encoded form of it, nor the
 * 12-hex prefix of its unsalted sha256 (a word list gives a weak credential back from that).
 * Shared by every probe (Node, WSGI, CGI, PHP) so the four apply the same rules.
 */

export type CorpusClass =
  | "url-header-query"
  | "url-header-sas"
  | "userinfo"
  | "absolute-form"
  | "credential-header-name"
  | "matrix-param"
  | "nested-url"
  | "bare-query-key"
  | "request-query"
  | "authorization"
  | "cookie"
  | "proxy-authorization"
  | "api-key-header"
  | "identity-header";

export interface CorpusCase {
  id: string;
  class: CorpusClass;
  /** The request target exactly as written on the request line (`{origin}` becomes the server's). */
  target: string;
  headers: [string, string][];
  /** Strings that must never show in a report, in any encoding. */
  secrets: string[];
}

const enc = encodeURIComponent;
/** Every character percent-encoded, as some clients and proxies do. */
function encodeAll(text: string): string {
  return [...Buffer.from(text, "utf8")].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("");
}

/** Weak and strong secrets: a dictionary word (what a word list finds), one with URL-special characters. */
const WEAK = "hunter2zq";
const SPECIAL = "p@ss/w0rd+zq=!";
/** In a path an encoded slash makes Apache answer 404 (AllowEncodedSlashes Off): no slash there. */
const MATRIX_SPECIAL = "p@ss:w0rd+zq=!";

const URL_HEADERS: [string, "absolute" | "path"][] = [
  ["Referer", "absolute"],
  ["X-Original-URI", "path"],
  ["X-Original-URL", "absolute"],
  ["X-Rewrite-URL", "path"],
  ["X-Forwarded-Uri", "path"],
  ["X-Envoy-Original-Path", "path"],
  ["X-Ms-Copy-Source", "absolute"],
];
const SENSITIVE_PARAMS = ["password", "code", "sig", "access_token", "token", "client_secret"];

function urlIn(kind: "absolute" | "path", pathAndQuery: string): string {
  return kind === "absolute" ? `https://app.example.com${pathAndQuery}` : pathAndQuery;
}

function urlHeaderQueryCases(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  for (const [header, kind] of URL_HEADERS) {
    for (const param of SENSITIVE_PARAMS) {
      const secret = `${param}-${WEAK}`;
      cases.push({
        id: `${header} ?${param}= plain`,
        class: "url-header-query",
        target: "/probe",
        headers: [[header, urlIn(kind, `/cb?state=ok&${param}=${enc(secret)}&page=2`)]],
        secrets: [secret],
      });
      cases.push({
        id: `${header} ?${param}= percent-encoded`,
        class: "url-header-query",
        target: "/probe",
        headers: [[header, urlIn(kind, `/cb?state=ok&${encodeAll(param)}=${encodeAll(SPECIAL)}`)]],
        secrets: [SPECIAL],
      });
    }
  }
  return cases;
}

function sasCases(): CorpusCase[] {
  // An Azure SAS: the signature is base64, percent-encoded in the URL.
  const sig = "Zq4k9+Lw/3hT0pXyR2mN8vB5cJ1sE7aQ6dF=";
  return URL_HEADERS.flatMap(([header, kind]) => [
    {
      id: `${header} SAS sig=`,
      class: "url-header-sas" as const,
      target: "/probe",
      headers: [[header, urlIn(kind, `/container/blob.txt?sv=2022-11-02&ss=b&srt=o&sp=r&se=2030-01-01T00:00:00Z&spr=https&sig=${enc(sig)}`)]] as [string, string][],
      secrets: [sig],
    },
    {
      id: `${header} SAS sig= first`,
      class: "url-header-sas" as const,
      target: "/probe",
      headers: [[header, urlIn(kind, `/c/b?sig=${enc(`short${WEAK}`)}&sv=2022-11-02`)]] as [string, string][],
      secrets: [`short${WEAK}`],
    },
  ]);
}

function userinfoCases(): CorpusCase[] {
  const headers = ["Referer", "X-Original-URL", "X-Ms-Copy-Source", "X-Callback-Url", "Content-Location", "X-Upstream", "Link"];
  return headers.flatMap((header) => [
    { id: `${header} user:password@`, secrets: [WEAK], value: `https://alice:${WEAK}@api.example.com/v1` },
    { id: `${header} token@`, secrets: [`ghp${WEAK}Tok`], value: `https://ghp${WEAK}Tok@github.com/org/repo.git` },
    { id: `${header} encoded user:password@`, secrets: [SPECIAL], value: `https://bob:${enc(SPECIAL)}@db.example.com:5432/x` },
  ].map(({ id, secrets, value }) => ({
    id,
    class: "userinfo" as const,
    target: "/probe",
    headers: [[header, header === "Link" ? `<${value}>; rel="next"` : value]] as [string, string][],
    secrets,
  })));
}

function absoluteFormCases(): CorpusCase[] {
  return [
    { id: "absolute-form user:password@", target: `http://alice:${WEAK}@{origin}/probe`, secrets: [WEAK] },
    { id: "absolute-form token@", target: `http://tok${WEAK}@{origin}/probe`, secrets: [`tok${WEAK}`] },
    { id: "absolute-form encoded password", target: `http://bob:${enc(SPECIAL)}@{origin}/probe`, secrets: [SPECIAL] },
    { id: "absolute-form ?password=", target: `http://{origin}/probe?password=${WEAK}`, secrets: [WEAK] },
    { id: "absolute-form ?code=", target: `http://{origin}/cb?code=code${WEAK}&state=1`, secrets: [`code${WEAK}`] },
    { id: "absolute-form userinfo and ?sig=", target: `http://carol:pw${WEAK}@{origin}/x?sig=sig${WEAK}`, secrets: [`pw${WEAK}`, `sig${WEAK}`] },
  ].map((c) => ({ ...c, class: "absolute-form" as const, headers: [] }));
}

function credentialHeaderNameCases(): CorpusCase[] {
  const names = [
    "X-Key-Passphrase",
    "Ssl-Passphrase",
    "X-GitHub-OTP",
    "X-Passcode",
    "X-Device-Passcode",
    "X-Amz-Mfa",
    "X-Otp",
    "X-Mfa-Otp",
    "X-Totp",
    "X-Hotp",
    "X-Pin",
    "X-Card-Pin",
  ];
  return names.flatMap((name) => [
    { id: `${name}: digits`, class: "credential-header-name" as const, target: "/probe", headers: [[name, "73910264"]] as [string, string][], secrets: ["73910264"] },
    { id: `${name}: phrase`, class: "credential-header-name" as const, target: "/probe", headers: [[name, `correct horse ${WEAK}`]] as [string, string][], secrets: [`correct horse ${WEAK}`] },
  ]);
}

function matrixParamCases(): CorpusCase[] {
  const params = ["token", "jsessionid", "sig", "password", "access_token", "api_key"];
  const inTarget = params.flatMap((param) => [
    { id: `;${param}= plain`, class: "matrix-param" as const, target: `/files;${param}=${param}${WEAK}/report.pdf`, headers: [], secrets: [`${param}${WEAK}`] },
    { id: `;${param}= percent-encoded`, class: "matrix-param" as const, target: `/files;${param}=${encodeAll(MATRIX_SPECIAL)}`, headers: [], secrets: [MATRIX_SPECIAL] },
  ]);
  const inHeaders = URL_HEADERS.map(([header, kind]) => ({
    id: `${header} ;token=`,
    class: "matrix-param" as const,
    target: "/probe",
    headers: [[header, urlIn(kind, `/app;token=mx${WEAK}/page`)]] as [string, string][],
    secrets: [`mx${WEAK}`],
  }));
  return [...inTarget, ...inHeaders];
}

function nestedUrlCases(): CorpusCase[] {
  const outer = ["next", "redirect_uri", "return_to", "continue", "url"];
  const inner = ["token", "code", "password", "access_token"];
  const cases: CorpusCase[] = [];
  for (const o of outer) {
    for (const i of inner) {
      const secret = `${i}${WEAK}`;
      const nested = `/reset?${i}=${secret}`;
      cases.push({ id: `?${o}= encoded ${i}`, class: "nested-url", target: `/login?${o}=${enc(nested)}`, headers: [], secrets: [secret] });
      cases.push({
        id: `?${o}= double-encoded ${i}`,
        class: "nested-url",
        target: `/login?${o}=${enc(`https://idp.example.com/authorize?redirect=${enc(nested)}`)}`,
        headers: [],
        secrets: [secret],
      });
    }
  }
  for (const [header, kind] of URL_HEADERS.slice(0, 4)) {
    cases.push({
      id: `${header} nested ?next=`,
      class: "nested-url",
      target: "/probe",
      headers: [[header, urlIn(kind, `/login?next=${enc(`/reset?token=nest${WEAK}`)}`)]],
      secrets: [`nest${WEAK}`],
    });
  }
  return cases;
}

function bareKeyCases(): CorpusCase[] {
  const keys = [WEAK, `k${WEAK}42`, "s3cr3tZqKey"];
  return keys.flatMap((key) => [
    { id: `?${key}`, class: "bare-query-key" as const, target: `/probe?${key}`, headers: [], secrets: [key] },
    { id: `?a=1&${key}`, class: "bare-query-key" as const, target: `/probe?a=1&${key}`, headers: [], secrets: [key] },
    { id: `?${key}&b=2`, class: "bare-query-key" as const, target: `/x?${key}&b=2`, headers: [], secrets: [key] },
    { id: `Referer ?${key}`, class: "bare-query-key" as const, target: "/probe", headers: [["Referer", `https://app.example.com/?${key}`]] as [string, string][], secrets: [key] },
  ]);
}

function requestQueryCases(): CorpusCase[] {
  return SENSITIVE_PARAMS.flatMap((param) => [
    { id: `?${param}= plain`, class: "request-query" as const, target: `/probe?${param}=q${WEAK}`, headers: [], secrets: [`q${WEAK}`] },
    { id: `?${param}= percent-encoded`, class: "request-query" as const, target: `/probe?${encodeAll(param)}=${encodeAll(SPECIAL)}`, headers: [], secrets: [SPECIAL] },
  ]);
}

function b64(text: string): string {
  return Buffer.from(text).toString("base64");
}

function existingClassCases(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  const auth = (id: string, value: string, secrets: string[]) =>
    cases.push({ id, class: "authorization", target: "/probe", headers: [["Authorization", value]], secrets });
  for (const [user, pw] of [["alice", WEAK], ["admin", "admin123"], ["root", "letmein!"], ["bob", SPECIAL]] as const) {
    auth(`Basic ${user}:${pw}`, `Basic ${b64(`${user}:${pw}`)}`, [b64(`${user}:${pw}`), pw, `Basic ${b64(`${user}:${pw}`)}`]);
  }
  auth("Bearer short opaque", `Bearer zqtok${WEAK}`, [`zqtok${WEAK}`]);
  auth("unknown scheme", `Zqsecret${WEAK}`, [`Zqsecret${WEAK}`]);
  auth("token as scheme", `${WEAK}x tail`, [`${WEAK}x`]);
  auth("Digest response", `Digest username="alice", response="resp${WEAK}"`, [`resp${WEAK}`]);
  auth("lowercase bearer", `bearer low${WEAK}`, [`low${WEAK}`]);

  const cookie = (id: string, value: string, secrets: string[]) =>
    cases.push({ id, class: "cookie", target: "/probe", headers: [["Cookie", value]], secrets });
  cookie("session cookie", `theme=dark; sid=sid${WEAK}`, [`sid${WEAK}`]);
  cookie("remember-me", `remember=rm${WEAK}; lang=en`, [`rm${WEAK}`]);
  cookie("access_token cookie", `access_token=at${WEAK}`, [`at${WEAK}`]);
  cookie("encoded cookie", `pw=${enc(SPECIAL)}`, [SPECIAL]);
  cookie("bare cookie", `ck${WEAK}`, [`ck${WEAK}`]);
  cookie("two cookies", `a=1; session=ses${WEAK}; b=2`, [`ses${WEAK}`]);

  for (const [user, pw] of [["proxyuser", WEAK], ["svc", `px${WEAK}`], ["u", SPECIAL]] as const) {
    cases.push({
      id: `Proxy-Authorization ${user}`,
      class: "proxy-authorization",
      target: "/probe",
      headers: [["Proxy-Authorization", `Basic ${b64(`${user}:${pw}`)}`]],
      secrets: [b64(`${user}:${pw}`), pw],
    });
  }

  const apiKeyHeaders = ["X-Api-Key", "Api-Key", "X-Functions-Key", "Ocp-Apim-Subscription-Key", "X-Goog-Api-Key", "X-Auth-Token", "Private-Token", "X-Vault-Token"];
  for (const name of apiKeyHeaders) {
    cases.push({ id: name, class: "api-key-header", target: "/probe", headers: [[name, `ak${WEAK}`]], secrets: [`ak${WEAK}`] });
  }

  const jwtLike = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ6cSJ9.sig${WEAK}`;
  const identity: [string, string, string][] = [
    ["X-Amzn-Oidc-Accesstoken", `oidc${WEAK}`, `oidc${WEAK}`],
    ["X-Amzn-Oidc-Data", jwtLike, `sig${WEAK}`],
    ["X-Goog-Iap-Jwt-Assertion", jwtLike, `sig${WEAK}`],
    ["X-Ms-Token-Aad-Access-Token", `aad${WEAK}`, `aad${WEAK}`],
    ["X-Ms-Client-Principal", b64(`{"auth_typ":"aad","claims":[{"typ":"pw","val":"${WEAK}"}]}`), WEAK],
    ["X-Forwarded-Access-Token", `fwd${WEAK}`, `fwd${WEAK}`],
    ["X-Auth-Request-Access-Token", `ara${WEAK}`, `ara${WEAK}`],
    ["Cf-Access-Jwt-Assertion", jwtLike, `sig${WEAK}`],
  ];
  for (const [name, value, secret] of identity) {
    cases.push({ id: name, class: "identity-header", target: "/probe", headers: [[name, value]], secrets: [secret, value] });
  }
  return cases;
}

export const CREDENTIAL_CORPUS: readonly CorpusCase[] = [
  ...urlHeaderQueryCases(),
  ...sasCases(),
  ...userinfoCases(),
  ...absoluteFormCases(),
  ...credentialHeaderNameCases(),
  ...matrixParamCases(),
  ...nestedUrlCases(),
  ...bareKeyCases(),
  ...requestQueryCases(),
  ...existingClassCases(),
];

/** The forms a secret may take in a report: as is, JSON-escaped, percent-encoded once or twice, either hex case. */
export function echoForms(secret: string): string[] {
  const once = encodeURIComponent(secret);
  const forms = [secret, JSON.stringify(secret).slice(1, -1), once, once.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()), encodeURIComponent(once), encodeAll(secret), secret.replace(/ /g, "+")];
  return [...new Set(forms)];
}
