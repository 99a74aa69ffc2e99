# gunicorn and uWSGI from Debian's packages (the versions the native lab tests run), for the
# lab's python profile. Each service mounts its own config file and the probes from proxy-configs/.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends gunicorn uwsgi-core uwsgi-plugin-python3 python3 \
 && rm -rf /var/lib/apt/lists/*
LABEL org.opencontainers.image.title="authprobe python app servers" \
      org.opencontainers.image.description="gunicorn and uWSGI running the authprobe WSGI probe" \
      org.opencontainers.image.licenses="MIT"
USER nobody
EXPOSE 9000
CMD ["gunicorn", "--version"]
