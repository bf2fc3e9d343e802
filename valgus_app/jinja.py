"""The Jinja2 environment for jinja_templates/: Django's static(), url() and htmx_script()."""

from __future__ import annotations

from typing import Any

from django.template.defaultfilters import floatformat
from django.templatetags.static import static
from django.urls import reverse
from django_htmx.jinja import htmx_script
from jinja2 import Environment


def environment(**options: Any) -> Environment:
    env = Environment(**options)
    env.globals.update(static=static, url=reverse, htmx_script=htmx_script)
    env.filters["floatformat"] = floatformat
    return env
