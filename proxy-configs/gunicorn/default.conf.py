# gunicorn running the WSGI probe with gunicorn's own defaults: limit_request_field_size is 8190
# bytes, so an Authorization header longer than that gets gunicorn's 400 "Error parsing headers:
# 'limit request headers fields size'", even when the proxy in front lets it through.
# Environment: LISTEN_HOST, LISTEN_PORT, PROBES_DIR (the folder that holds authprobe_wsgi.py).
import os

bind = "%s:%s" % (os.environ.get("LISTEN_HOST", "0.0.0.0"), os.environ.get("LISTEN_PORT", "8000"))
chdir = os.environ.get("PROBES_DIR", "/srv/probes")
wsgi_app = "authprobe_wsgi:application"
workers = 2
