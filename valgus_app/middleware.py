"""A strict Content-Security-Policy on every response.

Everything the site needs comes from its own origin: no inline scripts or styles, no third
parties, no framing. Django 5.2 has no CSP support of its own (6.0 adds it).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

POLICY = "; ".join(
    (
        "default-src 'self'",
        # The knee-angle tool's pose model is WebAssembly: compiling it needs 'wasm-unsafe-eval',
        # which allows WebAssembly only, not JavaScript's eval().
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' data:",
        # The knee-angle tool plays the person's own video from a local blob: URL (no network).
        "media-src blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", POLICY)
        return response


# The questionnaire keeps a person's private link in the session under this key; a page that
# read it may show the link (the home page's "continue" button).
ASSESSMENT_SESSION_KEY = "assessment_token"


class PrivateTokenPagesMiddleware:
    """Nothing stores or indexes a page reached by a link token or showing one.

    Every URL with a ``<token:...>`` (the questionnaire, the plan, the physio's invite and share
    links, password resets) and every page that read a private link from the session is sent
    with ``Cache-Control: no-store``: a shared or back-button cache must not keep health data
    or a link that opens it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        session = getattr(request, "session", None)
        shows_link = (
            session is not None
            and session.accessed
            and session.get(ASSESSMENT_SESSION_KEY) is not None
        )
        if (match is not None and "token" in match.kwargs) or shows_link:
            response.headers["Cache-Control"] = "no-store"
            response.headers["X-Robots-Tag"] = "noindex, nofollow"
        return response
