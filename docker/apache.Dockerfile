# Apache with mod_proxy, mod_wsgi and CGI for the lab's Apache scenarios. The scenario file is
# mounted unchanged at /etc/authprobe/scenario.conf; Apache reads its ${VAR}s from the environment.
FROM debian:bookworm-slim
LABEL org.opencontainers.image.title="authprobe apache" \
      org.opencontainers.image.description="Apache with mod_proxy, mod_wsgi, CGI and mod_proxy_fcgi for the authprobe lab" \
      org.opencontainers.image.licenses="MIT"
RUN apt-get update \
 && apt-get install -y --no-install-recommends apache2 libapache2-mod-wsgi-py3 python3 \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /run/authprobe && chown www-data:www-data /run/authprobe
COPY docker/apache/httpd.conf /etc/authprobe/httpd.conf
# The probes ship in the image; compose mounts the same files from proxy-configs/probes over them.
COPY proxy-configs/probes /srv/authprobe/probes
ENV PROBES_DIR=/srv/authprobe/probes
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --retries=10 CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${LISTEN_PORT:-8080}"]
CMD ["apache2", "-f", "/etc/authprobe/httpd.conf", "-DFOREGROUND"]
