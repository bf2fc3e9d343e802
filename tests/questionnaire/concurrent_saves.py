"""Two devices saving one assessment at the same moment: the rounds, in real threads.

Used by test_concurrent_saves.py in the test process (PostgreSQL) and, as
``python -m tests.questionnaire.concurrent_saves ROUNDS`` with DATABASE_URL pointing at an SQLite
file, in a process of its own (the test run's SQLite database lives in memory, where threads
cannot wait for each other's locks as they do on a real file).
"""

from __future__ import annotations

import json
import os
import re
import sys
import threading
from collections.abc import Callable
from typing import Any

SEEN = re.compile(r'name="seen" value="([0-9a-f]{16})"')
# What a save answers when the page asks first (shown again with the other device's answers).
ASKED = 409
CONFLICT = "changed on another device"
WALL, HOLD = "knee-to-wall", "side-lying-hold"


def together(*jobs: Callable[[], int]) -> list[int]:
    """Run each job in its own thread, all released at once; their results in order."""
    from django.db import connection

    barrier = threading.Barrier(len(jobs))
    results: list[int] = [0] * len(jobs)
    errors: list[BaseException] = []

    def run(index: int, job: Callable[[], int]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except BaseException as error:  # reported in the caller's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
    return results


def device(token: str, page: str) -> Callable[[dict[str, str]], Callable[[], int]]:
    """A browser with the page open (its own session, the form as shown): how it saves."""
    from django.test import Client

    browser = Client()
    url = f"/a/{token}/q/{page}/?change=1"
    html = browser.get(url).content.decode()
    assert "<form" in html, f"{url} shows no form"
    found = SEEN.search(html)
    seen = found.group(1) if found else ""

    def save(data: dict[str, str]) -> Callable[[], int]:
        def post() -> int:
            response = browser.post(url, {**data, "seen": seen})
            asked = response.status_code == 200 and CONFLICT in response.content.decode()
            return ASKED if asked else response.status_code

        return post

    return save


def different_pages(assessment_pk: int, token: str, answers: dict[str, Any], rounds: int) -> int:
    """Answers lost when two devices save two different pages at once, over ``rounds``."""
    from questionnaire.models import Assessment

    lost = 0
    for n in range(rounds):
        Assessment.objects.filter(pk=assessment_pk).update(answers=answers)
        wall, hold = 5 + n % 10, 10 + n % 40
        phone, laptop = device(token, WALL), device(token, HOLD)
        statuses = together(
            phone({"knee_to_wall_left_cm": str(wall), "knee_to_wall_right_cm": "9"}),
            laptop({"side_hold_left_s": str(hold), "side_hold_right_s": "45"}),
        )
        assert statuses == [302, 302], statuses
        saved = Assessment.objects.get(pk=assessment_pk).answers
        lost += (saved.get("knee_to_wall_left_cm") != wall) + (
            saved.get("side_hold_left_s") != hold
        )
    return lost


def same_page(assessment_pk: int, token: str, answers: dict[str, Any], rounds: int) -> int:
    """Rounds in which a save of the same page was lost without the person being asked."""
    from questionnaire.models import Assessment

    silent = 0
    for n in range(rounds):
        Assessment.objects.filter(pk=assessment_pk).update(answers=answers)
        first, second = device(token, WALL), device(token, WALL)
        values = (5 + n % 10, 20 + n % 10)
        statuses = together(
            first({"knee_to_wall_left_cm": str(values[0]), "knee_to_wall_right_cm": "9"}),
            second({"knee_to_wall_left_cm": str(values[1]), "knee_to_wall_right_cm": "9"}),
        )
        saved = Assessment.objects.get(pk=assessment_pk).answers["knee_to_wall_left_cm"]
        # Fine: one saved and the other asked (409), and the saved one is what is stored.
        asked = sorted(statuses) == [302, ASKED] and saved == values[statuses.index(302)]
        silent += not asked
    return silent


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "valgus_app.settings")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from questionnaire.models import Assessment
    from tests.personas import WEAK_HIP_RUNNER

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    rounds = int(sys.argv[1])
    done = Assessment.objects.create(
        answers=WEAK_HIP_RUNNER, step="check", completed_at=timezone.now()
    )
    args = (done.pk, done.token, WEAK_HIP_RUNNER, rounds)
    print(json.dumps({"lost": different_pages(*args), "silent": same_page(*args)}))


if __name__ == "__main__":
    main()
