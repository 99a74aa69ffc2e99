# authprobe WSGI probe for Apache mod_wsgi (WSGIScriptAlias) and uWSGI (wsgi-file): loads the
# probe from authprobe_probe.py beside this file (which can also be the WSGIScriptAlias target itself).
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from authprobe_probe import application  # noqa: E402,F401
