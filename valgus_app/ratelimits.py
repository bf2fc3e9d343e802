"""Rate limits by client address: django-ratelimit, counted in the cache, answered with a 429.

One way for every app: ``rate_limit`` on a whole view, or ``over_limit`` where only some requests
count (a new assessment is counted when it is created, not for each corrected form). The counts
live in the default cache, so with CACHE_URL on Redis they hold across app servers. The address
is the real client behind the trusted proxies (valgus_app.clients, RATELIMIT_IP_META_KEY).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit

View = Callable[..., HttpResponseBase]
Rate = str | Callable[[str, HttpRequest], str]


def setting(name: str) -> Callable[[str, HttpRequest], str]:
    """A rate read from settings when a request comes (so it can be changed in the tests)."""

    def rate(group: str, request: HttpRequest) -> str:
        value: str = getattr(settings, name)
        return value

    return rate


def rate_limit(rate: Rate, method: Any = ratelimit.ALL) -> Callable[[View], View]:
    """django-ratelimit by client address, typed; over the limit the visitor gets a 429 page."""
    decorator: Callable[[View], View] = ratelimit(key="ip", rate=rate, method=method, block=True)
    return decorator


def over_limit(request: HttpRequest, group: str, rate: Rate) -> bool:
    """Count one more of ``group`` for this address; True once past ``rate``."""
    return bool(is_ratelimited(request, group=group, key="ip", rate=rate, increment=True))


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 429 page (also settings.RATELIMIT_VIEW)."""
    htmx = getattr(request, "htmx", None)
    partial = bool(htmx and not htmx.history_restore_request)
    response = render(request, "429.html", {"partial": partial}, status=429)
    response["Vary"] = "HX-Request"
    response["Retry-After"] = "600"
    response["Cache-Control"] = "no-store"
    return response
