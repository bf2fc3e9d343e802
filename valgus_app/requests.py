"""Refuse requests Django cannot read, with a clear 400 page instead of a crash.

Django raises on a form declared in a charset other than UTF-8, on multipart without a
boundary, and on a body past its size limits; its own error views then read the body again
(their CSRF decorator does) and fail a second time, which gunicorn answers with a bare 500.
Parsing the body here, before anything else reads it, turns every such request into one 400.
A NUL character is refused in the path, the query and every form field: no page needs one,
and PostgreSQL rejects it in a text value (a 500 wherever it reached a query, such as an
admin filter).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render

UNREADABLE = (BadRequest, SuspiciousOperation, MultiPartParserError, UnicodeDecodeError, ValueError)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 400 page: also Django's handler400, so no error view reads the body again."""
    response = render(request, "400.html", status=400)
    response["Cache-Control"] = "no-store"
    return response


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    query = request.META.get("QUERY_STRING", "")
    if "\x00" in query or b"\x00" in unquote_to_bytes(query):
        return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in request.POST.lists()
    )


class RefuseMalformedRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            malformed = _has_nul(request)
        except UNREADABLE:
            malformed = True
        if malformed:
            return bad_request(request)
        return self.get_response(request)
