"""The name a person may have printed on their plan PDF: cleaning, the cache key, the download,
and what is kept of it (nothing)."""

from __future__ import annotations

import io
from unittest import mock

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from markupsafe import escape
from pypdf import PdfReader

from programs import pdf
from programs.builder import plan_for
from programs.print_name import MAX_LENGTH, clean_print_name
from programs.printable import printable_code_points
from questionnaire.models import Assessment
from tests.personas import FOOTBALLER
from tests.programs.pango import needs_weasyprint


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("  Sam  ", "Sam"),
        ("Sam\t  van\n der Berg", "Sam van der Berg"),
        ("Zoë O'Brien-Łukasz", "Zoë O'Brien-Łukasz"),
        ("Ze\u0301", "Zé"),  # composed, as the font draws it
        ("<b>Sam</b> & co", "<b>Sam</b> & co"),  # text, escaped when printed
        ("Sam 💪", "Sam"),  # an emoji the fonts cannot draw is left out, not a box
        ("", ""),
        ("   ", ""),
    ],
)
def test_a_name_is_stripped_collapsed_and_kept_to_what_the_fonts_draw(typed, printed):
    result = clean_print_name(typed)
    assert not result.error
    assert result.name == printed
    assert result.left_out == ("💪" in typed)
    assert all(ord(c) in printable_code_points() for c in result.name)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("x" * (MAX_LENGTH + 1), f"at most {MAX_LENGTH} characters"),
        ("Sam\x07", "control character"),
        ("Sam\x1b[31m", "control character"),
        ("💪🙂", "None of these characters can be printed"),
    ],
)
def test_a_name_that_cannot_be_printed_says_why(typed, message):
    result = clean_print_name(typed)
    assert result.name == ""
    assert message in result.error


def test_the_longest_name_allowed_is_kept_whole():
    assert clean_print_name("y" * MAX_LENGTH).name == "y" * MAX_LENGTH
    # Whitespace collapsed first: spaces do not count against the limit.
    assert clean_print_name("a" + " " * 100 + "b").name == "a b"


def test_the_name_is_part_of_the_cache_key_and_no_name_keeps_todays_key():
    plan = plan_for(FOOTBALLER)
    date = timezone.localdate()

    def key(**name: str) -> str:
        return pdf.cache_key(plan, answers=FOOTBALLER, paper="a4", date=date, **name)

    unnamed = key()
    assert key(name="") == unnamed
    sam, alex = key(name="Sam"), key(name="Alex")
    assert len({unnamed, sam, alex}) == 3
    assert "Sam" not in sam  # a hash: the key does not carry the name


pytestmark_db = pytest.mark.django_db


def done() -> Assessment:
    return Assessment.objects.create(answers=FOOTBALLER, completed_at=timezone.now())


def pdf_url(assessment: Assessment) -> str:
    return reverse("programs:plan_pdf", args=[assessment.plan_token])


@pytestmark_db
def test_the_plan_page_offers_the_name_form_to_the_pdf(client: Client):
    assessment = done()
    html = client.get(reverse("programs:plan", args=[assessment.plan_token])).content.decode()
    assert "Name to print on the PDF (optional)" in html
    assert f'action="{pdf_url(assessment)}"' in html and 'method="get"' in html
    assert 'name="name"' in html and 'name="paper"' in html
    assert f'maxlength="{MAX_LENGTH}"' in html


@needs_weasyprint
@pytestmark_db
def test_the_name_prints_on_page_one(client: Client):
    response = client.get(pdf_url(done()), {"name": "  Sam   Quill 💪 ", "paper": "letter"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-letter.pdf"')
    reader = PdfReader(io.BytesIO(response.content))
    assert "Plan for: Sam Quill" in reader.pages[0].extract_text()
    assert not any("Sam Quill" in page.extract_text() for page in reader.pages[1:])


@pytestmark_db
def test_two_names_never_share_a_pdf_and_no_name_is_the_plan_pages_pdf(client: Client):
    assessment = done()
    with mock.patch("programs.pdf.render_pdf", side_effect=lambda html: html.encode()) as render:
        client.get(reverse("programs:plan", args=[assessment.plan_token]))  # queues the unnamed
        sam = client.get(pdf_url(assessment), {"name": "Sam"})
        alex = client.get(pdf_url(assessment), {"name": "Alex"})
        unnamed = client.get(pdf_url(assessment))
        sam_again = client.get(pdf_url(assessment), {"name": "Sam"})
    assert b"Plan for: <strong>Sam</strong>" in sam.content
    assert b"Plan for: <strong>Alex</strong>" in alex.content and b"Sam" not in alex.content
    assert b"Plan for" not in unnamed.content
    assert sam_again.content == sam.content
    # The unnamed PDF rendered once (queued by the page, served from the cache); each named
    # one is rendered for its download and then dropped, so Sam's second download renders again.
    assert render.call_count == 4


@pytestmark_db
def test_the_name_is_escaped_in_the_print_template(client: Client):
    with mock.patch("programs.pdf.render_pdf", side_effect=lambda html: html.encode()):
        response = client.get(pdf_url(done()), {"name": "<img src=x>"})
    assert b"&lt;img src=x&gt;" in response.content and b"<img src=x>" not in response.content


@pytestmark_db
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("x" * 61, "at most 60 characters long; this one has 61"),
        ("Sam\x07", "control character"),
        ("🙂", "None of these characters can be printed"),
    ],
)
def test_a_name_that_cannot_be_printed_is_a_clear_message_on_the_plan_page(
    client: Client, typed, message
):
    assessment = done()
    with mock.patch("programs.pdf.render_pdf") as render:
        response = client.get(pdf_url(assessment), {"name": typed, "paper": "letter"})
    assert response.status_code == 400
    assert render.call_count == 0
    html = response.content.decode()
    assert "programs/plan.html" in [t.name for t in response.templates]
    assert message in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="pdf-name-hint pdf-name-error"' in html
    # Nothing typed is lost: the field keeps it (escaped), the paper choice too.
    assert f'value="{escape(typed)}"' in html
    assert '<option value="letter" selected>' in html


@pytestmark_db
def test_a_nul_in_the_name_is_refused_before_the_view(client: Client):
    response = client.get(pdf_url(done()) + "?name=Sam%00")
    assert response.status_code == 400


@pytestmark_db
def test_the_name_is_not_kept_in_the_session_the_database_or_the_cache(client: Client):
    from django.apps import apps
    from django.core import serializers

    assessment = done()
    plan = plan_for(assessment.valid_answers())
    with mock.patch("programs.pdf.render_pdf", side_effect=lambda html: html.encode()):
        response = client.get(pdf_url(assessment), {"name": "Quillon Marsh"})
    assert b"Quillon Marsh" in response.content
    assert "Quillon" not in repr(dict(client.session.items()))
    for model in apps.get_models():
        assert "Quillon" not in serializers.serialize("json", model._default_manager.all()), model
    date = timezone.localdate(assessment.completed_at)
    key = pdf.cache_key(
        plan, answers=assessment.valid_answers(), paper="a4", date=date, name="Quillon Marsh"
    )
    assert caches["pdf"].get(key) is None
