from __future__ import annotations

from django.apps import AppConfig


class PhysiosConfig(AppConfig):
    name = "physios"
    verbose_name = "Physiotherapists"
