"""Time the plan page and its PDF with twelve weeks of session logs and the chart, and without.

Run with `python bench/followup.py`. In-process, on a throwaway SQLite file: the plan page
through Django's test client (middleware, session, template, the chart), and the PDF through the
same WeasyPrint render the job worker runs. Prints the median of several runs of each.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RUNS = 40
PDF_RUNS = 5


def _median_ms(actions: Mapping[str, Callable[[], object]], runs: int) -> dict[str, float]:
    """The median time of each action, run in turn (A, B, A, B...) so that the machine's other
    load falls on both alike."""
    times: dict[str, list[float]] = {name: [] for name in actions}
    for action in actions.values():
        action()  # warm up: templates compiled, content loaded
    for _ in range(runs):
        for name, action in actions.items():
            start = time.perf_counter()
            action()
            times[name].append((time.perf_counter() - start) * 1000)
    return {name: statistics.median(found) for name, found in times.items()}


def main() -> None:
    folder = tempfile.mkdtemp(prefix="bench-followup-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/db.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "valgus_app.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from followup.models import Retest, SessionLog
    from followup.progress import plan_progress
    from programs import pdf
    from programs.builder import plan_for
    from questionnaire.models import Assessment
    from tests.personas import WEAK_HIP_RUNNER

    started = timezone.now() - dt.timedelta(days=84)
    plain = Assessment.objects.create(answers=WEAK_HIP_RUNNER, completed_at=started)
    logged = Assessment.objects.create(answers=WEAK_HIP_RUNNER, completed_at=started)
    start = timezone.localdate(started)
    SessionLog.objects.bulk_create(
        SessionLog(
            assessment=logged,
            done_on=start + dt.timedelta(days=day),
            phase=1 + min(day // 14, 3),
            exercises=["clamshell", "glute_bridge"],
            pain_before=1,
            pain_during=max(1, 5 - day // 14),
            pain_morning=1,
        )
        for day in range(0, 84, 2)
    )
    for week, angle, rating in ((0, None, 3), (6, 12, 6), (12, 8, 8)):
        Retest.objects.create(
            assessment=logged,
            week=week,
            tests={"fppa_degrees": angle} if angle else {},
            outcomes={
                "pain": 5 - week // 4,
                "sane": 50 + 3 * week,
                "activities": [{"name": "stairs", "rating": rating}],
            },
        )

    # Dummy tasks backend: the page's PDF head start is not part of the page's own time.
    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=dummy, ALLOWED_HOSTS=["*"]):
        client = Client()
        pages = {}
        for name, assessment in (("without logs", plain), ("12 weeks of logs", logged)):
            url = f"/plan/{assessment.plan_token}/"
            response = client.get(url)
            assert response.status_code == 200
            assert (b"followup-chart" in response.content) == (assessment is logged)
            pages[name] = partial(client.get, url)
        for name, ms in _median_ms(pages, RUNS).items():
            print(f"plan page, {name}: {ms:.1f} ms (median of {RUNS})")

    plan = plan_for(logged.valid_answers())
    chart = plan_progress(logged, plan)
    assert chart

    def render(svg: str) -> bytes:
        return pdf.render_pdf(pdf.plan_print_html(plan, paper="a4", date=None, progress_chart=svg))

    renders = {
        name: partial(render, svg)
        for name, svg in (("without the chart", ""), ("with the chart", chart))
    }
    for name, ms in _median_ms(renders, PDF_RUNS).items():
        print(f"plan PDF render, {name}: {ms:.0f} ms (median of {PDF_RUNS})")


if __name__ == "__main__":
    main()
