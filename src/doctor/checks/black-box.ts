import type { DoctorContext } from "../context.js";
import { makeFinding } from "../finding.js";
import { isFailure } from "../http.js";
import { identifyServer } from "../server-fingerprint.js";
import type { Finding } from "../types.js";

/** RFC 6750 error and description from a WWW-Authenticate: Bearer challenge. */
function bearerError(challenge: string): { error: string | null; description: string } {
  const error = /error="([^"]*)"/.exec(challenge)?.[1] ?? null;
  const description = /error_description="([^"]*)"/.exec(challenge)?.[1] ?? "";
  return { error, description };
}

/**
 * Without a probe: the user's token against no token. Different answers mean the app saw the token;
 * identical "missing token" answers mean it probably never arrived.
 */
export async function checkBlackBoxToken(ctx: DoctorContext): Promise<Finding[]> {
  const token = ctx.options.token;
  if (!token) return [];
  const value = /^\S+\s+\S/.test(token) ? token : `Bearer ${token}`;
  const withToken = await ctx.request(ctx.url, [...ctx.baseHeaders(), ["Authorization", value]]);
  const without = await ctx.request(ctx.url, ctx.baseHeaders());
  if (isFailure(withToken) || isFailure(without)) return [];
  const server = identifyServer(withToken);
  // Some apps echo the token in their error body: never let it reach our output.
  const scrub = (text: string) => text.split(token).join("<your token>");
  const sent = `Authorization: ${value.split(" ")[0]} <your token, ${Buffer.byteLength(value)} bytes>`;
  const challenge = withToken.headers.get("www-authenticate") ?? "";
  const { error, description: rawDescription } = bearerError(challenge);
  const description = scrub(rawDescription);
  const body = scrub(withToken.body).slice(0, 120);
  const text = `${description} ${withToken.body}`.toLowerCase();
  const cannot = "Without a probe this is inferred from the answers, not seen at the app.";
  if (withToken.status === 401 && /scheme/.test(text)) {
    return [
      makeFinding("SCHEME_MISMATCH", { sent, received: `401 ${description || body}`, notes: [cannot] }, { server }),
    ];
  }
  if (withToken.status === 401 || withToken.status === 403) {
    const same = withToken.status === without.status && withToken.body === without.body;
    if (same) {
      return [
        makeFinding(
          "AUTH_STRIPPED",
          {
            sent,
            received: `${withToken.status}, the same answer as without a token`,
            notes: [cannot, "The app answers as if no token were sent: a hop probably drops it. Deploy a probe to confirm."],
          },
          { server },
        ),
      ];
    }
    if (error === "invalid_token" || withToken.status === 403 || withToken.status !== without.status || withToken.body !== without.body) {
      return [
        makeFinding(
          "TOKEN_REJECTED",
          {
            sent,
            received: `${withToken.status} ${error ? `error="${error}" ` : ""}${description || body}`,
            notes: [cannot, `Without the token the answer differs (${without.status}): the app saw your token and refused it.`],
          },
          { server },
        ),
      ];
    }
  }
  return [];
}
