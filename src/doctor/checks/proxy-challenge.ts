import { labelOf, type ServerName } from "../../components.js";
import { namedProxies, proxyInPath, signatureOf } from "../attribution.js";
import { describeSent, makeFinding } from "../finding.js";
import { isFailure } from "../http.js";
import { challengeSchemes, PROXY_SCHEMES, schemeOf } from "./challenge.js";
import { type Check, none } from "./types.js";

/** Proxies whose own 401 carries their error page: a 401 under their name without it came from behind. */
const OWN_401_PAGE: ServerName[] = ["nginx", "apache", "haproxy", "varnish"];

/**
 * An intermediary demanding its own credentials: a Basic, Digest or Negotiate challenge that the
 * client's token cannot satisfy and that does not change with the token. A challenge naming the
 * token's own scheme (Bearer, JWT, ...) is the app's, whatever the Server header says.
 */
export const proxyChallengeCheck: Check = {
  name: "proxy-challenge",
  applies: (s) => s.mode === "black-box" && s.baseline !== null && (s.baseline.status === 401 || s.baseline.status === 407),
  async run(state) {
    const { ctx } = state;
    const answer = state.baseline!;
    const header = answer.status === 407 ? "proxy-authenticate" : "www-authenticate";
    const challenge = answer.headers.get(header);
    const schemes = challengeSchemes(challenge).map((s) => s.toLowerCase());
    const tokenScheme = schemeOf(ctx.options.token && /^\S+\s+\S/.test(ctx.options.token) ? ctx.options.token : ctx.canary.value).toLowerCase();
    const foreign = schemes.length > 0 && schemes.every((s) => PROXY_SCHEMES.includes(s) && s !== tokenScheme);
    if (!foreign) return none;
    const without = await ctx.request(ctx.url, ctx.baseHeaders());
    const unchanged =
      !isFailure(without) && without.status === answer.status && without.headers.get(header) === challenge;
    if (!unchanged) return none;
    const signature = signatureOf(answer);
    // No error page names it: the one proxy the path shows, if it shows exactly one and could have
    // written this answer (nginx, Apache, HAProxy and Varnish put their page on their own 401).
    const inPath = proxyInPath(state.path);
    const candidates = namedProxies(state.path);
    const itsOwn = inPath.server !== "unknown" && !OWN_401_PAGE.includes(inPath.server) && answer.body.trim() === "";
    const certainOf = signature ? signature.server : itsOwn ? inPath.server : null;
    state.blocked = true;
    return {
      findings: [
        makeFinding(
          "PROXY_AUTH_CHALLENGE",
          {
            sent: describeSent(ctx.canary.value),
            received: `${answer.status} ${header === "www-authenticate" ? "WWW-Authenticate" : "Proxy-Authenticate"}: ${challenge}${signature ? ` on ${signature.name}` : ""}; the same without a token`,
            notes: [
              `The challenge asks for ${schemes.join(", ")}, which a ${tokenScheme || "bearer"} token cannot satisfy, and it does not change with the token: ${
                certainOf ? "the app behind never saw the request" : "whoever sends it (a proxy, or the app if it asks for Basic itself) refuses every token"
              }.`,
              ...(signature ? [] : [`No error page names the component; ${candidates.length ? `candidates: ${candidates.map(labelOf).join(", ")}` : "no proxy names itself"}.`]),
            ],
            data: { status: answer.status, schemes, signature: signature?.name ?? null },
          },
          certainOf ? { server: certainOf } : { server: "unknown", candidates },
        ),
      ],
    };
  },
};
