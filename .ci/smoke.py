"""Production smoke test: the Procfile's web and worker, as the TLS proxy would reach them.

Usage: DATABASE_URL=postgres://... CACHE_URL=redis://... python .ci/smoke.py

Runs the release steps (migrate, cache table, collectstatic), `check --deploy` (no warning
allowed), starts the Procfile's `web` (gunicorn, DEBUG off, a free loopback port) and `worker`,
then walks the site with `X-Forwarded-Proto: https`: the hashed CSS with its cache headers, a
whole questionnaire, the plan and its PDF (rendered by the worker, as its job row shows), and a
job run by the worker. Prints each check, exits 1 on the first failure, and always stops what it
started.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serve import HOST, free_port, production_env  # noqa: E402
from bench.walk import Client, expect, walk  # noqa: E402

ENQUEUE_AND_WAIT = """
import time
from valgus_app.tasks import echo
result = echo.enqueue("smoke")
for _ in range(120):
    result.refresh()
    if result.is_finished:
        break
    time.sleep(0.5)
print(result.status, result.return_value if result.is_finished else "")
"""

# The web process only queues PDFs (it renders one itself only if the cache is down, and logs
# that); the job row says which worker rendered it.
# The smoke test's Redis database outlives a run (CI runs on the machine a session left), and a
# PDF stored by an earlier run would be answered from the cache without any job: start empty.
CLEAR_CACHES = """
from django.conf import settings
from django.core.cache import caches
for alias in settings.CACHES:
    caches[alias].clear()
"""

PDF_RENDERS = """
from django_tasks_db.models import DBTaskResult
for job in DBTaskResult.objects.filter(task_path="programs.tasks.render_pdf_job"):
    value = job.return_value or {}
    print(job.status, value.get("rendered"), value.get("pid"), len(job.worker_ids))
"""


def check(what: str, ok: bool, detail: str = "") -> None:
    print(f"{'ok  ' if ok else 'FAIL'} {what}" + (f": {detail}" if detail and not ok else ""))
    if not ok:
        raise SystemExit(1)


def procfile() -> dict[str, list[str]]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return {
        name: shlex.split(command) for name, _, command in (line.partition(": ") for line in lines)
    }


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


@contextmanager
def process(name: str, command: list[str], env: dict[str, str], log: Path) -> Iterator[None]:
    """Start a Procfile process in its own process group; stop that group afterwards."""
    with log.open("w") as out:
        child = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    print(f"started {name} (pid {child.pid}): {shlex.join(command)}")
    try:
        yield
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
        print(f"stopped {name}")


def wait_for_web(client: Client, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            client.request("GET", "/")
            return
        except OSError:
            time.sleep(0.3)
    check("web answers within 60 s", False, log.read_text()[-2000:])


def walk_site(client: Client) -> str:
    """The checks a person's browser would exercise; returns the assessment's token."""
    status, headers, html = client.request("GET", "/")
    check("home page 200 over the proxy", status == 200, str(status))
    check(
        "HSTS sent (the proxy's X-Forwarded-Proto is trusted)",
        "max-age=" in headers.get("strict-transport-security", ""),
    )
    css = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html)
    check("the page links the hashed stylesheet", css is not None)
    assert css is not None
    status, headers, body = client.request(
        "GET", css.group(1).decode(), headers={"Accept-Encoding": "gzip"}
    )
    check("hashed CSS 200", status == 200, str(status))
    check(
        "CSS cached for a year, immutable",
        "max-age=315360000" in headers.get("cache-control", "")
        and "immutable" in headers.get("cache-control", ""),
        headers.get("cache-control", ""),
    )
    check(
        "CSS sent gzip-compressed",
        headers.get("content-encoding") == "gzip",
        headers.get("content-encoding", "none"),
    )
    plain = Client(HOST, client.port)
    status, headers, _ = plain.request("GET", "/", headers={"X-Forwarded-Proto": "http"})
    check(
        "plain http is redirected to https",
        status == 301 and headers.get("location", "").startswith("https://"),
        f"{status} {headers.get('location')}",
    )
    walked = walk(client)
    check("questionnaire finished, results shown", bool(walked.results))
    expect(client.request("GET", walked.plan), 200, "plan page")
    check("plan page 200", True)
    status, headers, body = client.request("GET", walked.pdf)
    check(
        "plan PDF downloaded",
        status == 200
        and body.startswith(b"%PDF")
        and headers.get("content-type") == "application/pdf",
        f"{status} {body[:20]!r}",
    )
    return walked.results.split("/a/", 1)[1].split("/", 1)[0]


def main() -> None:
    processes = procfile()
    check("Procfile names web and worker", {"web", "worker"} <= set(processes), str(processes))
    with tempfile.TemporaryDirectory(prefix="valgus-smoke-") as tmp, ExitStack() as stack:
        port = free_port()
        env = production_env(
            Path(tmp) / "db.sqlite3",
            GUNICORN_BIND=f"{HOST}:{port}",
            WEB_CONCURRENCY="2",
            PATH=f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
        )
        for name in ("DATABASE_URL", "CACHE_URL"):  # PostgreSQL and Redis, when given
            if os.environ.get(name):
                env[name] = os.environ[name]
        print(f"database {env['DATABASE_URL'].split('@')[-1]}, cache {env.get('CACHE_URL', 'db')}")
        for step in (
            ["migrate", "--noinput"],
            ["createcachetable"],
            ["shell", "-c", CLEAR_CACHES],
            ["collectstatic", "--noinput"],
        ):
            done = manage(env, *step, "-v0")
            check(f"manage.py {step[0]}", done.returncode == 0, done.stderr[-2000:])
        done = manage(env, "check", "--deploy", "--fail-level", "WARNING")
        check(
            "check --deploy: no warning",
            done.returncode == 0 and "no issues" in done.stdout,
            done.stdout + done.stderr,
        )
        web_log, worker_log = Path(tmp) / "web.log", Path(tmp) / "worker.log"
        stack.enter_context(process("web", processes["web"], env, web_log))
        stack.enter_context(process("worker", processes["worker"], env, worker_log))
        client = Client(HOST, port)
        wait_for_web(client, web_log)
        token = walk_site(client)
        done = manage(env, "shell", "-v0", "-c", PDF_RENDERS)
        renders = [line.split() for line in done.stdout.strip().splitlines()]
        check(
            "the PDF was rendered by the job worker",
            any(r[:2] == ["SUCCESSFUL", "True"] and r[3] == "1" for r in renders),
            done.stdout + done.stderr + worker_log.read_text()[-2000:],
        )
        done = manage(env, "shell", "-v0", "-c", ENQUEUE_AND_WAIT)
        vendor = "postgresql" if "postgres" in env["DATABASE_URL"] else "sqlite"
        check(
            "the worker ran a queued job",
            done.stdout.strip().splitlines()[-1:] == [f"SUCCESSFUL smoke ({vendor})"],
            done.stdout + done.stderr + worker_log.read_text()[-2000:],
        )
        stack.close()
        web_output = web_log.read_text()
        check(
            "the access log has lines and no link token",
            "/q/" in web_output and token not in web_output,
            web_output[-2000:],
        )
        check(
            "the web process rendered no PDF itself",
            "rendering in the web process" not in web_output,
            web_output[-2000:],
        )
        for line in web_output.splitlines():
            if "Traceback" in line or re.search(r'" 5\d\d ', line):
                check("no error in the web log", False, line)
    print("smoke: all checks passed")


if __name__ == "__main__":
    main()
