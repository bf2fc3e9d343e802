"""Invite links and share links: the client's side, with no account."""

from __future__ import annotations

import datetime as dt
import io
import logging

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from physios.models import ClientAssessment, Invite, PlanVersion, ShareLink, hash_token
from questionnaire.models import Assessment

pytestmark = pytest.mark.django_db


def test_it_stores_only_the_hash_of_a_link_token(invite):
    stored = Invite.objects.values().get(pk=invite.pk)
    assert invite.token not in stored.values()
    assert stored["token_hash"] == hash_token(invite.token)
    assert len(invite.token) >= 43  # 256 bits in URL-safe base64


def test_every_link_gets_a_different_token(jd):
    tokens = {
        Invite.objects.create(client=jd, expires_at=Invite.default_expiry()).token
        for _ in range(20)
    }
    assert len(tokens) == 20


def test_the_invite_page_names_the_physio_and_asks_for_consent(client, invite):
    response = client.get(reverse("physios:invite", args=[invite.token]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Alice Ward has asked you" in html
    assert 'name="consent"' in html
    assert response["Referrer-Policy"] == "strict-origin"
    assert "no-store" in response["Cache-Control"]


def test_agreeing_starts_an_assessment_attached_to_the_client(client, invite, jd):
    response = client.post(reverse("physios:invite", args=[invite.token]), {"consent": "yes"})
    assert response.status_code == 302
    link = ClientAssessment.objects.get(client=jd)
    assert link.invite == invite
    assert client.session["assessment_token"] == link.assessment.token
    assert link.assessment.token in response["Location"] or response["Location"] == reverse(
        "questionnaire:start"
    )
    invite.refresh_from_db()
    assert invite.used_at is not None


def test_it_needs_the_consent_box(client, invite):
    response = client.post(reverse("physios:invite", args=[invite.token]), {})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not Assessment.objects.exists()


def test_an_invite_works_only_once(client, invite, django_user_model):
    client.post(reverse("physios:invite", args=[invite.token]), {"consent": "yes"})
    # The same person coming back is sent on to their questionnaire ...
    assert client.get(reverse("physios:invite", args=[invite.token])).status_code == 302
    # ... anyone else learns the link is used, and no second assessment starts.
    from django.test import Client as Browser

    other = Browser()
    assert other.get(reverse("physios:invite", args=[invite.token])).status_code == 410
    assert (
        other.post(reverse("physios:invite", args=[invite.token]), {"consent": "yes"}).status_code
        == 410
    )
    assert Assessment.objects.count() == 1


def test_an_expired_invite_is_gone(client, invite):
    Invite.objects.filter(pk=invite.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(reverse("physios:invite", args=[invite.token]))
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_a_revoked_invite_is_gone(client, invite, as_alice, jd):
    as_alice.post(reverse("physios:invite_revoke", args=[jd.pk, invite.pk]))
    browser = client.__class__()
    assert browser.get(reverse("physios:invite", args=[invite.token])).status_code == 404


@pytest.mark.parametrize("token", ["A" * 43, "short", "x" * 65, "../../etc/passwd", "a" * 42 + "!"])
def test_a_guessed_or_broken_token_is_a_plain_404(client, token):
    for name in ("physios:invite", "physios:shared_plan", "physios:shared_plan_pdf"):
        url = reverse(name, args=["A" * 43]).replace("A" * 43, token)
        assert client.get(url).status_code == 404


def test_a_token_with_nul_characters_is_refused(client):
    # NUL is refused everywhere with the clear 400 page (issue 13).
    url = reverse("physios:shared_plan", args=["A" * 43]).replace("A" * 43, "%00" * 20)
    assert client.get(url).status_code == 400


def test_the_shared_plan_shows_the_published_version_and_notes(client, share):
    response = client.get(reverse("physios:shared_plan", args=[share.token]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "adjusted for you by Alice Ward" in html
    assert "Start gently." in html
    assert "version 1," in html
    assert "PDF" in html
    assert response["Referrer-Policy"] == "strict-origin"


def test_the_shared_plan_pdf_downloads(client, share):
    response = client.get(reverse("physios:shared_plan_pdf", args=[share.token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(page.extract_text() for page in pages)
    assert "From Alice Ward: Start gently." in text
    last = pages[-1].extract_text()
    assert "Your plan online" in last
    assert share.token[:20] in last.replace("\n", "")


def test_the_shared_pdf_keeps_the_plans_layout_and_adds_the_physio_page(client, share):
    # The plan's pages keep the plan's stylesheet and fonts: without them the same plan sprawls
    # over twice as many pages. Compared with the same answers' plan for someone not invited.
    shared = client.get(reverse("physios:shared_plan_pdf", args=[share.token])).content
    anonymous = Assessment.objects.create(
        answers=share.client_assessment.assessment.answers, completed_at=timezone.now()
    )
    own = client.get(reverse("programs:plan_pdf", args=[anonymous.plan_token]))
    assert own["Content-Type"] == "application/pdf"
    own_pages = len(PdfReader(io.BytesIO(own.content)).pages)
    assert len(PdfReader(io.BytesIO(shared)).pages) in (own_pages + 1, own_pages + 2)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_every_page_of_the_shared_pdf_counts_all_its_pages(client, share, paper):
    url = reverse("physios:shared_plan_pdf", args=[share.token]) + f"?paper={paper}"
    pages = PdfReader(io.BytesIO(client.get(url).content)).pages
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page.extract_text()
    assert "Your plan online" in pages[-1].extract_text()


def test_page_one_of_the_shared_pdf_names_the_client_and_the_physio_with_contact(client, share):
    url = reverse("physios:shared_plan_pdf", args=[share.token])
    first = PdfReader(io.BytesIO(client.get(url).content)).pages[0].extract_text()
    assert "For J.D." in first
    assert "From Alice Ward · alice@example.org" in first


def test_a_renamed_client_never_gets_the_pdf_made_with_the_old_name(client, share):
    url = reverse("physios:shared_plan_pdf", args=[share.token])
    client.get(url)
    share.client_assessment.client.display_name = "Jo Dean"
    share.client_assessment.client.save()
    first = PdfReader(io.BytesIO(client.get(url).content)).pages[0].extract_text()
    assert "For Jo Dean" in first
    assert "J.D." not in first


def test_what_the_physio_typed_prints_whole_or_without_what_the_fonts_lack(client, share, caplog):
    # Issue 11: typed text, emoji included, is printed or cleanly replaced, never an empty box.
    # Greek, Cyrillic and Romanian letters print; an emoji and Chinese are left out; a styled
    # letter falls back to its plain form.
    PlanVersion.objects.filter(client_assessment=share.client_assessment).update(
        notes="Ștefan, Łukasz, Привет, Ελλάδα: go slowly 👍🏽 加油 on the 𝐬𝐭𝐞𝐩𝐬. 👨\u200d👩\u200d👧"
    )
    client_row = share.client_assessment.client
    client_row.display_name = "Zoë 🌟"
    client_row.save()
    url = reverse("physios:shared_plan_pdf", args=[share.token])
    with caplog.at_level("WARNING", logger="weasyprint"):
        pages = PdfReader(io.BytesIO(client.get(url).content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Ștefan, Łukasz, Привет, Ελλάδα: go slowly on the steps." in text
    assert "For Zoë" in text
    assert not [r for r in caplog.records if ".notdef" in r.getMessage()]


def test_the_pdf_can_be_had_on_us_letter(client, share):
    url = reverse("physios:shared_plan_pdf", args=[share.token]) + "?paper=letter"
    page = PdfReader(io.BytesIO(client.get(url).content)).pages[0]
    assert round(float(page.mediabox.width)) == 612


def test_an_expired_share_link_is_gone(client, share):
    ShareLink.objects.filter(pk=share.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert client.get(reverse("physios:shared_plan", args=[share.token])).status_code == 404
    assert client.get(reverse("physios:shared_plan_pdf", args=[share.token])).status_code == 404


def test_a_revoked_share_link_is_gone_at_once(client, share, as_alice, jd, jd_assessment):
    url = reverse("physios:shared_plan", args=[share.token])
    assert client.get(url).status_code == 200
    as_alice.post(reverse("physios:share_revoke", args=[jd.pk, jd_assessment.pk, share.pk]))
    assert client.get(url).status_code == 404
    assert client.get(reverse("physios:shared_plan_pdf", args=[share.token])).status_code == 404


def test_token_endpoints_are_rate_limited(client):
    url = reverse("physios:shared_plan", args=["B" * 43])
    statuses = [client.get(url).status_code for _ in range(31)]
    assert statuses[:30] == [404] * 30
    assert statuses[30] == 429
    assert "Too many tries" in client.get(url).content.decode()


def test_tokens_never_reach_the_log(client, caplog):
    token = "C" * 43
    client.get(reverse("physios:shared_plan", args=[token]))
    logged = caplog.text
    assert "Not Found: /physio/plan/[redacted]/" in logged
    assert token not in logged


def test_the_log_filter_redacts_tokens_in_any_message():
    from valgus_app.redact import RedactTokens

    token = "Zx9_" + "k" * 39
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"GET /physio/plan/%s/ HTTP/1.1" 200',
        (token,),
        None,
    )
    RedactTokens().filter(record)
    assert token not in record.getMessage()
    assert "/physio/plan/[redacted]/" in record.getMessage()


def test_a_version_stored_in_an_older_plan_shape_stays_readable(client, share):
    from physios.models import PlanVersion

    old = PlanVersion.objects.get()
    plan = {key: value for key, value in old.plan.items() if key != "pain_guide"}
    plan["phases"][0]["exercises"][0].pop("steps")
    PlanVersion.objects.filter(pk=old.pk).update(plan=plan)
    page = client.get(reverse("physios:shared_plan", args=[share.token]))
    assert page.status_code == 200
    assert plan["phases"][0]["exercises"][0]["name"] in page.content.decode()
    assert client.get(reverse("physios:shared_plan_pdf", args=[share.token])).status_code == 404
