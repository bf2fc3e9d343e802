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


def shared_pdf_key(key_parts: tuple[object, ...]) -> str:
    """A share link's PDF key: a published version never changes, only the template may."""
    material = repr((*key_parts, pdf.template_version())).encode()
    return "physio-plan-pdf:" + hashlib.sha256(material).hexdigest()


def shared_pdf_documents(
    plan: Plan, *, paper: str, date: dt.date, physio: str, notes: str, url: str, qr: SafeString
) -> list[str]:
    """The plan's pages and the physio's last page, as the HTML documents of one PDF."""
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
    return [pdf.plan_print_html(plan, paper=paper, date=date), link_page]
