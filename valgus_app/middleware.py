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
