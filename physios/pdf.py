"""A published plan as a PDF: the plan issue's print template, plus a last page with the link.

The plan pages come from ``programs.pdf`` exactly as for anyone else; the physio's page (their
notes and the QR code of the share link) is a second small document whose page is appended, so
the plan's own template needs no physio-specific hooks.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from programs import pdf
from programs.builder import Plan

CACHE_SECONDS = 60 * 60 * 24


def render_shared_pdf(
    plan: Plan, *, paper: str, date: dt.date, physio: str, notes: str, url: str, qr: SafeString
) -> bytes:
    link_page = render_to_string(
        "physios/plan_pdf_link.html",
        {
            "paper": pdf.PAPER_SIZES.get(paper, "A4"),
            "physio": physio,
            "notes": notes,
            "url": url,
            "qr": qr,
            "date": date,
        },
    )
    return pdf.render_pdf(pdf.plan_print_html(plan, paper=paper, date=date), link_page)


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
    return pdf.cached_pdf(
        key,
        lambda: render_shared_pdf(
            plan, paper=paper, date=date, physio=physio, notes=notes, url=url, qr=qr
        ),
        CACHE_SECONDS,
    )
