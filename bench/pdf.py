"""CPU time, pages, size and peak memory of the plan PDFs, against issue 11's targets.

Run with `make bench` (or `python bench/pdf.py`). It renders the PDF of each answer set in
tests/personas.py (and an older adult and a child, whose plans are adapted) in this process,
as the job worker does, after one warm-up render. The rounds go over every plan in turn, so a
busy moment on the machine falls on all of them, and each plan's figure is the CPU time (user +
system) of its rounds on average, beside its pages, its bytes and the process's peak memory at
the end. The average, not the best round: a worker pays for every render, including the ones the
garbage collector's slower passes fall on.

The machine is shared and its speed drifts by a tenth from minute to minute, so the same run
also renders the same plans in a second process with the garbage collector at Python's defaults
(programs.pdf runs it rarely during a render): the baseline the figures are compared with. The
two take their rounds in turn, never at once. BENCH_PDF_BASELINE=0 leaves it out.

Targets: under 40 ms of CPU a page, a typical 7-page plan under 0.5 s and the longest under
1 s, each PDF under 300 KB, peak memory under 200 MB.
"""

from __future__ import annotations

import io
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "valgus_app.settings")

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
# Set in the baseline's own process (see the docstring), which renders a round whenever it reads
# a line and answers with its CPU times as JSON.
COLLECTOR_AT_DEFAULTS = os.environ.get("BENCH_PDF_COLLECTOR") == "defaults"
PER_PAGE_MS, TYPICAL_S, LONGEST_S, MAX_KB, MAX_MB = 40, 0.5, 1.0, 300, 200


def _plans() -> tuple[dict[str, str], Callable[[str], bytes]]:
    """The print HTML of each answer set, and the render function, after one warm-up render."""
    import django

    django.setup()
    from programs.builder import plan_for
    from programs.pdf import plan_print_html, render_pdf
    from tests import personas
    from tests.questionnaire.cases import calm

    answer_sets = {
        "runner": personas.RUNNER,
        "footballer": personas.FOOTBALLER,
        "growing knee": personas.GROWING_KNEE,
        "routine": personas.ROUTINE,
        "older adult": calm(age=72, falls_or_unsteady=True),
        "child": calm(age=9, sport="football"),
        "urgent (summary)": personas.URGENT,
    }
    if COLLECTOR_AT_DEFAULTS:
        from programs import pdf

        pdf._few_collections = nullcontext  # type: ignore[assignment]
    render_pdf(plan_print_html(plan_for(personas.RUNNER), paper="a4", date=None))  # warm-up
    htmls = {
        name: plan_print_html(plan_for(answers), paper="a4", date=None, answers=answers)
        for name, answers in answer_sets.items()
    }
    return htmls, render_pdf


def _round(htmls: dict[str, str], render: Callable[[str], bytes]) -> dict[str, tuple[float, bytes]]:
    """Each plan rendered once: its CPU time and its PDF."""
    done = {}
    for name, html in htmls.items():
        started = time.process_time()
        body = render(html)
        done[name] = (time.process_time() - started, body)
    return done


def baseline_process() -> None:
    htmls, render = _plans()
    print("ready", flush=True)
    for _ in sys.stdin:
        times = {name: cpu for name, (cpu, _) in _round(htmls, render).items()}
        print(json.dumps(times), flush=True)


def main() -> None:
    from pypdf import PdfReader

    baseline = None
    if os.environ.get("BENCH_PDF_BASELINE", "1") != "0":
        baseline = subprocess.Popen(
            [sys.executable, __file__],
            env={**os.environ, "BENCH_PDF_COLLECTOR": "defaults"},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert baseline.stdin is not None and baseline.stdout is not None
        assert baseline.stdout.readline().strip() == "ready"
    htmls, render = _plans()
    times: dict[str, list[float]] = {name: [] for name in htmls}
    base_times: dict[str, list[float]] = {name: [] for name in htmls}
    bodies: dict[str, bytes] = {}

    def ours() -> None:
        for name, (cpu, body) in _round(htmls, render).items():
            times[name].append(cpu)
            bodies[name] = body

    def theirs() -> None:
        if baseline is None:
            return
        assert baseline.stdin is not None and baseline.stdout is not None
        baseline.stdin.write("round\n")
        baseline.stdin.flush()
        for name, cpu in json.loads(baseline.stdout.readline()).items():
            base_times[name].append(cpu)

    # One round each in turn, the order swapped every round, so a slow spell of the machine
    # falls on both alike.
    for number in range(ROUNDS):
        for step in (ours, theirs) if number % 2 == 0 else (theirs, ours):
            step()
    if baseline is not None:
        assert baseline.stdin is not None
        baseline.stdin.close()
        baseline.wait()

    rows = []
    for name, body in bodies.items():
        pages = len(PdfReader(io.BytesIO(body)).pages)
        rows.append((name, pages, statistics.fmean(times[name]), len(body) / 1024))
    plans = [row for row in rows if row[1] > 1]
    per_page = statistics.median(row[2] / row[1] * 1000 for row in plans)
    print(f"bench/pdf.py: CPU time, average of {ROUNDS} rounds (load {_load()})")
    print(f"{'plan':<18} {'pages':>5} {'CPU s':>6} {'ms/page':>8} {'KB':>5}")
    for name, pages, cpu, kb in rows:
        print(f"{name:<18} {pages:>5} {cpu:>6.3f} {cpu / pages * 1000:>8.1f} {kb:>5.0f}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    typical = statistics.median(row[2] for row in plans)
    longest = max(plans, key=lambda row: row[1])
    print()
    _verdict(
        "CPU a page (median)", f"{per_page:.1f} ms", per_page < PER_PAGE_MS, f"< {PER_PAGE_MS} ms"
    )
    typical_pages = statistics.median(row[1] for row in plans)
    _verdict(
        f"typical plan ({typical_pages:.0f} pages)",
        f"{typical:.2f} s",
        typical < TYPICAL_S,
        f"< {TYPICAL_S} s (7 pages)",
    )
    _verdict(
        f"longest plan ({longest[1]} pages)",
        f"{longest[2]:.2f} s",
        longest[2] < LONGEST_S,
        f"< {LONGEST_S} s",
    )
    largest = max(row[3] for row in rows)
    _verdict("largest PDF", f"{largest:.0f} KB", largest < MAX_KB, f"< {MAX_KB} KB")
    _verdict("peak memory", f"{peak_mb:.0f} MB", peak_mb < MAX_MB, f"< {MAX_MB} MB")
    print(f"(load {_load()})")
    if baseline is not None:
        base = statistics.median(
            statistics.fmean(base_times[row[0]]) / row[1] * 1000 for row in plans
        )
        print(
            f"same run, rounds in turn, collector at Python's defaults: {base:.1f} ms a page;"
            f" with programs.pdf's: {per_page:.1f} ms ({(per_page / base - 1) * 100:+.0f}%)"
        )


def _verdict(what: str, figure: str, met: bool, target: str) -> None:
    print(f"{what:<28} {figure:>9}  target {target:<18} {'met' if met else 'NOT MET'}")


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    if COLLECTOR_AT_DEFAULTS:
        baseline_process()
    else:
        main()
