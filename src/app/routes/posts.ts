import type { Request, RequestHandler, Response, Router } from "express";
import type { AppConfig } from "../config.js";
import { sendError } from "../http-errors.js";
import { DEFAULT_POST_LIMITS } from "../limits-config.js";
import { PostStore } from "../post-store.js";

const LIMITS = { title: 200, body: 10_000 } as const;
export const PAGE = { default: 20, max: 100 } as const;

function validatePost(body: unknown): { field: keyof typeof LIMITS; reason: string } | null {
  const b = (body ?? {}) as Record<string, unknown>;
  for (const field of ["title", "body"] as const) {
    const value = b[field];
    if (typeof value !== "string" || value.trim() === "") {
      return { field, reason: `${field} is required and must be a non-empty string` };
    }
    if (value.length > LIMITS[field])
      return { field, reason: `${field} must be at most ${LIMITS[field]} characters` };
  }
  return null;
}

type PageQuery = { limit: number; cursor?: number } | { field: "limit" | "cursor"; reason: string };

/** `?limit=` (1 to 100, default 20) and `?cursor=` (a next_cursor from an earlier page), each at most once. */
function pageQuery(query: Record<string, unknown>): PageQuery {
  const { limit, cursor } = query;
  if (limit !== undefined && (typeof limit !== "string" || !/^\d{1,3}$/.test(limit) || Number(limit) < 1 || Number(limit) > PAGE.max)) {
    return { field: "limit", reason: `limit must be one whole number between 1 and ${PAGE.max}` };
  }
  if (cursor !== undefined && (typeof cursor !== "string" || !/^[1-9]\d{0,14}$/.test(cursor))) {
    return { field: "cursor", reason: "cursor must be the next_cursor of an earlier page" };
  }
  return {
    limit: limit === undefined ? PAGE.default : Number(limit),
    ...(cursor === undefined ? {} : { cursor: Number(cursor) }),
  };
}

/** GET /posts (paginated, newest first) and POST /posts, behind bearer auth. */
export function addPostRoutes(router: Pick<Router, "get" | "post">, config: AppConfig, auth: RequestHandler, json: RequestHandler): void {
  const store = new PostStore((config.posts ?? DEFAULT_POST_LIMITS).max);

  router.get("/posts", auth, (req: Request, res: Response) => {
    const q = pageQuery(req.query as Record<string, unknown>);
    if ("field" in q) {
      sendError(res, 400, "invalid_request", q.reason, q.field);
      return;
    }
    const { posts, next } = store.page(q.limit, q.cursor);
    res.json({ posts, next_cursor: next === null ? null : String(next) });
  });

  router.post("/posts", auth, json, (req: Request, res: Response) => {
    if (!req.is("application/json")) {
      sendError(res, 415, "unsupported_media_type", "send the post as application/json");
      return;
    }
    const invalid = validatePost(req.body);
    if (invalid) {
      sendError(res, 400, "invalid_request", invalid.reason, invalid.field);
      return;
    }
    const b = req.body as { title: string; body: string };
    const post = store.add({ title: b.title, body: b.body, author: req.identity?.sub ?? "", createdAt: new Date().toISOString() });
    res.status(201).json(post);
  });
}
