#!/usr/bin/env python3
# authprobe CGI probe: what reached a CGI script behind Apache mod_cgi/mod_cgid, credentials fingerprinted.
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import authprobe_report  # noqa: E402

body = authprobe_report.render(authprobe_report.report_from_environ(dict(os.environ), "cgi"))
sys.stdout.buffer.write(b"Content-Type: application/json; charset=utf-8\r\n")
sys.stdout.buffer.write(b"Cache-Control: no-store\r\n")
sys.stdout.buffer.write(("Content-Length: %d\r\n\r\n" % len(body)).encode("ascii"))
sys.stdout.buffer.write(body)
