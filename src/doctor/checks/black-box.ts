import { type Attribution, namedProxies, runtimeHintOf, whoAnswered } from "../attribution.js";
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
const refused = (a: HttpAnswer) => a.status === 401 || a.status === 403;

function appAttribution(answer: HttpAnswer): Attribution {
  // The app wrote this answer; name it only when it names itself (X-Powered-By, Server of an app server).
  const by = whoAnswered(answer);
  return by.server === "node" || by.server === "gunicorn" || by.server === "uwsgi" ? by : { server: "unknown", candidates: [], basis: by.basis };
}

/**
 * Without a probe: the answers with the user's token (or the canary), with none and with a junk
 * token. An answer that changes with the token comes from whoever reads it (the app); identical
 * "missing token" answers mean it probably never arrived.
 */
async function checkBlackBox(state: RunState): Promise<Finding[]> {
  const { ctx } = state;
  // After a redirect to another origin the user's token stays home: the canary stands in for it.
  const userToken = ctx.trusts(ctx.url) ? ctx.options.token : undefined;
  const withValue = userToken ? (/^\S+\s+\S/.test(userToken) ? userToken : `Bearer ${userToken}`) : ctx.canary.value;
  const withToken: HttpResult = userToken ? await ctx.request(ctx.url, [...ctx.baseHeaders(), ["Authorization", withValue]]) : (state.baseline as HttpAnswer);
  const without = await ctx.request(ctx.url, ctx.baseHeaders());
  if (isFailure(withToken) || isFailure(without)) return [];
  const scrub = (text: string) => (userToken ? text.split(userToken).join("<your token>") : text);
  const label = userToken ? "your token" : "canary";
  const sent = `Authorization: ${schemeOf(withValue)} <${label}, ${Buffer.byteLength(withValue)} bytes>`;
  const cannot = "Without a probe this is inferred from the answers, not seen at the app.";
  if (succeeded(withToken) || !refused(withToken)) return [];

  const challenge = withToken.headers.get("www-authenticate") ?? "";
  const { error, description } = bearerError(challenge);
  // Read and shown with whitespace collapsed: HTML and pretty-printed JSON wrap their messages.
  const flat = scrub(withToken.body).replace(/\s+/g, " ");
  const body = flat.slice(0, 160);
  const message = `${scrub(description)} ${flat}`;
  const sameAsWithout = shapeOf(withToken) === shapeOf(without);
  const data = { withToken: withToken.status, without: without.status, challenge: challenge || null };

  // The app names another scheme: in its message, or in a challenge that is not the token's scheme.
  const tokenScheme = schemeOf(withValue).toLowerCase();
  const challenged = challengeSchemes(challenge).map((s) => s.toLowerCase());
  const messageSaysScheme = saysWrongScheme(message);
  const otherAppScheme = challenged.find((s) => s !== tokenScheme && !["basic", "digest", "negotiate", "ntlm"].includes(s));
  let acceptedAs: string | null = null;
  if (userToken && (messageSaysScheme || otherAppScheme || !sameAsWithout)) {
    // The same token under another scheme, within the request budget: does the app take it?
    const bare = withValue.slice(withValue.indexOf(" ") + 1);
    const tries = [...new Set([otherAppScheme ? `${otherAppScheme === "jwt" ? "JWT" : otherAppScheme} ${bare}` : null, `JWT ${bare}`, `Bearer ${bare}`, `Token ${bare}`, bare])]
      .filter((v): v is string => v !== null && v !== withValue);
    for (const value of tries) {
      const answer = await ctx.request(ctx.url, [...ctx.baseHeaders(), ["Authorization", value]]);
      if (!isFailure(answer) && succeeded(answer)) {
        acceptedAs = value === bare ? "the bare token (no scheme)" : `'${schemeOf(value)} <token>'`;
        break;
      }
    }
  }
  if (messageSaysScheme || otherAppScheme || acceptedAs) {
    const evidence = [
      ...(messageSaysScheme ? ["the app's message says the scheme is wrong"] : []),
      ...(otherAppScheme ? [`its challenge asks for '${otherAppScheme}'`] : []),
      ...(acceptedAs ? [`the same token is accepted as ${acceptedAs}`] : []),
    ];
    return [
      makeFinding(
        "SCHEME_MISMATCH",
        {
          sent,
          received: `${withToken.status} ${description || body}`.trim(),
          notes: [cannot, `The app wants another scheme: ${evidence.join("; ")}.`],
          data: { ...data, acceptedAs, otherScheme: otherAppScheme ?? null },
        },
        appAttribution(withToken),
      ),
    ];
  }

  if (sameAsWithout) {
    const saysMissing = saysNoToken(message) || (/^bearer\b/i.test(challenge) && !error);
    if (!saysMissing) return [];
    const candidates = namedProxies(state.path);
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
          data: { ...data, sameAsWithout: true },
        },
        { server: "unknown", candidates, runtimeServer: runtimeHintOf(withToken) ?? runtimeHintOf(without) },
      ),
    ];
  }
  if (!userToken) return []; // the canary is junk to the app: a refusal that differs is expected
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

export const blackBoxCheck: Check = {
  name: "black-box-token",
  applies: (s) => s.mode === "black-box" && !s.blocked,
  async run(state) {
    const findings = await checkBlackBox(state);
    return findings.length ? { findings } : none;
  },
};
