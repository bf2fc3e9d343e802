"""The step pages render with Jinja2 (jinja_templates/base.html) and every other page with Django
templates (templates/base.html): the two copies of the site's shell must not drift apart."""

from __future__ import annotations

import re

from django.template import engines


def _normalised(html: str) -> str:
    return re.sub(r"\s+", " ", html).strip()


def test_the_jinja2_base_matches_the_django_base() -> None:
    django_html = engines["django"].get_template("base.html").render({})
    jinja_html = engines["jinja2"].get_template("base.html").render({})
    assert _normalised(jinja_html) == _normalised(django_html)
