"""CPU per request of the product against a bare Django view, over HTTP under gunicorn.

Run with `make bench`. Both run under the same gunicorn.conf.py (gthread) with the same
workers and threads; the product with its production settings on a fresh SQLite file. Several
client threads send each batch; the CPU time the gunicorn workers spent on it (utime + stime
from /proc) divided by the requests is the figure, so client threads and other processes on the
machine do not count, though they still share the cores (the load average is printed beside).

Then, in the same run: the step page's p99 latency and throughput alone and while four PDF
downloads run, each a fresh render by the job worker (`db_worker`, as in the Procfile) that the
download waits for; and that worker's memory after 10 and after many PDFs. See docs/deploy.md
for what the targets mean.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serve import (  # noqa: E402
    Server,
    cpu_seconds,
    gunicorn,
    job_worker,
    make_bare_project,
    prepare_product,
    production_env,
    rss_mb,
)
from bench.walk import Client, expect, walk  # noqa: E402

WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "1200"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
PDFS = int(os.environ.get("BENCH_PDFS", "500"))
TARGETS = {"step GET": 4, "answer POST": 8, "results": 6, "plan page": 6}

Request = Callable[[], None]


def run_batch(
    requests: list[Request], total: int, deadline: float = float("inf")
) -> tuple[float, list[float]]:
    """Send ``total`` requests (or until ``deadline``), one thread per entry of ``requests``.

    Returns the wall time and every request's latency.
    """
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(total))

    def client(send: Request) -> None:
        mine = []
        while time.perf_counter() < deadline:
            with lock:
                if next(counter, None) is None:
                    break
            started = time.perf_counter()
            send()
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(send,)) for send in requests]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies


def cpu_per_request(server: Server, requests: list[Request], total: int = REQUESTS) -> float:
    run_batch(requests, max(total // 10, len(requests)))  # warm up: templates, caches, plans
    workers = server.workers()
    before = cpu_seconds(workers)
    run_batch(requests, total)
    return (cpu_seconds(workers) - before) / total * 1000


def get(client: Client, path: str, status: int = 200) -> Request:
    return lambda: expect(client.request("GET", path), status, f"GET {path}") and None


def post(client: Client, path: str, data: dict[str, str]) -> Request:
    return lambda: expect(client.request("POST", path, data), 302, f"POST {path}") and None


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[98]


def clear_pdf_cache(database: Path) -> None:
    """Forget every rendered PDF, so the next download renders afresh (as after a change)."""
    with sqlite3.connect(database, timeout=30) as connection:
        connection.execute("DELETE FROM valgus_pdf_cache")


def fresh_pdf(client: Client, path: str, database: Path) -> Request:
    def send() -> None:
        clear_pdf_cache(database)
        _, _, body = expect(client.request("GET", path), 200, f"GET {path}")
        assert body.startswith(b"%PDF"), "the download is a PDF"

    return send


def cpu_table(product: Server, bare: Server) -> list[str]:
    lines = [
        f"{'request':14} {'CPU ms/req':>10} {'x bare':>7} {'target':>7}  verdict  (load 1/5/15)"
    ]
    base = cpu_per_request(bare, [get(bare.client(), "/") for _ in range(CLIENTS)])
    lines.append(f"{'bare view':14} {base:10.3f} {1:7.1f} {'':>7}  {'':7}  ({load()})")
    clients = [product.client() for _ in range(CLIENTS)]
    stopped = [
        walk(client, age=30 + i, stop_at="single-leg-squat") for i, client in enumerate(clients)
    ]
    done = [walk(product.client(), age=40 + i) for i in range(CLIENTS)]
    cases = {
        "step GET": [get(c, w.step) for c, w in zip(clients, stopped, strict=True)],
        "answer POST": [
            post(c, w.step, w.step_data or {}) for c, w in zip(clients, stopped, strict=True)
        ],
        "results": [get(c, w.results) for c, w in zip(clients, done, strict=True)],
        "plan page": [get(c, w.plan) for c, w in zip(clients, done, strict=True)],
    }
    for name, requests in cases.items():
        ms = cpu_per_request(product, requests)
        ratio, target = ms / base, TARGETS[name]
        verdict = "met" if ratio <= target else "NOT MET"
        limit = f"<={target}x"
        lines.append(f"{name:14} {ms:10.3f} {ratio:7.1f} {limit:>7}  {verdict:7}  ({load()})")
    return lines


def pdf_interference(product: Server, database: Path) -> list[str]:
    """Step-page p99 and throughput for SECONDS alone, then beside four fresh PDF downloads."""
    readers = [product.client() for _ in range(4)]
    steps = [walk(c, age=50 + i, stop_at="single-leg-squat").step for i, c in enumerate(readers)]
    requests = [get(c, s) for c, s in zip(readers, steps, strict=True)]

    def timed(seconds: float) -> tuple[float, float]:
        wall, latencies = run_batch(requests, 10**9, time.perf_counter() + seconds)
        return p99(latencies) * 1000, len(latencies) / wall

    timed(1)  # warm up
    alone_p99, alone_rps = timed(SECONDS)
    alone_load = load()
    downloaders = [product.client() for _ in range(4)]
    pdfs = [walk(c, age=60 + i).pdf for i, c in enumerate(downloaders)]
    stop = threading.Event()
    rendered = [0]

    def download(client: Client, path: str) -> None:
        send = fresh_pdf(client, path, database)
        while not stop.is_set():
            send()
            rendered[0] += 1

    threads = [
        threading.Thread(target=download, args=pair) for pair in zip(downloaders, pdfs, strict=True)
    ]
    for thread in threads:
        thread.start()
    time.sleep(1)
    busy_p99, busy_rps = timed(SECONDS)
    busy_load = load()
    stop.set()
    for thread in threads:
        thread.join()
    p99_ok = busy_p99 <= 2 * alone_p99
    rps_ok = busy_rps >= alone_rps / 2
    return [
        f"step GET, 4 clients, {SECONDS:.0f} s each:",
        f"  alone:            p99 {alone_p99:8.1f} ms, {alone_rps:7.1f} req/s  ({alone_load})",
        f"  with 4 PDF downloads rendering ({rendered[0]} PDFs):",
        f"                    p99 {busy_p99:8.1f} ms, {busy_rps:7.1f} req/s  ({busy_load})",
        f"  p99 x{busy_p99 / alone_p99:.1f} (target <= 2x): {'met' if p99_ok else 'NOT MET'}; "
        f"throughput x{busy_rps / alone_rps:.2f} (target >= 0.5x): "
        f"{'met' if rps_ok else 'NOT MET'}",
    ]


def rss_growth(pid: int, render: Request, early: int = 10, late: int = PDFS) -> list[str]:
    """Memory of the process that renders (``pid``, the job worker) after ``early`` and after
    ``late`` renders. Prints the memory every 100 renders, so a run cut short shows the trend.
    """
    for _ in range(early):
        render()
    first = rss_mb(pid)
    print(f"  {first:.0f} MB after {early} PDFs ({load()})", flush=True)
    started = time.perf_counter()
    for done in range(early + 1, late + 1):
        render()
        if done % 100 == 0:
            print(f"  {rss_mb(pid):.0f} MB after {done} PDFs ({load()})", flush=True)
    last = rss_mb(pid)
    growth = last / first - 1
    return [
        f"memory of the rendering process (pid {pid}): {first:.0f} MB after {early} PDFs, "
        f"{last:.0f} MB after {late} ({growth:+.0%}; target within 30%): "
        f"{'met' if abs(growth) <= 0.30 else 'NOT MET'}  "
        f"({late - early} renders in {time.perf_counter() - started:.0f} s, {load()})",
    ]


def main() -> None:
    parts = os.environ.get("BENCH_PARTS", "cpu,pdf,memory").split(",")
    print(
        f"bench/http_load.py: {os.cpu_count()} cores, shared with other work on this machine; "
        f"{WORKERS} gunicorn gthread workers, {CLIENTS} client threads, "
        f"{REQUESTS} requests a batch",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="valgus-bench-") as tmp:
        database = Path(tmp) / "db.sqlite3"
        env = production_env(database)
        prepare_product(env)
        bare_dir = make_bare_project(Path(tmp) / "bare")
        with (
            gunicorn("bare.wsgi:application", cwd=bare_dir, env=env, workers=WORKERS) as bare,
            gunicorn("valgus_app.wsgi:application", cwd=ROOT, env=env, workers=WORKERS) as product,
            job_worker(env) as worker,
        ):
            if "cpu" in parts:
                print(*cpu_table(product, bare), "", sep="\n", flush=True)
            if "pdf" in parts:
                print(*pdf_interference(product, database), "", sep="\n", flush=True)
            if "memory" in parts:
                client = product.client()
                render = fresh_pdf(client, walk(client).pdf, database)
                print(*rss_growth(worker, render), sep="\n")


if __name__ == "__main__":
    main()
