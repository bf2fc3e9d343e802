"""The step pages' cache of field markup stays small whatever a visitor types (issue 13)."""

from __future__ import annotations

import gc
import tracemalloc

import pytest
from django.test import Client

from questionnaire import presentation

VALUES = 40
VALUE_BYTES = 1_000_000


@pytest.fixture
def production_cache(settings, monkeypatch):
    # The cache is off with DEBUG on; the workers run with it off.
    settings.DEBUG = False
    monkeypatch.setattr(presentation, "_FIELD_HTML", {})


@pytest.mark.django_db
def test_many_distinct_large_invalid_values_leave_memory_within_a_fixed_bound(
    client: Client, production_cache
) -> None:
    client.post("/start/", {"age": "x", "recent_injury": "maybe"})  # warm up the templates
    gc.collect()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        for n in range(VALUES):
            big = f"{n}-" + "9" * VALUE_BYTES
            response = client.post("/start/", {"age": big, "recent_injury": big})
            assert response.status_code == 200
            del response
        gc.collect()
        after, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # 40 values of 1 MB in two fields: kept, they would be 80 MB and more (key and markup).
    print(f"memory growth after {VALUES} values: {after - before} bytes")
    assert after - before < 4_000_000
    assert all(
        len(value) <= presentation.FIELD_CACHE_MAX_VALUE for _, value, _ in presentation._FIELD_HTML
    )


@pytest.mark.django_db
def test_the_cache_never_grows_past_its_entry_limit(
    client: Client, production_cache, monkeypatch
) -> None:
    monkeypatch.setattr(presentation, "FIELD_CACHE_SIZE", 25)
    for n in range(60):
        client.post("/start/", {"age": str(1000 + n), "recent_injury": f"v{n}"})
    assert len(presentation._FIELD_HTML) == 25


@pytest.mark.django_db
def test_saved_answers_still_come_from_the_cache(client: Client, production_cache) -> None:
    client.post("/start/", {"age": "300", "recent_injury": "no"})
    assert any(key[0] == "age" and key[1] == "300" for key in presentation._FIELD_HTML)
