#!/usr/bin/env bash
# Installs what the tests need on Debian: the lab's real servers (nginx, Apache with mod_wsgi,
# HAProxy, Caddy, Varnish, gunicorn, uWSGI with Python, PHP-FPM), openssl for the TLS scenarios,
# curl and python3-requests (the redirect table's real clients), python3-flask and python3-jwt (the
# black-box table's Flask apps), Chromium (lab --browser, driven by playwright-core; never a
# downloaded browser), docker-compose, docker.io and mmdebstrap (the compose test builds and runs
# docker/compose.yaml: scripts/compose-test.mjs), then the npm packages. Safe to re-run.
# Services are never started by the packages (policy-rc.d), and nothing else is changed.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
need=()
have() { [ -e "$1" ] || command -v "$1" >/dev/null 2>&1; }
have /usr/sbin/nginx || need+=(nginx)
have /usr/sbin/apache2 || need+=(apache2)
[ -f /usr/lib/apache2/modules/mod_wsgi.so ] || need+=(libapache2-mod-wsgi-py3)
have /usr/sbin/haproxy || need+=(haproxy)
have /usr/bin/caddy || need+=(caddy)
have /usr/sbin/varnishd || need+=(varnish)
have /usr/bin/gunicorn || need+=(gunicorn)
have /usr/bin/uwsgi-core || need+=(uwsgi-core)
[ -f /usr/lib/uwsgi/plugins/python3_plugin.so ] || need+=(uwsgi-plugin-python3)
ls /usr/sbin/php-fpm* >/dev/null 2>&1 || need+=(php-fpm)
have openssl || need+=(openssl)
have curl || need+=(curl)
have /usr/bin/chromium || need+=(chromium)
/usr/bin/python3 -c "import requests" >/dev/null 2>&1 || need+=(python3-requests)
# The black-box table's Flask apps (test/fixtures/black-box-apps), under gunicorn and mod_wsgi.
/usr/bin/python3 -c "import flask" >/dev/null 2>&1 || need+=(python3-flask)
/usr/bin/python3 -c "import jwt" >/dev/null 2>&1 || need+=(python3-jwt)
# The Python probe as ASGI app and FastAPI middleware (test/integration/python-probe-asgi-middleware.test.ts).
/usr/bin/python3 -c "import uvicorn" >/dev/null 2>&1 || need+=(python3-uvicorn)
/usr/bin/python3 -c "import fastapi" >/dev/null 2>&1 || need+=(python3-fastapi)
have docker-compose || need+=(docker-compose)
have dockerd || have /usr/sbin/dockerd || need+=(docker.io)
have mmdebstrap || need+=(mmdebstrap)
if [ "${#need[@]}" -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  # Keep the packages' maintainer scripts from starting system services on ports 80/6081/9000.
  created_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
    $sudo chmod +x /usr/sbin/policy-rc.d
    created_policy=1
  fi
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  [ -z "$created_policy" ] || $sudo rm -f /usr/sbin/policy-rc.d
fi
npm ci --no-audit --no-fund
