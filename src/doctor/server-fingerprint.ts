export type ServerName = "nginx" | "apache" | "node" | "unknown";

export interface ResponseLike {
  status: number;
  headers: Headers;
  body: string;
}

/**
 * Who answered: from the Server header, the error page's signature, our Node gateway's Via and
 * JSON body, or Node's bare 431. The probe's own runtime is added by the caller when known.
 */
export function identifyServer(res: ResponseLike): ServerName {
  const server = res.headers.get("server") ?? "";
  if (/nginx/i.test(server) || /<center>nginx/i.test(res.body)) return "nginx";
  if (/apache/i.test(server) || /<address>Apache/i.test(res.body) || /Apache\/\d/.test(res.body))
    return "apache";
  if (/"proxy"\s*:/.test(res.body) && res.headers.get("via")) return "node";
  // Node's http server answers oversize headers with a bare 431 and no Server header.
  if (res.status === 431 && server === "" && res.body === "") return "node";
  if (/express/i.test(res.headers.get("x-powered-by") ?? "")) return "node";
  return "unknown";
}
