import { readFileSync } from "node:fs";
import { z } from "zod";
import { ConfigError } from "../errors.js";
import { firstIssue } from "../schema-errors.js";
import { isProduction } from "./environment.js";

const userSchema = z.strictObject({
  id: z.string({ error: "must be a non-empty string" }).min(1, "must be a non-empty string"),
  username: z.string({ error: "must be a non-empty string" }).min(1, "must be a non-empty string"),
  role: z.enum(["user", "admin"], { error: "must be 'user' or 'admin'" }).default("user"),
  passwordHash: z
    .string({ error: "must be a non-empty string" })
    .regex(/^\$2[aby]\$\d\d\$/, "must be a bcrypt hash ($2b$...)"),
});

/** A user of the sample API: the users file (AUTHPROBE_USERS_FILE) is a JSON array of these. */
export type User = z.output<typeof userSchema>;

/**
 * Demo users, documented in the README (alice/wonderland, bob/builder, admin/admin-demo).
 * Refused in production: a documented password is no password.
 */
export const DEMO_USERS: readonly User[] = [
  {
    id: "1",
    username: "alice",
    role: "user",
    passwordHash: "$2b$08$5WLRVt5T4XgW.OxVa9vp9.w60gtqrMBtjTUQ/gGG8WsOwQtxqTMY2",
  },
  {
    id: "2",
    username: "bob",
    role: "user",
    passwordHash: "$2b$08$FLiIhE7mB8E.gDdxWJLuJuq52Sfh4g3yaI7a.fDcK0nESoZNjrTBG",
  },
  {
    id: "3",
    username: "admin",
    role: "admin",
    passwordHash: "$2b$08$QAu6e25OpRaRX1LUnBo8yOJZd5hTz.pq/LS0ybsJGR71M0NMV5CfS",
  },
];

export function parseUsers(json: string, source: string): User[] {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (err) {
    throw new ConfigError(source, `not valid JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(data)) throw new ConfigError(source, "must be a JSON array of users");
  const seen = new Set<string>();
  return data.map((entry: unknown, i) => {
    const where = `${source}[${i}]`;
    const parsed = userSchema.safeParse(entry);
    if (!parsed.success) {
      const { field, reason } = firstIssue(parsed.error);
      throw new ConfigError(where, `'${field}' ${reason}`);
    }
    if (seen.has(parsed.data.id)) throw new ConfigError(where, `duplicate id '${parsed.data.id}'`);
    seen.add(parsed.data.id);
    return parsed.data;
  });
}

/** AUTHPROBE_USERS_FILE (a JSON file) or AUTHPROBE_USERS (inline JSON); demo users otherwise. */
export function loadUsers(env: Record<string, string | undefined>): { users: User[]; demo: boolean } {
  if (env.AUTHPROBE_USERS_FILE) {
    let text: string;
    try {
      text = readFileSync(env.AUTHPROBE_USERS_FILE, "utf8");
    } catch (err) {
      throw new ConfigError(
        `AUTHPROBE_USERS_FILE=${env.AUTHPROBE_USERS_FILE}`,
        `cannot read (${(err as NodeJS.ErrnoException).code})`,
      );
    }
    return { users: parseUsers(text, env.AUTHPROBE_USERS_FILE), demo: false };
  }
  if (env.AUTHPROBE_USERS) return { users: parseUsers(env.AUTHPROBE_USERS, "AUTHPROBE_USERS"), demo: false };
  if (isProduction(env)) {
    throw new ConfigError(
      "AUTHPROBE_USERS_FILE",
      "is required in production (the demo users have documented passwords)",
    );
  }
  return { users: [...DEMO_USERS], demo: true };
}
