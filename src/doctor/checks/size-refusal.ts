import { labelOf, type ServerName } from "../../components.js";
import { type Attribution, certain, isAppServer, namedProxies, proxyInPath, runtimeComponent, serverHeaderProduct, whoAnswered } from "../attribution.js";
import { type HttpAnswer, type HttpResult, isFailure } from "../http.js";
import type { RunState } from "./types.js";

// Who refused a request that was too large, from the refusal and the path; the measuring is in
// header-size.ts.

/** A proxy whose upstream failed only on a large request: the app server behind refused it. */
export const UPSTREAM_FAILED = [502, 503, 504];

/** The status an app server answers an over-long head with itself (uWSGI drops the connection). */
const OWN_REFUSAL: Partial<Record<ServerName, number>> = { node: 431, gunicorn: 400 };

/** Proxies that refuse an over-long header with 400 and their own page (or nothing), never with 431. */
const NEVER_431: ServerName[] = ["nginx", "apache", "haproxy", "varnish"];

/**
 * A refusal that names no writer (no error page of its own): the proxies its headers name are
 * candidates, minus those that never answer this status, plus the app server behind them.
 */
function refusalCandidates(state: RunState, answer: HttpAnswer, answered: Attribution): Attribution {
  const basis = [...answered.basis];
  let candidates = [...answered.candidates];
  const relayed = answer.status === 431 ? candidates.filter((c) => NEVER_431.includes(c)) : [];
  if (relayed.length > 0) {
    candidates = candidates.filter((c) => !relayed.includes(c));
    basis.push({ kind: "status", detail: `${relayed.map(labelOf).join(" and ")} ${relayed.length === 1 ? "refuses" : "refuse"} an over-long header with 400, never 431: the 431 came from behind` });
  }
  const runtime = runtimeComponent(state.report);
  // Node answers an over-long head with a bare 431: certain when nothing else can be between (no
  // unnamed hop, and no Server header but the relaying proxy's: YARP's Kestrel writes 431 too).
  const unnamedHops = state.path.minHops > namedProxies(state.path).length;
  const server = answer.headers.get("server");
  const serverProduct = serverHeaderProduct(server);
  const serverIsRelay = server === null || (serverProduct !== null && relayed.includes(serverProduct));
  if (answer.status === 431 && answer.body === "" && runtime === "node" && candidates.length === 0 && !unnamedHops && serverIsRelay) {
    return { server: "node", candidates: [], basis: [...basis, { kind: "runtime", detail: "behind it is only the app's Node server, which answers an over-long head with 431" }] };
  }
  // The app server under the probe is a candidate only for the status it refuses with itself, and
  // not when the Server header names a server we have no rules for (Kestrel, Tomcat): that one wrote it.
  const serverUnknown = server !== null && serverProduct === null;
  const own = runtime !== null && OWN_REFUSAL[runtime] === answer.status;
  if (runtime && own && !serverUnknown && !candidates.includes(runtime)) candidates.push(runtime);
  return { server: "unknown", candidates, basis };
}

/** Who refused: the answer's own signature; an upstream failure only above a size is the app server's. */
export function refusedBy(state: RunState, answer: HttpResult): { attribution: Attribution; status: string } {
  if (isFailure(answer)) {
    // Nothing in front of the app server: it dropped the connection itself (uWSGI's http-socket does).
    const runtime = runtimeComponent(state.report);
    if (runtime && state.path.minHops === 0 && state.path.serverHeader === null) {
      return { attribution: certain(runtime, "status", `nothing in front of ${labelOf(runtime)}, which closed the connection`), status: `connection closed (${answer.error})` };
    }
    const front = proxyInPath(state.path);
    return { attribution: front.server === "unknown" ? front : { server: "unknown", candidates: [front.server], basis: front.basis }, status: `connection closed (${answer.error})` };
  }
  const status = String(answer.status);
  const answered = whoAnswered(answer);
  // A proxy's own 502 page names the proxy, but it only relays that the server behind it failed.
  if (UPSTREAM_FAILED.includes(answer.status) && !(answered.basis[0]?.kind === "signature" && isAppServer(answered.server))) {
    const runtime = runtimeComponent(state.report);
    const front = answered.server !== "unknown" ? labelOf(answered.server) : answered.candidates[0] ? labelOf(answered.candidates[0]) : "the front";
    if (runtime && runtime !== "node" && isAppServer(runtime)) {
      return {
        attribution: certain(runtime, "status", `${front} answered ${answer.status} only above this size: ${labelOf(runtime)} behind it dropped the request`),
        status,
      };
    }
    return {
      attribution: { server: "unknown", candidates: [], basis: [{ kind: "status", detail: `the front answered ${answer.status} only above this size: the server behind it refused the request` }] },
      status,
    };
  }
  if (answered.server !== "unknown") return { attribution: answered, status };
  return { attribution: refusalCandidates(state, answer, answered), status };
}
