"""Old name of the report builder, kept for existing imports: everything is in authprobe_probe.py."""
import sys

import authprobe_probe

sys.modules[__name__] = authprobe_probe
