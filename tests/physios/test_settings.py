"""Cookies, e-mail and rate-limit settings as production and development get them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "x" * 50,
    "DJANGO_ALLOWED_HOSTS": "example.org",
}


def settings_value(expression: str, **env: str) -> str:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "EMAIL_"))
    }
    done = subprocess.run(
        [sys.executable, "-c", f"import valgus_app.settings as s; print({expression})"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


def test_production_cookies_are_secure_and_http_only() -> None:
    names = (
        "SESSION_COOKIE_SECURE, CSRF_COOKIE_SECURE, SESSION_COOKIE_HTTPONLY, CSRF_COOKIE_HTTPONLY"
    )
    assert settings_value(f"(s.{names.replace(', ', ', s.')})", **PRODUCTION) == (
        "(True, True, True, True)"
    )


def test_mail_goes_to_the_console_until_smtp_is_configured() -> None:
    assert settings_value("s.EMAIL_BACKEND").endswith("console.EmailBackend")
    smtp = settings_value(
        "s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT",
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="2525",
    )
    assert smtp == "django.core.mail.backends.smtp.EmailBackend smtp.example.org 2525"


def test_lockouts_and_rate_limits_live_in_the_shared_cache() -> None:
    assert settings_value("s.AXES_HANDLER, s.RATELIMIT_USE_CACHE") == (
        "axes.handlers.cache.AxesCacheHandler default"
    )
    redis = settings_value("s.CACHES['default']['BACKEND']", CACHE_URL="redis://cache:6379/0")
    assert redis == "django.core.cache.backends.redis.RedisCache"


def test_production_refuses_the_placeholder_secret_key_of_the_example() -> None:
    example = (ROOT / ".env.example").read_text()
    placeholder = next(
        line.split("=", 1)[1]
        for line in example.splitlines()
        if line.startswith("DJANGO_SECRET_KEY=")
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    for key in (placeholder, "dev-only-insecure-key-never-use-in-production", "change-me"):
        done = subprocess.run(
            [sys.executable, "-c", "import valgus_app.settings"],
            cwd=ROOT,
            env={**clean, **PRODUCTION, "DJANGO_SECRET_KEY": key},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode != 0
        assert "DJANGO_SECRET_KEY is the example's placeholder" in done.stderr
