"""WSGI entry point, as used by gunicorn in production and by the benchmarks."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "valgus_app.settings")

application = get_wsgi_application()
