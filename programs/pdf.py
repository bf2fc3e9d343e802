"""The plan as a PDF: a lean print template, rendered by WeasyPrint and cached by content.

WeasyPrint may only read our own static files (the print stylesheet, the fonts shipped in the
repository and the exercise drawings); any other URL, local or remote, is refused, so a plan can
never make the server fetch something on its behalf.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import logging
import mimetypes
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from programs import printable
from programs.builder import Plan
from programs.render import plan_context
from questionnaire.engine import Answers

logger = logging.getLogger(__name__)

TEMPLATE = "programs/plan_pdf.html"
# What the print template includes: a change to one of them is a new PDF too.
PARTIALS = ("questionnaire/_screen_incomplete.html", "questionnaire/_tests_not_done.html")
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
STYLESHEET = "programs/plan-pdf.css"
PAPER_SIZES = {"a4": "A4", "letter": "letter"}


def static_dirs() -> list[Path]:
    return [Path(directory).resolve() for directory in settings.STATICFILES_DIRS]


def static_path(url: str) -> Path | None:
    """The file a file: URL names, if it lies under one of our static directories."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in {"", "localhost"}:
        return None
    path = Path(unquote(parts.path)).resolve()
    for directory in static_dirs():
        if path.is_relative_to(directory) and path.is_file():
            return path
    return None


class StaticOnlyFetcher(URLFetcher):
    """Serve files under the static directories from disk; refuse every other URL."""

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        path = static_path(url)
        if path is None:
            raise ValueError(f"refused to fetch {url!r}: only our static files may be used")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": kind})


# One parsed stylesheet and font configuration per thread (a Pango font map is not meant to be
# shared between threads). Parsing the stylesheet compiles every selector and loading the
# @font-face fonts builds a fontconfig configuration: about a tenth of a plan's render time,
# and the same for every plan, so it is done once, and again only when the stylesheet changes.
_prepared = threading.local()


def _stylesheet() -> tuple[CSS, FontConfiguration]:
    path = static_dirs()[0] / STYLESHEET
    source = path.read_text(encoding="utf-8")
    key = (path, source)
    if getattr(_prepared, "key", None) != key:
        font_config = FontConfiguration()
        css = CSS(
            string=source,
            base_url=path.as_uri(),
            url_fetcher=StaticOnlyFetcher(),
            font_config=font_config,
        )
        _prepared.key, _prepared.sheet = key, (css, font_config)
    sheet: tuple[CSS, FontConfiguration] = _prepared.sheet
    return sheet


# The garbage collector while rendering. A render builds some hundred thousand objects (boxes,
# styles, text layouts) that nearly all live until the PDF is written, and the collector's
# default pace scanned them hundreds of times a render, with every module Django and WeasyPrint
# loaded: a sixth of the render's CPU time. So, once per process, what is loaded before the first
# render is frozen out of the collector's sight (gc.freeze: it is never cyclic garbage), and
# during a render the collector runs rarely, with one collection once the PDF is out. Pausing the
# collector outright was faster still but let a worker grow by two thirds over 500 PDFs (issue
# 12); this way `make bench` shows it flat. Several threads may render at once (the web's
# fallback): the last one out restores the collector's usual pace.
RENDER_GC_THRESHOLD = 100_000
_gc_lock = threading.Lock()
_gc_state: dict[str, Any] = {"frozen": False, "rendering": 0, "threshold": None}


@contextmanager
def _few_collections() -> Iterator[None]:
    with _gc_lock:
        if not _gc_state["frozen"]:
            gc.collect()
            gc.freeze()
            _gc_state["frozen"] = True
        if _gc_state["rendering"] == 0:
            _gc_state["threshold"] = gc.get_threshold()
            gc.set_threshold(RENDER_GC_THRESHOLD, *_gc_state["threshold"][1:])
        _gc_state["rendering"] += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_state["rendering"] -= 1
            if _gc_state["rendering"] == 0:
                gc.set_threshold(*_gc_state["threshold"])
        gc.collect()


