"""Random and hostile requests to every URL pattern: never a 5xx (issue 13).

Bounded: hypothesis draws FUZZ_EXAMPLES requests (300 by default, well under a minute), as an
anonymous visitor, a logged-in physio and a superuser, with real and made-up link tokens and ids,
hostile query strings, and bodies in every shape a client can send (form fields of the real
questions, NUL characters, huge values, other charsets, broken multipart, JSON, raw bytes).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from physios.models import Client as PhysioClient
from physios.models import ClientAssessment, Invite, ShareLink
from physios.views import version_publish
from programs.builder import plan_for
from questionnaire.content import get_content
from questionnaire.models import Assessment
from tests.personas import WEAK_HIP_RUNNER

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
STATUSES: Counter[int] = Counter()


def _patterns(resolvers: list[Any], prefix: str = "") -> list[str]:
    """Every URL pattern as a route string, '<converter:name>' parts kept."""
    routes = []
    for entry in resolvers:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            routes += _patterns(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            routes.append(route)
    return routes


ROUTES = sorted(set(_patterns(get_resolver().url_patterns)))
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>[^)]*\)")
HOSTILE = [
    "\x00",
    "%00",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "é" * 300,
    "9" * 40,
    "-1",
    "0",
    "NaN",
    "1e309",
    "\ud7ff\ue000",
    "",
    " ",
    "yes",
    "no",
]
text = st.one_of(
    st.sampled_from(HOSTILE), st.text(max_size=60), st.text(min_size=2000, max_size=4000)
)
QUESTION_IDS = sorted(get_content().questions)
field_names = st.one_of(
    st.sampled_from(
        [
            *QUESTION_IDS,
            "csrfmiddlewaretoken",
            "seen",
            "consent",
            "username",
            "password",
            "email",
            "notes",
            "expires_on",
            "q",
            "o",
        ]
    ),
    st.text(min_size=1, max_size=20),
)
form = st.dictionaries(field_names, st.one_of(text, st.lists(text, max_size=3)), max_size=8)
CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=latin-1",
    "application/x-www-form-urlencoded; charset=utf-16",
    "application/x-www-form-urlencoded; charset=nonsense",
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "multipart/form-data; boundary=xyz",
    "application/json",
    "text/plain",
    "",
]


@pytest.fixture
def world(db) -> dict[str, Any]:
    """Real objects to aim at, so requests reach deep into the views, not only 404s."""
    physio = User.objects.create_user("fuzz@example.org", "fuzz@example.org", "pw-fuzz-123456")
    root = User.objects.create_superuser("root@example.org", "root@example.org", "pw-root-123456")
    client_row = PhysioClient.objects.create(physio=physio, display_name="F.Z.")
    invite = Invite.objects.create(client=client_row, expires_at=Invite.default_expiry())
    done = Assessment.objects.create(answers=WEAK_HIP_RUNNER, completed_at=timezone.now())
    started = Assessment.objects.create(answers={"age": 30}, step="safety-1")
    link = ClientAssessment.objects.create(client=client_row, assessment=done)
    version_publish(link=link, plan=plan_for(done.valid_answers()), notes="n", physio=physio)
    share = ShareLink.objects.create(client_assessment=link, expires_at=Invite.default_expiry())
    return {
        "users": [None, physio, root],
        "tokens": [done.token, done.plan_token, started.token, invite.token, share.token],
        "ids": [client_row.pk, link.pk, share.pk, invite.pk, 1, 0],
        "slugs": ["safety-1", "knee-to-wall", "about-1", "check"],
    }


def _fill(route: str, world: dict[str, Any], draw: Any) -> str:
    def value(match: re.Match[str]) -> str:
        kind = match.group(1) or ("regex" if match.group(3) else "str")
        if kind == "token":
            return str(draw(st.one_of(st.sampled_from(world["tokens"]), st.just("A" * 43))))
        if kind == "id":
            return str(draw(st.one_of(st.sampled_from(world["ids"]), st.integers(0, 10**17))))
        if kind == "slug":
            return str(
                draw(
                    st.one_of(
                        st.sampled_from(world["slugs"]),
                        st.from_regex(r"[a-z-]{1,20}", fullmatch=True),
                    )
                )
            )
        if kind == "int":
            return str(draw(st.integers(0, 10**6)))
        return str(
            draw(
                st.one_of(
                    st.sampled_from(["1", "x", "MQ", "auth", "user", "questionnaire/assessment"]),
                    st.from_regex(r"[A-Za-z0-9_-]{1,30}", fullmatch=True),
                )
            )
        )

    path = PARAM.sub(value, route).replace("^", "").replace("$", "").replace("\\Z", "")
    return "/" + path


@pytest.mark.django_db
@settings(max_examples=EXAMPLES)  # the rest: the suite's profile (tests/conftest.py)
@given(data=st.data())
def test_no_request_to_any_url_pattern_gets_a_5xx(world, data) -> None:
    draw = data.draw
    route = draw(st.sampled_from(ROUTES))
    path = _fill(route, world, draw)
    browser = Client(raise_request_exception=False)
    user = draw(st.sampled_from(world["users"]))
    if user is not None:
        browser.force_login(user)
    method = draw(st.sampled_from(["GET", "POST", "POST", "HEAD", "PUT", "DELETE", "OPTIONS"]))
    query = draw(st.dictionaries(field_names, text, max_size=3))
    kind = draw(st.sampled_from(["form", "raw"]))
    if method in ("GET", "HEAD", "OPTIONS"):
        response = browser.generic(method, path, b"", QUERY_STRING=_query(query))
    elif kind == "form":
        response = browser.post(path + "?" + _query(query), draw(form))
    else:
        body = draw(st.binary(max_size=2000))
        content_type = draw(st.sampled_from(CONTENT_TYPES))
        response = browser.generic(method, path, body, content_type=content_type)
    STATUSES[response.status_code] += 1
    assert response.status_code < 500, (method, path, response.status_code)


def _query(params: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


def test_the_fuzz_reached_every_kind_of_answer() -> None:
    # Runs after the fuzz (file order): it must have got past the 404s and the 400s.
    if not STATUSES:
        pytest.skip("the fuzz test did not run")
    counts = dict(sorted(STATUSES.items()))
    print(f"fuzz: {sum(STATUSES.values())} requests, {len(ROUTES)} URL patterns: {counts}")
    assert any(200 <= status < 300 for status in STATUSES)
    assert STATUSES[400] and STATUSES[404]
