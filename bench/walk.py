"""An HTTP client that talks to the site as the TLS proxy forwards a browser, and a walk.

Shared by bench/http.py and bench/smoke.py. Every request carries `X-Forwarded-Proto: https`
(the proxy sets it; the production settings trust it) and, for POSTs, the `Origin` a browser
sends, which Django's CSRF check requires on HTTPS.
"""

from __future__ import annotations

import http.client
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.personas import WEAK_HIP_RUNNER, form_data  # noqa: E402

Response = tuple[int, dict[str, str], bytes]


class Client:
    """One browser: its own keep-alive connection and cookie jar."""

    def __init__(self, host: str, port: int, timeout: float = 60) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def request(
        self,
        method: str,
        path: str,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        headers = {"X-Forwarded-Proto": "https", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{self.host}:{self.port}"
        for attempt in (1, 2):  # a kept-alive connection the server closed is opened again
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, self.timeout)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (ConnectionError, http.client.HTTPException):
                self.close()
                if attempt == 2:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, content

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def csrf_token(html: bytes) -> str:
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not match:
        raise AssertionError("the form carries no CSRF token")
    return match.group(1).decode()


def expect(response: Response, status: int, what: str) -> Response:
    if response[0] != status:
        raise AssertionError(f"{what}: expected {status}, got {response[0]}")
    return response


@dataclass
class Walked:
    """Where a walk left an assessment: a step to show or answer, or its results and plan."""

    step: str = ""
    step_data: dict[str, str] | None = None
    results: str = ""
    plan: str = ""
    pdf: str = ""


def walk(client: Client, *, age: int = 29, stop_at: str = "") -> Walked:
    """Answer every page as the weak-hip runner (of the given age), or stop on page ``stop_at``."""
    answers = {**form_data(WEAK_HIP_RUNNER), "age": str(age)}
    path, walked = "/start/", Walked()
    while "/q/" in path or path == "/start/":
        _, _, html = expect(client.request("GET", path), 200, f"GET {path}")
        data = {**answers, "csrfmiddlewaretoken": csrf_token(html)}
        if stop_at and path.rstrip("/").endswith("/" + stop_at):
            walked.step, walked.step_data = path, data
            return walked
        _, headers, _ = expect(client.request("POST", path, data), 302, f"POST {path}")
        path = headers["location"]
    _, _, html = expect(client.request("GET", path), 200, f"GET {path}")
    data = {"csrfmiddlewaretoken": csrf_token(html)}
    _, headers, _ = expect(client.request("POST", path, data), 302, f"POST {path}")
    walked.results = headers["location"]
    _, _, html = expect(client.request("GET", walked.results), 200, "GET results")
    links = [
        link for link in re.findall(rb'href="(/plan/[^"]+/)"', html) if not link.endswith(b"/pdf/")
    ]
    if not links:
        raise AssertionError("the results page links to no plan")
    walked.plan = links[0].decode()
    walked.pdf = walked.plan + "pdf/"
    return walked
