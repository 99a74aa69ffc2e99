# The lab's proxies and PHP-FPM from Debian bookworm's packages: the very versions the native lab
# tests (nginx 1.22, HAProxy 2.6, Caddy 2.6, Varnish 7.1, PHP-FPM 8.2; docs/lab.md). One target per
# server: docker build -f docker/servers.Dockerfile --target nginx . (compose names the target).
# Every server runs as an unprivileged user on port 8080 (9000 for PHP-FPM); the scenario's config
# is mounted unchanged from proxy-configs/. Nothing is fetched at start-up.
FROM debian:bookworm-slim AS base
LABEL org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.source="https://github.com/authprobe/authprobe"
# ${VAR} rendering for the formats that have no environment of their own (nginx, VCL).
COPY docker/bin/render-template /usr/local/bin/render-template
# The probes the scenarios' upstreams serve; compose mounts the same files from proxy-configs/probes.
COPY proxy-configs/probes /srv/authprobe/probes
ENV PROBES_DIR=/srv/authprobe/probes
HEALTHCHECK --interval=2s --timeout=3s --retries=30 CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${LISTEN_PORT:-8080}"]

FROM base AS nginx
RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx \
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled /etc/nginx/conf.d/* \
 && mkdir -p /tmp/nginx && chown www-data:www-data /tmp/nginx
COPY docker/nginx/nginx.conf /etc/nginx/nginx.conf
USER www-data
EXPOSE 8080
# The template is rendered into /tmp/nginx/conf.d (the image is read-only for www-data), then nginx
# runs in the foreground.
CMD ["sh", "-c", "mkdir -p /tmp/nginx/conf.d && render-template /etc/nginx/templates/scenario.conf.template /tmp/nginx/conf.d/scenario.conf && exec nginx -g 'daemon off;'"]

FROM base AS haproxy
RUN apt-get update \
 && apt-get install -y --no-install-recommends haproxy \
 && rm -rf /var/lib/apt/lists/*
USER haproxy
EXPOSE 8080
CMD ["haproxy", "-db", "-f", "/usr/local/etc/haproxy/haproxy.cfg"]

FROM base AS caddy
RUN apt-get update \
 && apt-get install -y --no-install-recommends caddy \
 && rm -rf /var/lib/apt/lists/*
ENV XDG_DATA_HOME=/tmp/caddy XDG_CONFIG_HOME=/tmp/caddy
USER caddy
EXPOSE 8080
CMD ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]

FROM base AS varnish
# varnishd compiles the VCL with the C compiler that the package depends on.
RUN apt-get update \
 && apt-get install -y --no-install-recommends varnish \
 && rm -rf /var/lib/apt/lists/*
USER varnish
EXPOSE 8080
# The VCL template is rendered like the native lab does (src/lab/runners/varnish.ts), and the
# .params file beside it, if mounted, becomes -p name=value.
CMD ["bash", "-c", "set -e; render-template /etc/varnish/default.vcl.template /tmp/default.vcl; params=(); if [ -f /etc/varnish/default.params ]; then while read -r l; do [ -z \"$l\" ] || [ \"${l#\\#}\" != \"$l\" ] || params+=(-p \"$l\"); done < /etc/varnish/default.params; fi; exec varnishd -F -j none -n /tmp/varnish -a :8080 -f /tmp/default.vcl -s malloc,64m \"${params[@]}\""]

FROM base AS php-fpm
RUN apt-get update \
 && apt-get install -y --no-install-recommends php8.2-fpm \
 && rm -rf /var/lib/apt/lists/*
USER www-data
EXPOSE 9000
ENV FPM_ERROR_LOG=/proc/self/fd/2
HEALTHCHECK --interval=2s --timeout=3s --retries=30 CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${LISTEN_PORT:-9000}"]
# -n: no php.ini, as in the native lab (src/lab/app-servers.ts).
CMD ["php-fpm8.2", "-F", "-n", "-y", "/etc/authprobe/pool.conf"]

# A throwaway CA and a certificate for localhost, for the TLS scenarios (openssl is in the image,
# so nothing is installed when the container starts).
FROM base AS certs
RUN apt-get update \
 && apt-get install -y --no-install-recommends openssl \
 && rm -rf /var/lib/apt/lists/*
COPY docker/bin/make-certs /usr/local/bin/make-certs
HEALTHCHECK --interval=1s --timeout=3s --retries=60 CMD ["test", "-f", "/certs/server.pem"]
CMD ["make-certs"]
