"""Profile showing or answering questionnaire steps in-process, with the bench settings.

    .venv/bin/python bench/profile_questionnaire.py show      # or: answer
    .venv/bin/python bench/profile_questionnaire.py answer --sort tottime --limit 40

Walks whole assessments through Django's test client (as bench/questionnaire.py does over
HTTP), with cProfile switched on only around the requests being studied, then prints the
functions that took the most time. cProfile slows small functions down more than large ones:
use it to see where the time goes, and bench/questionnaire.py to measure.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import sys
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from tests.personas import WEAK_HIP_RUNNER, form_data  # noqa: E402

FORM = "application/x-www-form-urlencoded"


def walk(profiler: cProfile.Profile | None, step: str) -> None:
    """One whole assessment, profiling the GETs (show) or the POSTs (answer)."""
    client = Client(HTTP_HOST="127.0.0.1")
    answers = form_data(WEAK_HIP_RUNNER)
    path = "/start/"
    while "/q/" in path or path == "/start/":
        if profiler and step == "show":
            profiler.enable()
        page = client.get(path)
        if profiler:
            profiler.disable()
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content)
        assert page.status_code == 200 and token, path
        body = urlencode({**answers, "csrfmiddlewaretoken": token.group(1).decode()})
        if profiler and step == "answer":
            profiler.enable()
        response = client.post(path, body, content_type=FORM)
        if profiler:
            profiler.disable()
        assert response.status_code == 302, path
        path = response["Location"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["show", "answer"])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--limit", type=int, default=50)
    args = parser.parse_args()
    (ROOT / "bench" / "out").mkdir(exist_ok=True)
    call_command("migrate", verbosity=0)
    for _ in range(3):  # warm up, as the bench does
        walk(None, args.step)
    profiler = cProfile.Profile()
    for _ in range(args.rounds):
        walk(profiler, args.step)
    stats = pstats.Stats(profiler)
    stats.sort_stats(args.sort).print_stats(args.limit)


if __name__ == "__main__":
    main()
