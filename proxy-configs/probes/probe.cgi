#!/usr/bin/env python3
# authprobe CGI probe: what reached a CGI script behind Apache mod_cgi/mod_cgid, credentials fingerprinted.
# The probe is authprobe_probe.py beside this file (which also runs as the CGI script by itself).
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import authprobe_probe  # noqa: E402

authprobe_probe.cgi_main()
