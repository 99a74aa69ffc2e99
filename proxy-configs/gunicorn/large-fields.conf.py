# Fixed: gunicorn accepts header fields up to 32 KiB (limit_request_field_size, the config file's
# name for --limit-request-field_size). Raise the proxy in front to match (nginx:
# large_client_header_buffers 4 32k). Environment: LISTEN_HOST, LISTEN_PORT, PROBES_DIR.
import os

bind = "%s:%s" % (os.environ.get("LISTEN_HOST", "0.0.0.0"), os.environ.get("LISTEN_PORT", "8000"))
chdir = os.environ.get("PROBES_DIR", "/srv/probes")
wsgi_app = "authprobe_wsgi:application"
workers = 2
limit_request_field_size = 32768
