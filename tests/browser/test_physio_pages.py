"""The physio pages and the client's link pages pass axe-core, on a phone and a desktop.

With SCREENSHOTS=/some/dir set, each page is also saved there as a PNG at both widths.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from physios.models import Client, ClientAssessment, Invite, ShareLink
from physios.views import version_publish
from programs.builder import plan_for
from questionnaire.models import Assessment
from tests.personas import HEEL_LIFT_RESPONDER, WEAK_HIP_RUNNER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

axe = Axe()
PASSWORD = "axe-pages-test-pass-5"
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def _seed() -> dict[str, str]:
    physio = User.objects.create_user(
        "lee@example.org", "lee@example.org", PASSWORD, first_name="Lee Novak"
    )
    client = Client.objects.create(physio=physio, display_name="M.R.")
    links = []
    for answers in (WEAK_HIP_RUNNER, HEEL_LIFT_RESPONDER):
        assessment = Assessment.objects.create(answers=answers, completed_at=timezone.now())
        links.append(ClientAssessment.objects.create(client=client, assessment=assessment))
    link = links[0]
    version_publish(
        link=link,
        plan=plan_for(link.assessment.valid_answers()),
        notes="Slow and steady.",
        physio=physio,
    )
    share = ShareLink.objects.create(
        client_assessment=link, expires_at=timezone.now() + dt.timedelta(days=30)
    )
    waiting = Client.objects.create(physio=physio, display_name="A.B.")
    invite = Invite.objects.create(client=waiting, expires_at=Invite.default_expiry())
    c, a = client.pk, link.pk
    return {
        "dashboard": "/physio/",
        "client": f"/physio/clients/{c}/",
        "client-invited": f"/physio/clients/{waiting.pk}/",
        "client-delete": f"/physio/clients/{waiting.pk}/delete/",
        "review": f"/physio/clients/{c}/assessments/{a}/",
        "version": f"/physio/clients/{c}/assessments/{a}/versions/1/",
        "client-new": "/physio/clients/new/",
        "password-change": "/physio/password/change/",
        "invite": f"/physio/invite/{invite.token}/",
        "shared-plan": f"/physio/plan/{share.token}/",
        "link-gone": "/physio/plan/" + "E" * 43 + "/",
        # The client's own pages: one plan, from the physio.
        "results-shared": f"/a/{link.assessment.token}/results/",
        "results-waiting": f"/a/{links[1].assessment.token}/results/",
        "plan-from-physio": reverse("programs:plan", args=[links[1].assessment.plan_token]),
    }


def _check(page, name: str, size: str, shots: Path | None) -> None:
    results = axe.run(page)
    assert results.violations_count == 0, f"{name} ({size})\n{results.generate_report()}"
    if shots:
        page.screenshot(path=str(shots / f"{name}-{size}.png"), full_page=True)


@pytest.mark.parametrize("size", sorted(WIDTHS))
def test_every_physio_page_passes_axe(browser, live_server, size) -> None:
    shots = Path(os.environ["SCREENSHOTS"]) if os.environ.get("SCREENSHOTS") else None
    urls = _seed()
    # axe is injected by script; the site's own policy would rightly refuse it.
    context = browser.new_context(base_url=live_server.url, viewport=WIDTHS[size], bypass_csp=True)
    try:
        page = context.new_page()
        for name, url in (
            ("signup", "/physio/signup/"),
            ("password-reset", "/physio/password/reset/"),
        ):
            page.goto(url)
            _check(page, name, size, shots)
        page.goto("/physio/login/")
        page.get_by_role("button", name="Log in").click()
        page.locator(".error-summary").wait_for()
        _check(page, "login-errors", size, shots)
        page.get_by_label("E-mail address").fill("lee@example.org")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.locator("h1", has_text="Your clients").wait_for()
        for name in (
            "dashboard",
            "client",
            "client-invited",
            "client-delete",
            "review",
            "version",
            "client-new",
            "password-change",
        ):
            page.goto(urls[name])
            _check(page, name, size, shots)
        page.goto(urls["review"])
        page.locator("#id_p1_add").select_option(index=1)
        page.get_by_role("button", name="Add to phase 2").click()
        page.get_by_text("Not published yet").wait_for()
        _check(page, "review-draft", size, shots)
        page.goto(urls["review"])
        page.locator("#id_p0_e0_dose").fill("")
        page.get_by_role("button", name="Publish version 2").click()
        page.locator(".error-summary").wait_for()
        _check(page, "review-errors", size, shots)

        client = browser.new_context(
            base_url=live_server.url, viewport=WIDTHS[size], bypass_csp=True
        ).new_page()
        for name in (
            "invite",
            "shared-plan",
            "link-gone",
            "results-shared",
            "results-waiting",
            "plan-from-physio",
        ):
            client.goto(urls[name])
            _check(client, name, size, shots)
        client.goto(urls["invite"])
        client.get_by_role("button", name="Start the check").click()
        client.locator(".error-summary").wait_for()
        _check(client, "invite-errors", size, shots)
        client.context.close()
    finally:
        context.close()
