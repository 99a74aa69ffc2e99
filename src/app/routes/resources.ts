import type { Request, RequestHandler, Response, Router } from "express";
import { redactPathname } from "../../probe/report.js";
import type { AppConfig } from "../config.js";
import { sendError } from "../http-errors.js";

/**
 * Routes behind bearer auth: the identity is set by the middleware before any of these run. Added
 * to the app itself (posts: routes/posts.ts).
 */
export function addResourceRoutes(router: Pick<Router, "get">, config: AppConfig, auth: RequestHandler): void {
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
}
