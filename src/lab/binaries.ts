import { existsSync } from "node:fs";
import type { ServerKind } from "./scenario.js";

export interface Binary {
  path: string | null;
  install: string;
}

const CANDIDATES: Record<Exclude<ServerKind, "node">, string[]> = {
  nginx: ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"],
  apache: ["/usr/sbin/apache2", "/usr/sbin/httpd", "/usr/local/apache2/bin/httpd"],
};

export const APACHE_MODULES_DIR = "/usr/lib/apache2/modules";

export const INSTALL_HINT = {
  nginx: "apt-get install -y nginx",
  apache: "apt-get install -y apache2 libapache2-mod-wsgi-py3",
  wsgi: "apt-get install -y libapache2-mod-wsgi-py3",
} as const;

/** AUTHPROBE_NGINX / AUTHPROBE_APACHE point at another build (or, in tests, at nothing). */
const OVERRIDE = { nginx: "AUTHPROBE_NGINX", apache: "AUTHPROBE_APACHE" } as const;

export function findBinary(kind: Exclude<ServerKind, "node">): Binary {
  const override = process.env[OVERRIDE[kind]];
  const candidates = override ? [override] : CANDIDATES[kind];
  const path = candidates.find((p) => existsSync(p)) ?? null;
  return { path, install: INSTALL_HINT[kind] };
}

export function hasModWsgi(): boolean {
  return existsSync(`${APACHE_MODULES_DIR}/mod_wsgi.so`);
}
