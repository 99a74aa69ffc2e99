import { describeSent, makeFinding } from "../finding.js";
import type { HttpAnswer } from "../http.js";
import { identifyServer } from "../server-fingerprint.js";
import type { Finding } from "../types.js";

/**
 * A 401 that is not the app's: a challenge for another scheme (Basic realm="edge") or a proxy's own
 * error page. The app behind it never saw the request.
 */
export function checkProxyChallenge(answer: HttpAnswer, sentValue: string): Finding[] {
  if (answer.status !== 401) return [];
  const challenge = answer.headers.get("www-authenticate") ?? "";
  const server = identifyServer(answer);
  const proxyPage = server === "nginx" || server === "apache";
  const foreignScheme = challenge !== "" && !/^\s*bearer\b/i.test(challenge);
  if (!proxyPage && !foreignScheme) return [];
  return [
    makeFinding(
      "PROXY_AUTH_CHALLENGE",
      {
        sent: describeSent(sentValue),
        received: `401 WWW-Authenticate: ${challenge || "(none)"}${proxyPage ? ` from ${server}'s own error page` : ""}`,
      },
      { server },
    ),
  ];
}
