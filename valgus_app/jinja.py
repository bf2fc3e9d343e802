"""The Jinja2 environment for jinja_templates/: Django's static(), url() and htmx_script()."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.template.defaultfilters import floatformat
from django.templatetags.static import static
from django.urls import reverse
from django_htmx.jinja import htmx_script
from jinja2 import Environment


def environment(**options: Any) -> Environment:
    env = Environment(**options)
    # A static file's URL and the htmx script tag are the same for every request, so each is
    # worked out once per process; so is a URL without arguments (see url()).
    env.globals.update(static=cache(static), url=url, htmx_script=cache(htmx_script))
    env.filters["floatformat"] = floatformat
    return env


def url(name: str, *args: Any) -> str:
    """reverse() for templates: url('questionnaire:page', token, page_id)."""
    return _fixed_url(name) if not args else reverse(name, args=args)


@cache
def _fixed_url(name: str) -> str:
    return reverse(name)
