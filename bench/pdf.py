"""Measure the plan PDF: pages, render time, time per page, peak memory, size, cached serving.

Run with `make bench` (or `python bench/pdf.py`). Uses a throwaway SQLite database for the
cached-download measurement, so it never touches the development data.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUNS = 7
TARGETS = {
    "ms_per_page": 40.0,
    "render_s": 0.5,
    "cached_ms": 10.0,
    "peak_mb": 200.0,
    "size_kb": 300.0,
}


def _setup(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "valgus_app.settings")
    import django

    django.setup()


def _full_plan() -> Any:
    from programs.builder import plan_for
    from tests.personas import FOOTBALLER

    return plan_for(FOOTBALLER)


def _median_seconds(
    work: Callable[[], object], runs: int = RUNS, clock: Callable[[], float] = time.perf_counter
) -> float:
    times = []
    for _ in range(runs):
        start = clock()
        work()
        times.append(clock() - start)
    return statistics.median(times)


def child(render: bool) -> None:
    """Render once (or only load everything) and exit; the parent reads our peak RSS."""
    with tempfile.TemporaryDirectory() as tmp:
        _setup(Path(tmp) / "bench.sqlite3")
        plan = _full_plan()
        import weasyprint  # noqa: F401  (loaded in both cases, so the difference is rendering)

        if render:
            from programs.pdf import render_plan_pdf

            render_plan_pdf(plan)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def peak_mb(render: bool) -> float:
    args = [sys.executable, __file__, "--child", "render" if render else "load"]
    done = subprocess.run(args, check=True, cwd=ROOT, capture_output=True, text=True)
    # The child reports its own ru_maxrss, in kilobytes on Linux.
    return int(done.stdout.split()[-1]) / 1024


def cached_ms(plan_pdf_bytes: int) -> tuple[float, int]:
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from questionnaire.models import Assessment
    from tests.personas import FOOTBALLER

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    assessment = Assessment.objects.create(answers=FOOTBALLER, completed_at=timezone.now())
    client = Client(HTTP_HOST="localhost")
    url = reverse("programs:plan_pdf", args=[assessment.plan_token])
    first = client.get(url)  # renders and stores
    assert first.status_code == 200 and len(first.content) > plan_pdf_bytes // 2
    times = []
    for _ in range(RUNS * 3):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    return statistics.median(times) * 1000, len(first.content)


def main() -> None:
    # Measured first: a child forked from a big parent inherits the parent's RSS in ru_maxrss.
    baseline = peak_mb(render=False)
    peak = peak_mb(render=True)
    with tempfile.TemporaryDirectory() as tmp:
        _setup(Path(tmp) / "bench.sqlite3")
        from pypdf import PdfReader
        from weasyprint import HTML

        from programs.pdf import render_plan_pdf

        plan = _full_plan()
        start = time.perf_counter()
        body = render_plan_pdf(plan)
        cold = time.perf_counter() - start
        pages = len(PdfReader(io.BytesIO(body)).pages)
        render = _median_seconds(lambda: render_plan_pdf(plan))
        # CPU time of this process: steadier than wall time on a shared, busy machine.
        render_cpu = _median_seconds(lambda: render_plan_pdf(plan), clock=time.process_time)
        hello_html = "<!doctype html><title>Hello</title><p>Hello, WeasyPrint.</p>"
        HTML(string=hello_html).write_pdf()  # warm-up, like the plan's first render above
        hello = _median_seconds(lambda: HTML(string=hello_html).write_pdf())
        hello_cpu = _median_seconds(
            lambda: HTML(string=hello_html).write_pdf(), clock=time.process_time
        )
        served_ms, served_bytes = cached_ms(len(body))

    per_page_ms = render / pages * 1000
    rows = [
        ("pages (12-week plan, A4)", f"{pages}", None),
        ("PDF size", f"{len(body) / 1024:.0f} KB", len(body) / 1024 <= TARGETS["size_kb"]),
        ("render, first in process", f"{cold * 1000:.0f} ms", None),
        (f"render, median of {RUNS}", f"{render * 1000:.0f} ms", render <= TARGETS["render_s"]),
        ("time per page", f"{per_page_ms:.1f} ms", per_page_ms <= TARGETS["ms_per_page"]),
        (f"render CPU time, median of {RUNS}", f"{render_cpu * 1000:.0f} ms", None),
        ("CPU time per page", f"{render_cpu / pages * 1000:.1f} ms", None),
        (f"hello document, median of {RUNS}", f"{hello * 1000:.1f} ms", None),
        (f"hello document CPU time, median of {RUNS}", f"{hello_cpu * 1000:.1f} ms", None),
        ("cached download via the view", f"{served_ms:.2f} ms", served_ms <= TARGETS["cached_ms"]),
        ("peak RSS, rendering process", f"{peak:.0f} MB", peak <= TARGETS["peak_mb"]),
        ("peak RSS, same process without rendering", f"{baseline:.0f} MB", None),
    ]
    load = os.getloadavg()[0]
    print(f"Plan PDF bench ({served_bytes} bytes served; load average {load:.1f})")
    for label, value, ok in rows:
        verdict = "" if ok is None else ("  ok" if ok else "  MISSED target")
        print(f"  {label:<42} {value:>10}{verdict}")
    print("Targets: < 40 ms/page, whole plan < 0.5 s, cached < 10 ms, peak < 200 MB, PDF < 300 KB.")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", choices=("render", "load"))
    options = parser.parse_args()
    if options.child:
        child(render=options.child == "render")
    else:
        main()
