# authprobe WSGI probe: what reached a WSGI app behind Apache mod_wsgi, credentials fingerprinted.
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import authprobe_report  # noqa: E402


def application(environ, start_response):
    body = authprobe_report.render(authprobe_report.report_from_environ(environ, "wsgi"))
    start_response("200 OK", [
        ("Content-Type", "application/json; charset=utf-8"),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "no-store"),
    ])
    return [body]
