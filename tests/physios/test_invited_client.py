"""A client a physio invited gets one plan, from the physio, and is never told to book one."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from physios.models import ClientAssessment, Invite, ShareLink
from physios.views import version_publish
from programs.builder import plan_for
from questionnaire.models import Assessment
from tests.personas import ROUTINE, URGENT, WEAK_HIP_RUNNER

pytestmark = pytest.mark.django_db


def _invited(jd, answers) -> ClientAssessment:
    invite = Invite.objects.create(
        client=jd, expires_at=Invite.default_expiry(), used_at=timezone.now()
    )
    assessment = Assessment.objects.create(
        answers=answers, completed_at=timezone.now(), step="check"
    )
    return ClientAssessment.objects.create(client=jd, assessment=assessment, invite=invite)


def _publish(link: ClientAssessment, physio) -> None:
    plan = plan_for(link.assessment.valid_answers())
    version_publish(link=link, plan=plan, notes="", physio=physio)


def _share(link: ClientAssessment) -> ShareLink:
    return ShareLink.objects.create(
        client_assessment=link, expires_at=timezone.now() + dt.timedelta(days=7)
    )


def _text(response) -> str:
    return " ".join(response.content.decode().split())


def _first_exercise(link: ClientAssessment) -> str:
    return plan_for(link.assessment.valid_answers()).phases[0].exercises[0].name


def test_before_publishing_the_results_name_the_physio_and_offer_no_automatic_plan(client, jd):
    link = _invited(jd, WEAK_HIP_RUNNER)
    page = client.get(reverse("questionnaire:results", args=[link.assessment.token]))
    html = _text(page)
    assert page.status_code == 200
    assert "Your answers have gone to <strong>Alice Ward</strong>" in html
    assert "will look at them and send you your exercise plan" in html
    assert "alice@example.org" in html
    assert reverse("programs:plan", args=[link.assessment.plan_token]) not in html
    assert reverse("programs:plan_pdf", args=[link.assessment.plan_token]) not in html


@pytest.mark.parametrize("name", ["programs:plan", "programs:plan_pdf"])
def test_the_automatic_plan_and_its_pdf_say_the_plan_comes_from_the_physio(client, jd, name):
    link = _invited(jd, WEAK_HIP_RUNNER)
    page = client.get(reverse(name, args=[link.assessment.plan_token]))
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    html = _text(page)
    assert "Your plan comes from Alice Ward" in html
    assert _first_exercise(link) not in html


def test_once_published_the_results_say_a_link_is_coming_and_then_lead_to_it(client, jd, alice):
    link = _invited(jd, WEAK_HIP_RUNNER)
    _publish(link, alice)
    results = reverse("questionnaire:results", args=[link.assessment.token])
    assert "will send you a link to it" in _text(client.get(results))
    share = _share(link)
    html = _text(client.get(results))
    assert reverse("physios:shared_plan", args=[share.token]) in html
    assert "See your plan from Alice Ward" in html
    plan_page = _text(client.get(reverse("programs:plan", args=[link.assessment.plan_token])))
    assert reverse("physios:shared_plan", args=[share.token]) in plan_page
    share.revoke()
    assert reverse("physios:shared_plan", args=[share.token]) not in _text(client.get(results))


def test_advice_to_see_a_doctor_first_still_shows_to_an_invited_client(client, jd):
    link = _invited(jd, URGENT)
    page = client.get(reverse("programs:plan", args=[link.assessment.plan_token]))
    html = _text(page)
    assert "Get your knee checked first" in html
    assert "Your plan comes from" not in html


def test_someone_not_invited_still_gets_the_automatic_plan(client):
    assessment = Assessment.objects.create(
        answers=WEAK_HIP_RUNNER, completed_at=timezone.now(), step="check"
    )
    results = _text(client.get(reverse("questionnaire:results", args=[assessment.token])))
    assert reverse("programs:plan", args=[assessment.plan_token]) in results
    assert "Your answers have gone to" not in results
    plan = _text(client.get(reverse("programs:plan", args=[assessment.plan_token])))
    assert plan_for(assessment.valid_answers()).phases[0].exercises[0].name in plan


def test_the_shared_plan_of_a_routine_result_names_the_physio_instead_of_a_booking(
    client, jd, alice
):
    link = _invited(jd, ROUTINE)
    plan = plan_for(link.assessment.valid_answers())
    assert plan.assessment.triage.level == "routine"
    _publish(link, alice)
    share = _share(link)
    page = _text(client.get(reverse("physios:shared_plan", args=[share.token])))
    pdf = client.get(reverse("physios:shared_plan_pdf", args=[share.token])).content
    first = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for shown in (page, " ".join(first.split())):
        assert "Go over these with Alice Ward" in shown
        # "Book an assessment" or "book the assessment" (a thick book as a step is fine).
        assert not re.search(r"\bbook (an?|the) ", shown.lower())
        for flag in plan.assessment.red_flags:
            assert flag.title in shown
    # The same answers without a physio still get the advice to book an assessment.
    anonymous = Assessment.objects.create(answers=ROUTINE, completed_at=timezone.now())
    own = _text(client.get(reverse("programs:plan", args=[anonymous.plan_token])))
    assert "Book an assessment" in own
