import type { ServerName } from "../../components.js";
import { type Attribution, isAppServer, namedProxies, runtimeHintOf, stackHintOf, whoAnswered } from "../attribution.js";
import type { SchemeForm } from "../fixes.js";
import { makeFinding } from "../finding.js";
import { type HttpAnswer, type HttpResult, isFailure } from "../http.js";
import type { Finding } from "../types.js";
import { challengeSchemes, schemeOf } from "./challenge.js";
import { type Check, none, type RunState } from "./types.js";

/** RFC 6750 error and description from a WWW-Authenticate: Bearer challenge. */
function bearerError(challenge: string): { error: string | null; description: string } {
  const error = /error="([^"]*)"/.exec(challenge)?.[1] ?? null;
  const description = /error_description="([^"]*)"/.exec(challenge)?.[1] ?? "";
  return { error, description };
}

/**
 * Framework messages that mean "wrong scheme", not "bad token" (flask-jwt, flask-jwt-extended,
 * DRF, express-jwt, ...). Each pattern is only as long as it needs to be: `.test()` looks for a
 * match anywhere, so a trailing optional part or a `+` on a last character class adds nothing.
 */
const SCHEME_MESSAGES = [
  /unsupported authori[sz]ation type/i,
  /authori[sz]ation header must start with/i,
  /authori[sz]ation header prefix/i,
  /missing ['"]?\w+['"]? type in ['"]?authorization['"]? header/i,
  /expected ['"]?authorization: \w/i,
  /format is authorization: \w/i,
  /bad authori[sz]ation header\. expected/i,
  /credentials_bad_scheme/i,
  /invalid (auth(entication|orization)? )?scheme/i,
  /expected ['"]?\w+ <(token|jwt|credentials)>/i,
  /unsupported (auth(entication|orization)? )?scheme/i,
];

/** Messages apps give when no token arrived (as opposed to a bad one). */
const MISSING_MESSAGES = [
  /does not contain an access token/i,
  /missing (authori[sz]ation|token|credentials|access token|bearer)/i,
  /no (authori[sz]ation|token|credentials|auth)\b/i,
  /credentials were not provided/i,
  /(token|authori[sz]ation|credentials)( header)? (is |are )?(required|missing|not (provided|present|found))/i,
  /authentication required/i,
  /unauthori[sz]ed: no/i,
  // FastAPI's HTTPBearer and OAuth2PasswordBearer when no header came (an invalid token gets the app's own message).
  /"detail"\s*:\s*"not authenticated/i,
  // gin-jwt (Go).
  /\bauth(ori[sz]ation)? header is empty/i,
];

/** The app's message says the scheme is wrong (not the token). */
export function saysWrongScheme(message: string): boolean {
  return SCHEME_MESSAGES.some((re) => re.test(message));
}

/** The app's message says no token arrived. */
export function saysNoToken(message: string): boolean {
  return MISSING_MESSAGES.some((re) => re.test(message));
}

/** Status, challenge and body with numbers masked: request ids and timestamps differ run to run. */
function shapeOf(a: HttpAnswer): string {
  return `${a.status}|${a.headers.get("www-authenticate") ?? ""}|${a.body.replace(/[0-9a-f]{8,}|\d+/gi, "#")}`;
}

const succeeded = (a: HttpAnswer) => a.status >= 200 && a.status < 300;
const serverError = (a: HttpAnswer) => a.status >= 500;

function appAttribution(answer: HttpAnswer): Attribution {
  // The app wrote this answer; name it only when it names itself (X-Powered-By, Server of an app server).
  const by = whoAnswered(answer);
  return by.server === "node" || by.server === "gunicorn" || by.server === "uwsgi" ? by : { server: "unknown", candidates: [], basis: by.basis };
}

/** The forms apps read a token in (RFC 6750's Bearer, flask-jwt's JWT, DRF's Token, no scheme). */
const FORMS: SchemeForm[] = ["Bearer", "JWT", "Token", "bare"];

function formOf(value: string): SchemeForm | string {
  const scheme = schemeOf(value);
  if (!scheme) return "bare";
  return FORMS.find((f) => f.toLowerCase() === scheme.toLowerCase()) ?? scheme;
}

function inForm(form: SchemeForm, bare: string): string {
  return form === "bare" ? bare : `${form} ${bare}`;
}

/**
 * What one answer with a token says, next to the answer without one: accepted (2xx where the
 * token-less request is not), public (both 2xx: the route checks no token), read (the answer
 * changed with the token: whoever answered read it), or ignored (the same answer: the token made
 * no difference, it was stripped or never read).
 */
type Reading = "accepted" | "public" | "read" | "ignored";

function readingOf(withToken: HttpAnswer, without: HttpAnswer): Reading {
  const same = shapeOf(withToken) === shapeOf(without);
  if (succeeded(withToken)) return succeeded(without) && same ? "public" : "accepted";
  return same ? "ignored" : "read";
}

interface Attempt {
  value: string;
  form: SchemeForm | string;
  answer: HttpAnswer;
  reading: Reading;
}

/**
 * Without a probe: the answers with the user's token (or the canary) and without any. "Nothing
 * wrong" only when an answer shows the token got through: accepted, or refused in words about the
 * token itself, or answered differently than without one. An answer that is the same with and
 * without the token is evidence in itself, for every status, and never "no problem".
 */
async function checkBlackBox(state: RunState): Promise<Finding[]> {
  const { ctx } = state;
  // After a redirect to another origin the user's token stays home: the canary stands in for it.
  const home = ctx.trusts(ctx.url);
  const exact = home ? ctx.options.authorization : undefined;
  const userToken = home ? ctx.options.token : undefined;
  const mine = exact ?? userToken;
  // --authorization is sent as it is; --token as it is when it has a scheme, else as Bearer.
  const sentValue = exact ?? (userToken ? (/^\S+\s+\S/.test(userToken) ? userToken : `Bearer ${userToken}`) : ctx.canary.value);
  const bare = sentValue.includes(" ") ? sentValue.slice(sentValue.indexOf(" ") + 1) : sentValue;
  const withToken: HttpResult = mine ? await ctx.request(ctx.url, [...ctx.baseHeaders(), ["Authorization", sentValue]]) : (state.baseline as HttpAnswer);
  const without = await ctx.request(ctx.url, ctx.baseHeaders());
  if (isFailure(withToken) || isFailure(without)) return [];
  const scrub = (text: string) => (mine ? text.split(bare).join("<your token>") : text);
  const label = mine ? "your token" : "canary";
  const sent = `Authorization: ${schemeOf(sentValue) || "(no scheme)"} <${label}, ${Buffer.byteLength(sentValue)} bytes>`;
  const cannot = "Without a probe this is inferred from the answers, not seen at the app.";

  const challenge = withToken.headers.get("www-authenticate") ?? "";
  const { error, description } = bearerError(challenge);
  // Read and shown with whitespace collapsed: HTML and pretty-printed JSON wrap their messages.
  const flat = scrub(withToken.body).replace(/\s+/g, " ");
  const body = flat.slice(0, 160);
  const message = `${scrub(description)} ${flat}`;
  const first: Attempt = { value: sentValue, form: formOf(sentValue), answer: withToken, reading: readingOf(withToken, without) };
  const data = { withToken: withToken.status, without: without.status, challenge: challenge || null, reading: first.reading };
  const received = (a: HttpAnswer, text = body) => `${a.status} ${text || "(no body)"}`.trim();

  if (first.reading === "accepted") {
    state.tokenSeen = true;
    return [];
  }
  if (first.reading === "public") {
    return [
      makeFinding(
        "AUTH_NOT_VERIFIED",
        {
          sent,
          received: `${withToken.status}, the same answer as without a token`,
          notes: [cannot, "This URL answers the same without a token: it checks none, so it cannot show whether a token gets through. Point the doctor at a protected route, or put a probe at this path."],
          data: { ...data, reason: "route-public" },
        },
        { server: "unknown", candidates: namedProxies(state.path), runtimeServer: runtimeHintOf(withToken) ?? runtimeHintOf(without), probeHint: stackHintOf(withToken, without) },
      ),
    ];
  }

  // The app says another scheme is wanted, names one in its challenge, or ignored the token: try
  // the token in the other forms apps read, within the request budget.
  const tokenScheme = schemeOf(sentValue).toLowerCase();
  const challenged = challengeSchemes(challenge).map((s) => s.toLowerCase());
  const otherAppScheme = challenged.find((s) => s !== tokenScheme && !["basic", "digest", "negotiate", "ntlm"].includes(s)) ?? null;
  const messageSaysScheme = first.reading === "read" && saysWrongScheme(message);
  const attempts: Attempt[] = [first];
  // A form is the app's when the same token is accepted in it, or when it changes an answer that
  // the form sent first left the same as no token at all.
  const complains = (a: Attempt) =>
    saysWrongScheme(`${bearerError(a.answer.headers.get("www-authenticate") ?? "").description} ${a.answer.body}`);
  // A changed answer that only complains about the scheme is not the app's form (it may name the
  // very scheme sent first); it shows that the header reaches the app, nothing more.
  const isTaken = (a: Attempt) => a.reading === "accepted" || (first.reading === "ignored" && a.reading === "read" && !complains(a));
  // The user's token is retried whenever it is refused; the canary (refused anyway) only when ignored.
  if (first.reading === "ignored" || (mine && first.reading === "read")) {
    const wanted = FORMS.find((f) => f.toLowerCase() === otherAppScheme);
    const order = [...new Set([...(wanted ? [wanted] : []), ...FORMS])].filter((f) => f !== first.form);
    for (const form of order) {
      const value = inForm(form, bare);
      const answer = await ctx.request(ctx.url, [...ctx.baseHeaders(), ["Authorization", value]]);
      if (isFailure(answer)) break;
      const attempt: Attempt = { value, form, answer, reading: readingOf(answer, without) };
      attempts.push(attempt);
      if (isTaken(attempt)) break;
    }
  }
  const taken = attempts.slice(1).find(isTaken);
  const acceptedAs = taken ? (taken.form === "bare" ? "the bare token (no scheme)" : `'${taken.form} <token>'`) : null;
  const tried = attempts.map((a) => `${a.form === "bare" ? "no scheme" : a.form}: ${a.answer.status} (${a.reading})`);

  const reaches = first.reading === "ignored" && !taken && attempts.slice(1).some((a) => a.reading === "read" && complains(a));
  // From here on, every answer but "ignored in every form" shows the header reached the app.
  state.tokenSeen = Boolean(taken) || first.reading === "read" || reaches;
  if (!mine && state.tokenSeen) {
    // Only the canary: the header gets through (in the form the app reads); the client's form is unknown.
    return [];
  }
  if (taken || (first.reading === "read" && (messageSaysScheme || otherAppScheme))) {
    const evidence = [
      ...(messageSaysScheme ? ["the app's message says the scheme is wrong"] : []),
      ...(otherAppScheme ? [`its challenge asks for '${otherAppScheme}'`] : []),
      ...(taken ? [`the same token ${taken.reading === "accepted" ? "is accepted" : "is read (the answer changes)"} as ${acceptedAs}`] : []),
      ...(first.reading === "ignored" ? ["sent as you send it, it got the same answer as no token at all"] : []),
    ];
    return [
      makeFinding(
        "SCHEME_MISMATCH",
        {
          sent,
          received: `${withToken.status} ${scrub(description) || body}`.trim(),
          notes: [cannot, `The app wants another scheme: ${evidence.join("; ")}.`],
          data: { ...data, acceptedAs, otherScheme: otherAppScheme, tried },
        },
        {
          ...appAttribution(taken?.answer ?? withToken),
          scheme: { sent: first.form, accepted: (taken?.form as SchemeForm | undefined) ?? null, asked: otherAppScheme },
        },
      ),
    ];
  }

  if (reaches) {
    return [
      makeFinding(
        "TOKEN_REJECTED",
        {
          sent,
          received: received(withToken),
          notes: [
            cannot,
            `In another form the app complains about the scheme, so the header reaches it; sent as you send it, your token gets the same refusal as no token at all (${tried.join(", ")}): the app refuses it without saying why. Check its secret or key, algorithm, issuer and audience.`,
          ],
          data: { ...data, reason: "refused-like-none", tried },
        },
        appAttribution(withToken),
      ),
    ];
  }

  if (first.reading === "read") {
    if (serverError(withToken) && !serverError(without)) {
      return [
        makeFinding(
          "TOKEN_REJECTED",
          {
            sent,
            received: received(withToken),
            notes: [cannot, `The app fails (${withToken.status}) when it gets the token, and answers ${without.status} without one: it received the token and broke reading it (a missing secret, a split on the scheme, a decoding error). Look at the app's log.`],
            data: { ...data, reason: "app-error-on-token" },
          },
          appAttribution(withToken),
        ),
      ];
    }
    // The canary is junk to the app: a refusal that differs from the token-less one shows it arrived.
    if (!mine) return [];
    return [
      makeFinding(
        "TOKEN_REJECTED",
        {
          sent,
          received: `${withToken.status} ${error ? `error="${error}" ` : ""}${scrub(description) || body}`.trim(),
          notes: [cannot, `Without the token the answer differs (${without.status}): the app saw your token and refused it.`],
          data,
        },
        appAttribution(withToken),
      ),
    ];
  }

  // Ignored in every form: the token never made a difference.
  const candidates = namedProxies(state.path);
  if (candidates.length === 0) candidates.push(...(await frontByOwnRefusal(state)));
  const runtimeServer = runtimeHintOf(withToken) ?? runtimeHintOf(without);
  const saysMissing = saysNoToken(message) || (/^bearer\b/i.test(challenge) && !error);
  if (saysMissing) {
    return [
      makeFinding(
        "AUTH_STRIPPED",
        {
          sent,
          received: `${withToken.status}, the same answer as without a token (${body || "no body"})`,
          notes: [
            cannot,
            "The app answers as if no token were sent: a hop in front of it probably drops it. Deploy a probe at this path (authprobe serve probe, or the Express router) and run the doctor there to see it.",
          ],
          data: { ...data, sameAsWithout: true, tried },
        },
        { server: "unknown", candidates, runtimeServer },
      ),
    ];
  }
  return [
    makeFinding(
      "AUTH_NOT_VERIFIED",
      {
        sent,
        received: `${withToken.status}, the same answer as without a token (${body || "no body"})`,
        notes: [
          cannot,
          `The token made no difference${attempts.length > 1 ? ` in any form tried (${tried.join(", ")})` : ""}: it was stripped before the app, or refused before anything read it. From outside the two look the same; a probe at this path tells them apart.`,
          ...(withToken.status === 405
            ? [`The answer is 405: this URL does not take ${ctx.options.method ?? "GET"}${withToken.headers.get("allow") ? `; it allows ${withToken.headers.get("allow")}` : ""}. Run the doctor with --method (and --data) as your client calls it.`]
            : []),
        ],
        data: {
          ...data,
          sameAsWithout: true,
          reason: withToken.status === 405 ? "method-not-allowed" : serverError(withToken) ? "same-server-error" : "same-answer",
          tried,
          ...(withToken.status === 405 ? { allow: withToken.headers.get("allow") } : {}),
        },
      },
      { server: "unknown", candidates, runtimeServer, probeHint: stackHintOf(withToken, without) },
    ),
  ];
}

/** Far past every front's header limit (nginx 8 KB, Apache 8 KB, HAProxy 16 KB, Node 16 KB, ...). */
const OVERSIZE_BYTES = 70_000;

/**
 * A front that passes the app's Server header on and adds no Via (Apache mod_proxy in front of
 * gunicorn, say) is named by no answer of the app's. One request with an oversize junk header makes
 * the front refuse it with its own page: the proxies that page names are the candidates.
 */
async function frontByOwnRefusal(state: RunState): Promise<ServerName[]> {
  const { ctx } = state;
  const answer = await ctx.request(ctx.url, [...ctx.baseHeaders(), ["X-Authprobe-Pad", "x".repeat(OVERSIZE_BYTES)]]);
  if (isFailure(answer) || answer.status < 400) return [];
  const by = whoAnswered(answer);
  const named = by.server !== "unknown" ? [by.server] : by.candidates;
  return named.filter((s) => s !== "unknown" && !isAppServer(s));
}

export const blackBoxCheck: Check = {
  name: "black-box-token",
  applies: (s) => s.mode === "black-box" && !s.blocked,
  async run(state) {
    const findings = await checkBlackBox(state);
    return findings.length ? { findings } : none;
  },
};