def render_pdf(*documents_html: str) -> bytes:
    """Render HTML documents with the plan stylesheet and shipped fonts into one PDF, in order.

    Anything printed with the plan (a physio's last page, say) goes through here, so every page
    gets the same fonts, stylesheet and static-only fetcher, and no character the fonts cannot
    draw (programs.printable): typed text prints whole or without it, never as an empty box.
    """
    base_url = static_dirs()[0].as_uri() + "/"
    stylesheet, font_config = _stylesheet()
    with _few_collections():
        documents = [
            HTML(
                string=printable.printable_text(html),
                base_url=base_url,
                url_fetcher=StaticOnlyFetcher(),
            ).render(stylesheets=[stylesheet], font_config=font_config)
            for html in documents_html
        ]
        pages = [page for document in documents for page in document.pages]
        # PDF/UA-1: tagged for screen readers, with the document's title and language.
        pdf: bytes = documents[0].copy(pages).write_pdf(pdf_variant="pdf/ua-1")
        del documents, pages
    return pdf


def plan_print_html(
    plan: Plan,
    *,
    paper: str,
    date: dt.date | None,
    answers: Answers | None = None,
    progress_chart: str = "",
    template: str = TEMPLATE,
    extra: Mapping[str, Any] | None = None,
    name: str = "",
) -> str:
    """The print template filled in: the plan's pages of every plan PDF.

    `progress_chart` is the follow-up's SVG chart (followup.progress), once anything is logged.
    ``template`` may be one that extends the print template (a physio's shared plan fills its
    blocks), so that the whole PDF is one document and its page count is right. ``name`` is the
    name a person typed for this download (programs.print_name), printed on page 1.
    """
    context = {
        **plan_context(plan, date=date, answers=answers),
        "paper": PAPER_SIZES.get(paper, "A4"),
        "progress_chart": progress_chart,
        "print_name": name,
    }
    return render_to_string(template, {**context, **(extra or {})})


def render_plan_pdf(
    plan: Plan, *, paper: str = "a4", date: dt.date | None = None, answers: Answers | None = None
) -> bytes:
    """Render the print template to PDF bytes."""
    return render_pdf(plan_print_html(plan, paper=paper, date=date, answers=answers))


def template_version() -> str:
    """Changes whenever the print template, its stylesheet or what can print changes: the
    fonts, and the rule that fits typed text to them (programs.printable)."""
    files = [
        TEMPLATES_DIR / TEMPLATE,
        *(TEMPLATES_DIR / partial for partial in PARTIALS),
        *(d / STYLESHEET for d in static_dirs()),
        *(printable.FONTS_DIR / font for font in printable.FONTS),
        Path(printable.__file__),
    ]
    # Every plan page asks (to queue its PDF): hash the files again only when one changed.
    stamp = tuple((f, f.stat().st_mtime_ns, f.stat().st_size) for f in files if f.is_file())
    if _template_version.get("stamp") != stamp:
        digest = hashlib.sha256()
        for path, _, _ in stamp:
            digest.update(path.read_bytes())
        _template_version.update(stamp=stamp, version=digest.hexdigest()[:16])
    version: str = _template_version["version"]
    return version


_template_version: dict[str, Any] = {}


def cache_key(
    plan: Plan,
    *,
    answers: Mapping[str, Any],
    paper: str,
    date: dt.date,
    progress: str = "",
    name: str = "",
) -> str:
    """The PDF's content key. A typed name is part of it, so no name prints on another's PDF;
    without one the key is the one the plan page's pre-rendered PDF is stored under."""
    named = {"name": name} if name else {}
    material = json.dumps(
        {
            **named,
            "progress": progress,
            "answers": dict(answers),
            "rules": plan.assessment.rules_version,
            "plan": plan.plan_version,
            "template": template_version(),
            "paper": paper,
            "date": date.isoformat(),
        },
        sort_keys=True,
    )
    return "plan-pdf:" + hashlib.sha256(material.encode("utf-8")).hexdigest()
