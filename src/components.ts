/**
 * The components a finding can blame and a lab stack can hold: front and middle proxies, caches and
 * the application servers behind them. One list and one label map for the doctor, the lab and the CLI.
 */
export const COMPONENTS = [
  "nginx",
  "apache",
  "haproxy",
  "caddy",
  "varnish",
  "node",
  "gunicorn",
  "uwsgi",
  "php-fpm",
  "mod_wsgi",
  "cgi",
  "unknown",
] as const;

export type ServerName = (typeof COMPONENTS)[number];

/** How a person writes each name. */
export const COMPONENT_LABELS: Record<ServerName, string> = {
  nginx: "nginx",
  apache: "Apache",
  haproxy: "HAProxy",
  caddy: "Caddy",
  varnish: "Varnish",
  node: "Node",
  gunicorn: "gunicorn",
  uwsgi: "uWSGI",
  "php-fpm": "PHP-FPM",
  mod_wsgi: "Apache mod_wsgi",
  cgi: "CGI",
  unknown: "unknown",
};

export function isComponent(name: string): name is ServerName {
  return (COMPONENTS as readonly string[]).includes(name);
}

export function labelOf(name: string): string {
  return isComponent(name) ? COMPONENT_LABELS[name] : name;
}
