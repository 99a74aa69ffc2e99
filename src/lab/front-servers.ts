// No imports: the CLI's --help names these without loading the lab (zod, the catalog, the runners).

/** Servers that can be a hop in front of the app (first hop or a middle one). */
export const SERVERS = ["nginx", "apache", "node", "haproxy", "caddy", "varnish"] as const;
export type ServerKind = (typeof SERVERS)[number];
