"""A published plan as a PDF: the plan's print template, filled in for a physio's client.

``physios/plan_pdf.html`` extends the plan's print template: who the plan is for and whom it is
from on page 1, the physio's wording in the referral box, and a last page with their notes and
the QR code of the share link. It is one document, so "Page N of M" counts every page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from django.utils.safestring import SafeString

from programs import pdf
from programs.builder import Plan

TEMPLATE = "physios/plan_pdf.html"
TEMPLATE_FILES = [
    Path(pdf.TEMPLATES_DIR) / "physios" / name
    for name in ("plan_pdf.html", "_referral_physio.html")
]


def shared_pdf_key(key_parts: tuple[object, ...]) -> str:
    """A share link's PDF key: a published version never changes, only the templates may."""
    ours = [path.read_bytes() for path in TEMPLATE_FILES]
    material = repr((*key_parts, pdf.template_version(), *ours)).encode()
    return "physio-plan-pdf:" + hashlib.sha256(material).hexdigest()


def shared_pdf_documents(
    plan: Plan,
    *,
    paper: str,
    date: dt.date,
    physio: str,
    physio_email: str,
    client: str,
    version: int,
    notes: str,
    url: str,
    qr: SafeString,
) -> list[str]:
    """The HTML of the shared plan's PDF: one document."""
    extra = {
        "physio_name": physio,
        "physio_email": physio_email,
        "client_name": client,
        "version_number": version,
        "notes": notes,
        "url": url,
        "qr": qr,
    }
    return [pdf.plan_print_html(plan, paper=paper, date=date, template=TEMPLATE, extra=extra)]
