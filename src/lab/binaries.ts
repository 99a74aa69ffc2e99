import { existsSync, readdirSync } from "node:fs";

/** Every program the lab can start, beside the Node servers it runs in-process. */
export const PROGRAMS = ["nginx", "apache", "haproxy", "caddy", "varnish", "gunicorn", "uwsgi", "php-fpm", "openssl"] as const;
export type Program = (typeof PROGRAMS)[number];

export interface Binary {
  path: string | null;
  install: string;
}

/** Debian paths first; php-fpm carries its version in its name. */
const CANDIDATES: Record<Program, () => string[]> = {
  nginx: () => ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"],
  apache: () => ["/usr/sbin/apache2", "/usr/sbin/httpd", "/usr/local/apache2/bin/httpd"],
  haproxy: () => ["/usr/sbin/haproxy", "/usr/local/sbin/haproxy"],
  caddy: () => ["/usr/bin/caddy", "/usr/local/bin/caddy"],
  varnish: () => ["/usr/sbin/varnishd", "/usr/local/sbin/varnishd"],
  gunicorn: () => ["/usr/bin/gunicorn", "/usr/local/bin/gunicorn"],
  uwsgi: () => ["/usr/bin/uwsgi-core", "/usr/bin/uwsgi"],
  "php-fpm": () => {
    const found = existsSync("/usr/sbin") ? readdirSync("/usr/sbin").filter((f) => /^php-fpm[0-9.]*$/.test(f)) : [];
    return [...found.sort().reverse().map((f) => `/usr/sbin/${f}`), "/usr/local/sbin/php-fpm"];
  },
  openssl: () => ["/usr/bin/openssl", "/usr/local/bin/openssl"],
};

export const APACHE_MODULES_DIR = "/usr/lib/apache2/modules";
export const UWSGI_PLUGINS_DIR = "/usr/lib/uwsgi/plugins";

/** One apt-get line per program, with what the lab's configs load from it. */
export const INSTALL_HINT: Record<Program | "wsgi" | "uwsgi-python", string> = {
  nginx: "apt-get install -y nginx",
  apache: "apt-get install -y apache2 libapache2-mod-wsgi-py3",
  wsgi: "apt-get install -y libapache2-mod-wsgi-py3",
  haproxy: "apt-get install -y haproxy",
  caddy: "apt-get install -y caddy",
  varnish: "apt-get install -y varnish",
  gunicorn: "apt-get install -y gunicorn",
  uwsgi: "apt-get install -y uwsgi-core uwsgi-plugin-python3",
  "uwsgi-python": "apt-get install -y uwsgi-plugin-python3",
  "php-fpm": "apt-get install -y php-fpm",
  openssl: "apt-get install -y openssl",
};

/** AUTHPROBE_NGINX, AUTHPROBE_PHP_FPM, ...: point at another build (or, in tests, at nothing). */
export function overrideVariable(program: Program): string {
  return `AUTHPROBE_${program.toUpperCase().replace(/-/g, "_")}`;
}

export function findBinary(program: Program): Binary {
  const override = process.env[overrideVariable(program)];
  const candidates = override ? [override] : CANDIDATES[program]();
  const path = candidates.find((p) => existsSync(p)) ?? null;
  return { path, install: INSTALL_HINT[program] };
}

export function hasModWsgi(): boolean {
  return existsSync(`${APACHE_MODULES_DIR}/mod_wsgi.so`);
}

export function hasUwsgiPython(): boolean {
  return existsSync(`${UWSGI_PLUGINS_DIR}/python3_plugin.so`) || existsSync(`${UWSGI_PLUGINS_DIR}/python311_plugin.so`);
}
