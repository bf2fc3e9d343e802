"""Start the product and a bare Django project under gunicorn, and read their workers' /proc.

Both servers get the same gunicorn.conf.py (gthread workers, threads, timeouts, access log) and
the same interpreter; the product runs with its production settings (DJANGO_ENV=production)
on a throwaway secret and a fresh SQLite file, with nothing tuned for the bench.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.walk import Client

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
TICKS = os.sysconf("SC_CLK_TCK")


def production_env(database: Path, **extra: str) -> dict[str, str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "CACHE_", "GUNICORN_", "WEB_CONCURRENCY"))
    }
    return {
        **clean,
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"sqlite:///{database}",
        "PYTHONPATH": str(ROOT),
        # One address doing what many visitors do: the per-address limits would cut it short.
        "RATE_NEW_ASSESSMENTS": "1000000/h",
        "RATE_PDF": "1000000/h",
        **extra,
    }


def prepare_product(env: dict[str, str]) -> None:
    """Migrate the fresh database and collect the hashed static files, as a deploy would."""
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--noinput"], ["createcachetable"], ["collectstatic", "--noinput"]):
        subprocess.run([*manage, *command, "-v0"], check=True, env=env, cwd=ROOT)


def make_bare_project(directory: Path) -> Path:
    """`startproject` with its default middleware and one view returning a short response."""
    directory.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "django", "startproject", "bare", str(directory)], check=True
    )
    with (directory / "bare" / "settings.py").open("a") as settings:
        settings.write(f"\nDEBUG = False\nALLOWED_HOSTS = [{HOST!r}]\n")
    (directory / "bare" / "urls.py").write_text(
        "from django.http import HttpResponse\n"
        "from django.urls import path\n\n\n"
        "def ok(request):\n"
        '    return HttpResponse("ok")\n\n\n'
        'urlpatterns = [path("", ok)]\n'
    )
    return directory


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    def __init__(self, process: subprocess.Popen[bytes], port: int) -> None:
        self.process, self.port = process, port

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def client(self) -> Client:
        return Client(HOST, self.port)


@contextmanager
def gunicorn(app: str, *, cwd: Path, env: dict[str, str], workers: int) -> Iterator[Server]:
    """gunicorn with the repository's gunicorn.conf.py on a free loopback port."""
    port = free_port()
    env = {
        **env,
        "GUNICORN_BIND": f"{HOST}:{port}",
        "WEB_CONCURRENCY": str(workers),
        # Worker recycling would take a worker's CPU time with it mid-measurement.
        "GUNICORN_MAX_REQUESTS": "0",
        # Lines are still formatted (and redacted), as in production, but not kept.
        "GUNICORN_ACCESS_LOG": "/dev/null",
        "GUNICORN_LOG_LEVEL": "warning",
        "PYTHONPATH": f"{cwd}:{ROOT}",
    }
    command = [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py"), app]
    process = subprocess.Popen(command, cwd=cwd, env=env)
    server = Server(process, port)
    try:
        deadline = time.monotonic() + 60
        while len(server.workers()) < workers or not _answers(server):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn for {app} did not start")
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def job_worker(env: dict[str, str]) -> Iterator[int]:
    """The Procfile's job worker (it renders the PDFs) on the same database; yields its pid."""
    command = [sys.executable, str(ROOT / "manage.py"), "db_worker", "--no-reload"]
    # Its log (a line per task) would bury the figures: it goes to a file, named on failure.
    with tempfile.NamedTemporaryFile(
        prefix="valgus-bench-worker-", suffix=".log", delete=False
    ) as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**env, "PYTHONPATH": str(ROOT)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process.pid
        except BaseException:
            print(f"the job worker's log: {log.name}", file=sys.stderr)
            raise
        else:
            Path(log.name).unlink()
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _answers(server: Server) -> bool:
    try:
        server.client().request("GET", "/")
    except OSError:
        return False
    return True


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time of these processes, all their threads included."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / TICKS


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")
