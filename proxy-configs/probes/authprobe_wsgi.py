"""authprobe WSGI probe: what reached a WSGI app, credentials fingerprinted.

Importable as a module for gunicorn (`authprobe_wsgi:application`); probe.wsgi loads it for
Apache mod_wsgi and uWSGI (`wsgi-file`). Python stdlib only.
"""
import authprobe_report


def application(environ, start_response):
    body = authprobe_report.render(authprobe_report.report_from_environ(environ, "wsgi"))
    start_response("200 OK", [
        ("Content-Type", "application/json; charset=utf-8"),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "no-store"),
    ])
    return [body]
