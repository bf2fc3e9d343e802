"""The Jinja2 environment of every page of ours: Django's static(), url(), htmx_script() and the
few Django filters the templates use."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django_htmx.jinja import htmx_script
from jinja2 import ChainableUndefined, Environment


def environment(**options: Any) -> Environment:
    # Like Django's templates, a missing value (or an attribute of one) renders as nothing, in
    # development too (the backend would show it as {{ name }} with DEBUG on).
    env = Environment(**{**options, "undefined": ChainableUndefined})
    # A static file's URL and the htmx script tag are the same for every request, so each is
    # worked out once per process; so is a URL without arguments (see url()).
    env.globals.update(static=cache(static), url=url, htmx_script=cache(htmx_script))
    env.filters.update(
        date=date,
        floatformat=defaultfilters.floatformat,
        linebreaks=defaultfilters.linebreaks_filter,
        pluralize=defaultfilters.pluralize,
    )
    return env


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """reverse() for templates: url('questionnaire:page', token, page_id)."""
    if not args and not kwargs:
        return _fixed_url(name)
    return reverse(name, args=args or None, kwargs=kwargs or None)


@cache
def _fixed_url(name: str) -> str:
    return reverse(name)


def date(value: Any, format: str | None = None) -> str:
    """Django's date filter, in the current time zone as Django's templates show it."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return defaultfilters.date(value, format)
