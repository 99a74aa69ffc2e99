import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: string;
  /** The body went on past the cap: the doctor kept its start and closed the connection. */
  truncated?: boolean;
}

export interface HttpFailure {
  error: string;
  /** The failure was the certificate: the answer to it is --cacert or --insecure, not "down". */
  tls?: boolean;
}

export type HttpResult = HttpAnswer | HttpFailure;

export function isFailure(r: HttpResult): r is HttpFailure {
  return "error" in r;
}

/** Trust for https: an extra CA file's contents, or no verification at all. */
export interface TlsTrust {
  ca?: string | undefined;
  insecure?: boolean | undefined;
}

const MAX_BODY = 256 * 1024;

export interface SendOptions {
  method?: string;
  headers?: [string, string][];
  /** A request body (--data), sent with its Content-Length. */
  body?: string;
  timeoutMs: number;
  deadlineAt?: number;
  tls?: TlsTrust;
  /** A run's keep-alive agents; without them every request opens (and closes) its own connection. */
  agents?: KeepAliveAgents;
}

/** One run's connections, reused between its requests; `destroy()` closes them when the run ends. */
export class KeepAliveAgents {
  readonly http = new HttpAgent({ keepAlive: true });
  readonly https = new HttpsAgent({ keepAlive: true });

  destroy(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

/** A reused connection the server had closed meanwhile: the request never reached it, so resend. */
const STALE_SOCKET = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED"]);

/** Node's codes for a certificate it would not trust. */
const TLS_ERRORS = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME_MISMATCH/;

export function isTlsFailure(r: HttpResult): boolean {
  return isFailure(r) && r.tls === true;
}

/**
 * One request with headers exactly as given: duplicates kept, Connection settable (fetch allows
 * neither). Never throws or rejects: an invalid URL or one not http(s), a refused connection, an
 * idle socket past `timeoutMs` or a request still unfinished at `deadlineAt` (a server that trickles
 * bytes) comes back as `{error}`. A body longer than 256 KiB is cut there (`truncated`) and the
 * connection closed: a server that streams forever or sends 1 GB costs neither time nor memory.
 */
export function send(
  url: string,
  options: SendOptions,
): Promise<HttpResult> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      resolve({ error: "EINVALIDURL" });
      return;
    }
    if (target.protocol !== "http:" && target.protocol !== "https:") {
      resolve({ error: "EUNSUPPORTEDPROTOCOL" });
      return;
    }
    try {
      start(target, options, (result, reused) => {
        // Once, on a fresh connection (a server that closes idle or after an error answer).
        const stale = reused && isFailure(result) && STALE_SOCKET.has(result.error);
        if (stale) start(target, { ...options, agents: undefined }, resolve);
        else resolve(result);
      });
    } catch (err) {
      // Node throws synchronously for some inputs (a header value it refuses): still an answer.
      resolve({ error: (err as NodeJS.ErrnoException).code ?? (err as Error).message });
    }
  });
}

function start(
  target: URL,
  options: SendOptions,
  resolve: (result: HttpResult, reusedSocket: boolean) => void,
): void {
  const grouped: Record<string, string[]> = {};
  for (const [name, value] of options.headers ?? []) grouped[name] = [...(grouped[name] ?? []), value];
  if (options.body !== undefined) grouped["Content-Length"] = [String(Buffer.byteLength(options.body))];
  const https = target.protocol === "https:";
  const requester = https ? httpsRequest : httpRequest;
  let settled = false;
  /** Some answer bytes came: a failure after that is the server's, not a stale connection. */
  let answered = false;
  const finish = (result: HttpResult) => {
    if (settled) return;
    settled = true;
    clearTimeout(deadline);
    resolve(result, req.reusedSocket && !answered);
  };
  const req = requester(
    target,
    {
      method: options.method ?? "GET",
      headers: grouped,
      agent: options.agents ? (https ? options.agents.https : options.agents.http) : false,
      timeout: options.timeoutMs,
      ...(https && options.tls?.ca ? { ca: options.tls.ca } : {}),
      ...(https && options.tls?.insecure ? { rejectUnauthorized: false } : {}),
    },
    (res) => {
      answered = true;
      let body = "";
      const answer = (truncated: boolean): HttpAnswer => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const v of Array.isArray(value) ? value : [value ?? ""]) headers.append(name, v);
        }
        return { status: res.statusCode ?? 0, headers, body, ...(truncated ? { truncated } : {}) };
      };
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
        if (body.length >= MAX_BODY) {
          finish(answer(true)); // settled first: the destroy's errors are then ignored
          req.destroy();
        }
      });
      res.on("end", () => finish(answer(false)));
      res.on("error", (err: NodeJS.ErrnoException) => finish({ error: err.code ?? err.message }));
    },
  );
  const remaining = options.deadlineAt === undefined ? undefined : Math.max(0, options.deadlineAt - Date.now());
  const deadline =
    remaining === undefined
      ? undefined
      : setTimeout(() => req.destroy(Object.assign(new Error("deadline"), { code: "EDEADLINE" })), remaining);
  req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })));
  req.on("error", (err: NodeJS.ErrnoException) => {
    const code = err.code ?? err.message;
    finish(TLS_ERRORS.test(code) ? { error: code, tls: true } : { error: code });
  });
  req.end(options.body);
}
