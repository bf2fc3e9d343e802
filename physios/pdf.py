"""A published plan as a PDF: the plan issue's print template, plus a last page with the link.

The plan pages come from ``programs.pdf`` exactly as for anyone else; the physio's page (their
notes and the QR code of the share link) is a second small document whose page is appended, so
the plan's own template needs no physio-specific hooks.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from weasyprint import HTML

from programs import pdf
from programs.builder import Plan
from programs.render import plan_context

CACHE_SECONDS = 60 * 60 * 24


def _html(html: str) -> HTML:
    base_url = pdf.static_dirs()[0].as_uri() + "/"
    return HTML(string=html, base_url=base_url, url_fetcher=pdf.StaticOnlyFetcher())


def render_shared_pdf(
    plan: Plan, *, paper: str, date: dt.date, physio: str, notes: str, url: str, qr: SafeString
) -> bytes:
    size = pdf.PAPER_SIZES.get(paper, "A4")
    main = render_to_string(
        pdf.TEMPLATE, {**plan_context(plan, date=date), "paper": size, "stylesheet": pdf.STYLESHEET}
    )
    extra = render_to_string(
        "physios/plan_pdf_link.html",
        {"paper": size, "physio": physio, "notes": notes, "url": url, "qr": qr, "date": date},
    )
    document = _html(main).render()
    link_page = _html(extra).render()
    body: bytes = document.copy([*document.pages, *link_page.pages]).write_pdf()
    return body


def cached_shared_pdf(
    key_parts: tuple[object, ...],
    plan: Plan,
    *,
    paper: str,
    date: dt.date,
    physio: str,
    notes: str,
    url: str,
    qr: SafeString,
) -> bytes:
    """Cache a share link's PDF: a published version never changes, only the template may."""
    material = repr((*key_parts, pdf.template_version())).encode()
    key = "physio-plan-pdf:" + hashlib.sha256(material).hexdigest()
    body = cache.get(key)
    if isinstance(body, bytes):
        return body
    body = render_shared_pdf(
        plan, paper=paper, date=date, physio=physio, notes=notes, url=url, qr=qr
    )
    cache.set(key, body, CACHE_SECONDS)
    return body
