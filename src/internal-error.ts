import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";

/**
 * A 500 the operator can find: a short id in the JSON body and the same id, with the stack, on
 * stderr. The body says nothing else about the request (it may hold a credential).
 */
export function sendInternalError(res: ServerResponse, err: unknown, where: string): void {
  const id = randomBytes(6).toString("hex");
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`authprobe: 500 ${id} in ${where}: ${detail}\n`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: "internal_error", error_description: `unexpected error; see the server log for ${id}`, id });
  res.statusCode = 500;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Content-Length", Buffer.byteLength(body));
  res.end(body);
}
