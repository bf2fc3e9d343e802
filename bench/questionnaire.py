"""Benchmark the questionnaire over HTTP against gunicorn, beside a trivial Django view.

Run with `make bench`. It migrates a fresh SQLite file, starts gunicorn with bench.settings,
walks whole assessments through every page (show = GET a page, answer = POST it: validate,
save, redirect), and prints the server time per step from the Server-Timing header (time
inside Django, all middleware included) as median and 95th percentile, requests per second
for one step and for the trivial view, and the compressed weight of a questionnaire page.
"""

from __future__ import annotations

import gzip
import http.client
import os
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.personas import WEAK_HIP_RUNNER, form_data  # noqa: E402

HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8765"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
HITS = int(os.environ.get("BENCH_HITS", "400"))
WEIGHT_LIMIT_KB = 60
ENV = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(ROOT)}
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"


class Client:
    """A tiny cookie-keeping HTTP client; each request returns (status, headers, body)."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, data: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection(HOST, PORT, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, content


def server_ms(headers: dict[str, str]) -> float:
    match = re.search(r"dur=([0-9.]+)", headers.get("server-timing", ""))
    assert match, "the bench settings add a Server-Timing header"
    return float(match.group(1))


def csrf_token(html: bytes) -> str:
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "every questionnaire form carries a CSRF token"
    return match.group(1).decode()


def walk(client: Client, times: dict[str, list[float]]) -> str:
    """One whole assessment; returns the path of a page in the middle, for the hammer test."""
    answers = form_data(WEAK_HIP_RUNNER)
    path, middle = "/start/", ""
    while "/q/" in path or path == "/start/":
        step = path.rstrip("/").rsplit("/", 1)[-1]
        status, headers, html = client.request("GET", path)
        assert status == 200, (path, status)
        times[f"show {step}"].append(server_ms(headers))
        data = {**answers, "csrfmiddlewaretoken": csrf_token(html)}
        status, headers, _ = client.request("POST", path, data)
        assert status == 302, (path, status)
        times[f"answer {step}"].append(server_ms(headers))
        if step == "single-leg-squat":
            middle = path
        path = headers["location"]
    status, headers, html = client.request("GET", path)
    times["show check"].append(server_ms(headers))
    status, headers, _ = client.request("POST", path, {"csrfmiddlewaretoken": csrf_token(html)})
    times["answer check"].append(server_ms(headers))
    status, headers, _ = client.request("GET", headers["location"])
    assert status == 200
    times["show results"].append(server_ms(headers))
    return middle


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def hammer(client: Client, path: str) -> tuple[float, list[float]]:
    """Requests per second for one URL, one request at a time, and the server times."""
    timings = []
    started = time.perf_counter()
    for _ in range(HITS):
        status, headers, _ = client.request("GET", path)
        assert status == 200, (path, status)
        timings.append(server_ms(headers))
    return HITS / (time.perf_counter() - started), timings


def page_weight(client: Client, path: str) -> tuple[int, list[tuple[str, int]]]:
    """Bytes after gzip of the page and every same-site file it loads."""
    import django

    django.setup()
    from django.contrib.staticfiles import finders

    _, _, html = client.request("GET", path)
    parts = [("page HTML", len(gzip.compress(html, 9)))]
    for url in sorted(set(re.findall(rb'(?:src|href)="/static/([^"]+)"', html))):
        found = finders.find(url.decode())
        assert found, f"static file {url.decode()} not found"
        data = Path(str(found)).read_bytes()
        parts.append((url.decode(), len(gzip.compress(data, 9))))
    return sum(size for _, size in parts), parts


@contextmanager
def gunicorn() -> Iterator[None]:
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "bench.sqlite3").unlink(missing_ok=True)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], check=True, env=ENV, cwd=ROOT)
    command = [
        sys.executable, "-m", "gunicorn", "valgus_app.wsgi:application",
        "--bind", f"{HOST}:{PORT}", "--workers", "1", "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=ENV, cwd=ROOT)
    try:
        for _ in range(100):
            try:
                Client().request("GET", "/bench/ok/")
                break
            except OSError:
                time.sleep(0.1)
        yield
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    with gunicorn():
        client = Client()
        for _ in range(3):  # warm up: templates compiled, forms built, caches filled
            walk(Client(), defaultdict(list))
            client.request("GET", "/bench/ok/")
        times: dict[str, list[float]] = defaultdict(list)
        middle = ""
        for _ in range(ROUNDS):
            middle = walk(Client(), times)
        trivial_rps, trivial = hammer(client, "/bench/ok/")
        walker = Client()
        walk(walker, defaultdict(list))
        step_rps, step = hammer(walker, middle)
        weight, parts = page_weight(walker, middle)

    base = statistics.median(trivial)
    print(f"Server time inside Django, milliseconds ({ROUNDS} assessments, gunicorn, 1 worker)")
    print(f"{'step':34} {'median':>8} {'p95':>8} {'x trivial':>10}")
    print(f"{'trivial view HttpResponse(ok)':34} {base:8.3f} {p95(trivial):8.3f} {1:10.1f}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:34} {median:8.3f} {p95(values):8.3f} {median / base:10.1f}")
    shows = [v for k, vs in times.items() if k.startswith("show ") for v in vs]
    answers = [v for k, vs in times.items() if k.startswith("answer ") for v in vs]
    print()
    for label, values, target in (("show", shows, 5), ("answer", answers, 10)):
        median = statistics.median(values)
        verdict = "within" if median <= target * base else "OVER"
        print(
            f"all {label} steps: median {median:.3f} ms, p95 {p95(values):.3f} ms, "
            f"{median / base:.1f}x trivial ({verdict} the {target}x target)"
        )
    print()
    print(f"requests/s, one at a time: trivial view {trivial_rps:.0f}, ")
    print(f"  show {middle}: {step_rps:.0f} (server median {statistics.median(step):.3f} ms)")
    print()
    print(f"page weight of {middle}, gzip -9:")
    for name, size in parts:
        print(f"  {name:44} {size / 1024:6.1f} KB")
    verdict = "within" if weight <= WEIGHT_LIMIT_KB * 1024 else "OVER"
    print(f"  {'total':44} {weight / 1024:6.1f} KB ({verdict} the {WEIGHT_LIMIT_KB} KB target)")


if __name__ == "__main__":
    main()
