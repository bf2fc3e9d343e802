from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest


def _short_session(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """Every login (physio pages, sign-up confirmation, the admin) lasts a working day."""
    request.session.set_expiry(settings.PHYSIO_SESSION_HOURS * 60 * 60)


class PhysiosConfig(AppConfig):
    name = "physios"
    verbose_name = "Physiotherapists"

    def ready(self) -> None:
        user_logged_in.connect(_short_session, dispatch_uid="physios.short_session")
