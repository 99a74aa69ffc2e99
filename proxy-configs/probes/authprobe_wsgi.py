"""Old WSGI entry point (`authprobe_wsgi:application`), kept for existing setups: see authprobe_probe.py."""
from authprobe_probe import AuthprobeMiddleware, application  # noqa: F401
