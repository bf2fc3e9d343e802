"""URL converters shared by every app, so that a malformed token or id is a plain 404 at the
resolver and never reaches a view or the database."""

from __future__ import annotations

from django.urls import register_converter


class TokenConverter:
    """An unguessable link token (secrets.token_urlsafe): URL-safe base64, 20 to 64 characters."""

    regex = r"[A-Za-z0-9_-]{20,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class IdConverter:
    """A database id: at most 18 digits, so a huge number is a 404 here, not an overflow later."""

    regex = r"[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(TokenConverter, "token")
register_converter(IdConverter, "id")
