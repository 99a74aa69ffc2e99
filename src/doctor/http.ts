import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: string;
}

export interface HttpFailure {
  error: string;
}

export type HttpResult = HttpAnswer | HttpFailure;

export function isFailure(r: HttpResult): r is HttpFailure {
  return "error" in r;
}

const MAX_BODY = 256 * 1024;

/**
 * One request with headers exactly as given: duplicates kept, Connection settable (fetch allows
 * neither). Never throws: a refused connection or a timeout comes back as `{error}`.
 */
export function send(
  url: string,
  options: { method?: string; headers?: [string, string][]; timeoutMs: number },
): Promise<HttpResult> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      resolve({ error: "EINVALIDURL" });
      return;
    }
    const grouped: Record<string, string[]> = {};
    for (const [name, value] of options.headers ?? []) grouped[name] = [...(grouped[name] ?? []), value];
    const requester = target.protocol === "https:" ? httpsRequest : httpRequest;
    const req = requester(
      target,
      { method: options.method ?? "GET", headers: grouped, agent: false, timeout: options.timeoutMs },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          if (body.length < MAX_BODY) body += chunk;
        });
        res.on("end", () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            for (const v of Array.isArray(value) ? value : [value ?? ""]) headers.append(name, v);
          }
          resolve({ status: res.statusCode ?? 0, headers, body });
        });
        res.on("error", (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
      },
    );
    req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })));
    req.on("error", (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    req.end();
  });
}
