"""Time the knee-angle tool's pose model in this machine's Chromium, and weigh the step page.

Run with `make bench` (or `python bench/knee_angle.py`). It starts the development server on a
throwaway SQLite file (it serves the static files), opens the single-leg squat page in headless
Chromium (CPU only, the site's own CSP) and prints:

- the step page's gzipped weight, and how much of it the knee-angle box and loader add;
- the model's download size and load time: start (script, WebAssembly, graph) and first run
  (it fetches the weights then);
- the time from pressing "Suggest the points" to the points shown on a photo, model loaded;
- the same on a 2.5 s video, where the model first searches for the deepest frame.

Headless Chromium here has no GPU: MediaPipe's WebGL steps run in software (SwiftShader), so a
phone with a GPU is much faster than these figures.
"""

from __future__ import annotations

import gzip
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PORT = int(os.environ.get("BENCH_PORT", "8766"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CHROMIUM = "/usr/bin/chromium"
DATA = ROOT / "tests" / "browser" / "data"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _server(database: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_DEBUG": "true"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*manage, "createcachetable"], env=env, check=True)
    token = (
        subprocess.run(
            [*manage, "shell", "-c", _CREATE], env=env, check=True, capture_output=True, text=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    env["BENCH_TOKEN"] = token
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{PORT}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    server.token = token  # type: ignore[attr-defined]
    return server


_CREATE = """
from questionnaire.models import Assessment
from tests.personas import QUIET
answers = {k: v for k, v in QUIET.items() if not k.startswith(("sls_", "fppa"))}
print(Assessment.objects.create(answers=answers, step="single-leg-squat").token)
"""


def _weight(url: str) -> tuple[int, int]:
    html = urllib.request.urlopen(url).read().decode()
    box = re.search(r"<section class=\"knee-angle\".*?</section>", html, re.S)
    loader = re.search(r'<script src="([^"]*knee-angle-loader\.js)"[^>]*></script>', html)
    assert box and loader, "the knee-angle box is not on the page"
    without = html.replace(box.group(0), "").replace(loader.group(0), "")
    script = (ROOT / "static" / "questionnaire" / "knee-angle-loader.js").read_bytes()
    whole = len(gzip.compress(html.encode())) + len(gzip.compress(script))
    return whole, whole - len(gzip.compress(without.encode()))


def _open_tool(page: Page, url: str, media: Path) -> None:
    page.goto(url)
    page.get_by_role("button", name="Open the angle tool").click()
    page.locator("[data-file=choose]").set_input_files(media)
    page.locator("[data-status]").filter(has_text="opened").wait_for()


def _suggest(page: Page) -> float:
    started = time.perf_counter()
    page.get_by_role("button", name="Suggest the points").click()
    page.locator("[data-suggest-status]").filter(has_text="Points suggested").wait_for(
        timeout=600_000
    )
    return (time.perf_counter() - started) * 1000


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        server = _server(str(Path(folder) / "bench.sqlite3"))
        try:
            url = f"http://127.0.0.1:{PORT}/a/{server.token}/q/single-leg-squat/"  # type: ignore[attr-defined]
            whole, added = _weight(url)
            print(
                f"step page, gzipped: {whole} bytes; the knee-angle box and loader: {added} bytes"
            )
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                page = browser.new_page(viewport={"width": 390, "height": 844})
                page.set_default_timeout(600_000)
                fetched: list[int] = []
                page.on(
                    "requestfinished",
                    lambda r: (
                        fetched.append(r.sizes()["responseBodySize"])
                        if "/vendor/" in r.url
                        else None
                    ),
                )
                _open_tool(page, url, DATA / "person.jpg")
                start, first = page.evaluate(
                    """async (vendor) => {
                      const t0 = performance.now();
                      const { loadPose } = await import('/static/questionnaire/knee-angle-pose.js');
                      const model = await loadPose(vendor);
                      const t1 = performance.now();
                      await model.detect(document.querySelector('[data-canvas]'));
                      return [t1 - t0, performance.now() - t1];
                    }""",
                    "/static/vendor/mediapipe-pose/",
                )
                print(f"model download: {sum(fetched) / 1e6:.1f} MB in {len(fetched)} files")
                print(f"model start (script, WebAssembly compiled, graph set up): {start:.0f} ms")
                print(f"model's first run (weights fetched, first inference): {first:.0f} ms")
                warm = [_suggest(page) for _ in range(ROUNDS)]
                print(
                    "suggest to points shown, photo, model loaded:"
                    f" median {statistics.median(warm):.0f} ms over {ROUNDS}"
                )
                page.locator("[data-file=choose]").set_input_files(DATA / "person-squat.webm")
                page.locator("[data-status]").filter(has_text="opened").wait_for()
                video = _suggest(page)
                print(f"suggest on a 2.5 s video (deepest frame, then points): {video:.0f} ms")
                browser.close()
        finally:
            server.terminate()
            server.wait()
    load_average = os.getloadavg()[0]
    print(f"(load average while measuring: {load_average:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
