"""gunicorn settings for production: the Procfile's `web` line loads this file.

gthread workers: each worker process serves GUNICORN_THREADS requests at once, so a request that
waits (a PDF download waiting for the worker's render, a slow client behind the proxy) holds one
thread, not a whole process. Everything can be changed from the environment.
"""

from __future__ import annotations

import os
from typing import Any

from gunicorn.glogging import Logger

from valgus_app.redact import RedactTokens, redact

bind = [os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")]
worker_class = "gthread"
# One process per core keeps Python's lock from being shared by CPU-bound pages; the threads
# cover the waiting. WEB_CONCURRENCY is the name platforms and gunicorn itself use.
workers = int(os.environ.get("WEB_CONCURRENCY", str(os.cpu_count() or 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A request still running after this is killed with its worker; PDFs render in the job worker,
# so no page should come near it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# The TLS proxy keeps connections open to us; keep them a little longer than it does.
keepalive = 5
# Recycle a worker now and then, so a slow leak cannot grow for ever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# Only the proxy may talk to us, and it sets X-Forwarded-Proto (see SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# No address, user agent or referrer: they are not needed to run the site (health data; store
# only what is needed). Time, request line, status, bytes, milliseconds.
access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(M)sms'


class RedactingLogger(Logger):
    """The logs with link tokens blanked: they sit in URL paths (/a/<token>/...).

    The access log's request line, path, query and Referer; the error log's every line and
    traceback ("Error handling request /a/<token>/...").
    """

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        self.error_log.addFilter(RedactTokens())

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        for name in ("r", "U", "q", "f"):
            if isinstance(atoms.get(name), str):
                atoms[name] = redact(atoms[name])
        return atoms


logger_class = RedactingLogger
