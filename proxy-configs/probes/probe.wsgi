# authprobe WSGI probe for Apache mod_wsgi (WSGIScriptAlias) and uWSGI (wsgi-file): loads the
# probe from authprobe_wsgi.py beside this file. gunicorn imports authprobe_wsgi:application.
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from authprobe_wsgi import application  # noqa: E402,F401
