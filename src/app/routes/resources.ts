import type { Request, RequestHandler, Response, Router } from "express";
import { redactPathname } from "../../probe/report.js";
import type { AppConfig } from "../config.js";
import { sendError } from "../http-errors.js";

interface Post {
  id: number;
  title: string;
  body: string;
  author: string;
  createdAt: string;
}

const LIMITS = { title: 200, body: 10_000 } as const;

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

/**
 * Routes behind bearer auth: the identity is set by the middleware before any of these run. Added
 * to the app itself, and the JSON body parser only where a body is read.
 */
export function addResourceRoutes(router: Pick<Router, "get" | "post">, config: AppConfig, auth: RequestHandler, json: RequestHandler): void {
  const posts: Post[] = [];
  const publicUser = (u: AppConfig["users"][number]) => ({ id: u.id, username: u.username, role: u.role });

  router.get("/protected", auth, (req: Request, res: Response) => {
    const who = req.identity?.name ?? `user ${req.identity?.sub}`;
    // A personal answer: never stored by a shared cache.
    res.setHeader("Cache-Control", "no-store");
    res.json({
      message: `Hello, ${who}. Your token reached the app.`,
      sub: req.identity?.sub,
      role: req.identity?.role,
    });
  });

  router.get("/users", auth, (_req: Request, res: Response) => {
    res.json({ users: config.users.map(publicUser) });
  });

  router.get("/users/:id", auth, (req: Request, res: Response) => {
    const id = String(req.params.id);
    const identity = req.identity;
    if (identity?.sub !== id && identity?.role !== "admin") {
      sendError(res, 403, "forbidden", "you can only read your own user unless your token has role admin");
      return;
    }
    const user = config.users.find((u) => u.id === id);
    if (!user) {
      sendError(res, 404, "not_found", `no user with id '${redactPathname(id)}'`);
      return;
    }
    res.json(publicUser(user));
  });

  router.get("/posts", auth, (_req: Request, res: Response) => {
    res.json({ posts });
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
    const post: Post = {
      id: posts.length + 1,
      title: b.title,
      body: b.body,
      author: req.identity?.sub ?? "",
      createdAt: new Date().toISOString(),
    };
    posts.push(post);
    res.status(201).json(post);
  });
}
