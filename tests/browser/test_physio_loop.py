"""The whole physio loop in real Chromium: a physio and a client, each in their own browser."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from physios.models import Client, ClientAssessment, PlanVersion
from programs.builder import plan_for
from programs.library import get_library
from questionnaire.models import Assessment
from tests.browser.steps import answer_until, submit
from tests.personas import WEAK_HIP_RUNNER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}


def _sign_up_and_invite(page: Page) -> str:
    page.goto("/physio/signup/")
    page.get_by_label("Your name").fill("Robin Okafor")
    page.get_by_label("E-mail address").fill("robin@example.org")
    page.get_by_label("Password", exact=True).fill("knee-loop-test-pass-7")
    page.get_by_label("Password confirmation").fill("knee-loop-test-pass-7")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("h1")).to_have_text("Check your e-mail")
    # The live server runs in this process: its e-mail lands in Django's test outbox.
    body = mail.outbox[-1].body
    confirm = next(line for line in body.splitlines() if "/physio/signup/confirm/" in line)
    page.goto(confirm)
    page.get_by_role("button", name="Turn on my account").click()
    expect(page.locator("h1")).to_have_text("Your clients")

    page.get_by_role("link", name="Add a client").first.click()
    page.get_by_label("Name or initials").fill("T.K.")
    page.get_by_role("button", name="Add and get a link").click()
    expect(page.locator("h1")).to_have_text("T.K.")
    expect(page.locator("svg.qr")).to_be_visible()
    return page.get_by_label("Link to copy").input_value()


def _swap_first_exercise(page: Page) -> str:
    select = page.locator("#id_p0_e0_exercise")
    in_phase = set(page.locator("select[id^=id_p0_]").evaluate_all("els => els.map(e => e.value)"))
    swap = next(
        e for e in get_library().exercises if e.id not in in_phase and not e.involves_jumping
    )
    select.select_option(swap.id)
    return swap.name


def test_a_physio_and_a_client_go_round_the_whole_loop(browser, live_server, new_context) -> None:
    physio = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    requested: list[str] = []
    physio.on("request", lambda request: requested.append(request.url))
    try:
        desk = physio.new_page()
        invite_url = _sign_up_and_invite(desk)
        assert invite_url.startswith(live_server.url + "/physio/invite/")

        # The client, on a phone, with no account.
        phone_context = new_context()
        phone_context.on("request", lambda request: requested.append(request.url))
        phone = phone_context.new_page()
        phone.goto(invite_url)
        expect(phone.locator("h1")).to_contain_text("Robin Okafor has asked you")
        phone.get_by_label("I agree to share my answers with Robin Okafor").check()
        phone.get_by_role("button", name="Start the check").click()
        expect(phone.locator("h1")).to_contain_text("Safety check")
        answer_until(phone, WEAK_HIP_RUNNER)
        submit(phone, "See my results")
        expect(phone.locator("h1")).to_have_text("Your results")
        # One plan, and the client knows whom it comes from: none is made here meanwhile.
        expect(phone.get_by_text("Your answers have gone to Robin Okafor")).to_be_visible()
        expect(phone.get_by_role("link", name="See your exercise plan")).to_have_count(0)

        # The physio sees the result, swaps an exercise, publishes and shares.
        desk.reload()
        expect(desk.get_by_text("Completed").first).to_be_visible()
        desk.get_by_role("link", name=re.compile("^Review")).click()
        expect(desk.locator("h1")).to_contain_text("Review: T.K.")
        swapped = _swap_first_exercise(desk)
        desk.get_by_label("Notes for your client").fill("Keep the pain at 3 or below.")
        desk.get_by_role("button", name="Publish version 1").click()
        expect(desk.get_by_text("Version 1 is published.")).to_be_visible()
        desk.get_by_role("button", name="Make a plan link").click()
        expect(desk.get_by_text("The plan link is ready")).to_be_visible()
        share_url = desk.locator("input[id^=share-url-]").first.input_value()

        # The client opens the shared plan and downloads its PDF.
        phone.goto(share_url)
        expect(phone.locator("h1")).to_have_text("Your knee plan")
        expect(phone.get_by_text("adjusted for you by Robin Okafor")).to_be_visible()
        expect(phone.get_by_text("Keep the pain at 3 or below.").first).to_be_visible()
        expect(phone.get_by_text(swapped).first).to_be_visible()
        with phone.expect_download() as download:
            phone.get_by_role("link", name="Download the PDF (A4)").click()
        path = download.value.path()
        data = path.read_bytes()
        assert data.startswith(b"%PDF")
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
        assert swapped in text
        assert "Keep the pain at 3 or below." in text
        # Nothing was fetched from anywhere but our own server.
        assert requested
        assert all(url.startswith((live_server.url, "data:")) for url in requested)
    finally:
        physio.close()


def _seed_completed() -> tuple[str, ClientAssessment]:
    physio = User.objects.create_user(
        "sam@example.org", "sam@example.org", "knee-edit-test-pass-3", first_name="Sam Patel"
    )
    client = Client.objects.create(physio=physio, display_name="R.S.")
    assessment = Assessment.objects.create(answers=WEAK_HIP_RUNNER, completed_at=timezone.now())
    link = ClientAssessment.objects.create(client=client, assessment=assessment)
    return f"/physio/clients/{client.pk}/assessments/{link.pk}/", link


def _ids(page: Page, phase: int) -> list[str]:
    selects = page.locator(f"select[id^=id_p{phase}_e][id$=_exercise]")
    values: list[str] = selects.evaluate_all("els => els.map(e => e.value)")
    return values


def _shoot(page: Page, name: str, where: str) -> None:
    """With SCREENSHOTS=/some/dir, save what the phone shows around this element."""
    if os.environ.get("SCREENSHOTS"):
        page.locator(where).first.scroll_into_view_if_needed()
        page.screenshot(path=str(Path(os.environ["SCREENSHOTS"]) / f"{name}.png"))


def test_a_physio_adds_removes_reorders_swaps_and_double_clicks_publish(
    new_context, javascript
) -> None:
    review, link = _seed_completed()
    plan = plan_for(link.assessment.valid_answers())
    library = get_library()
    page = new_context(javascript=javascript).new_page()
    page.goto("/physio/login/")
    page.get_by_label("E-mail address").fill("sam@example.org")
    page.get_by_label("Password").fill("knee-edit-test-pass-3")
    page.get_by_role("button", name="Log in").click()
    page.goto(review)

    # Swap the first exercise: its dose box follows, at once with JavaScript, or after
    # "Show the changes" without.
    before = _ids(page, 0)
    swap = next(e for e in library.exercises if e.id not in before and not e.involves_jumping)
    page.locator("#id_p0_e0_exercise").select_option(swap.id)
    # Typed while the swap is on its way: never lost to the redraw.
    notes = page.get_by_label("Notes for your client")
    notes.fill("Typed during the swap.")
    if not javascript:
        page.get_by_role("button", name="Show the changes without publishing").click()
    swap_dose = getattr(swap.dose, plan.phases[0].level)
    expect(page.locator("#id_p0_e0_dose")).to_have_value(swap_dose)
    expect(notes).to_have_value("Typed during the swap.")
    _shoot(page, f"loop-swap-{'js' if javascript else 'nojs'}", "#id_p0_e0_dose")

    # Add one to phase 2, remove the second of phase 1, move phase 3's second one up.
    in_two = _ids(page, 1)
    add = next(e for e in library.exercises if e.id not in in_two and not e.involves_jumping)
    page.get_by_role("button", name="Add to phase 2").click()
    expect(page.locator(".error-summary")).to_contain_text("Choose an exercise to add first.")
    page.get_by_label("Add an exercise to phase 2").select_option(add.id)
    page.get_by_role("button", name="Add to phase 2").click()
    expect(page.locator(f"#id_p1_e{len(in_two)}_exercise")).to_have_value(add.id)
    removed = _ids(page, 0)[1]
    page.get_by_role("button", name="Remove exercise 2 of phase 1").click()
    expect(page.locator("select[id^=id_p0_e][id$=_exercise]")).to_have_count(len(before) - 1)
    three = _ids(page, 2)
    page.get_by_role("button", name="Move up exercise 2 of phase 3").click()
    expect(page.locator("#id_p2_e0_exercise")).to_have_value(three[1])
    expect(page.get_by_text("Not published yet")).to_be_visible()
    _shoot(page, f"loop-edited-{'js' if javascript else 'nojs'}", "#phase-2")

    # A double click on publish makes one version.
    # A double click on publish makes one version. Chromium itself often sends only one of the
    # two submissions, so the publish request is also sent again exactly as it went, as the
    # second click's request would arrive.
    sent: list[tuple[str, str]] = []

    def keep(request: Any) -> None:
        if request.method == "POST" and "op=publish" in (request.post_data or ""):
            sent.append((request.url, request.post_data))

    page.on("request", keep)
    publish = page.get_by_role("button", name="Publish version 1")
    if connection.vendor == "sqlite":
        # The live server shares one in-memory SQLite connection between its threads, so two
        # overlapping requests fail inside the test harness ("cannot start a transaction within
        # a transaction"); a real SQLite file gives each thread its own. The second submission
        # is the re-sent request below; PostgreSQL gets the real double click.
        publish.click()
    else:
        publish.dblclick()
    expect(page.locator(".notice[role=status]").first).to_contain_text("Version 1")
    page.wait_for_load_state("networkidle")
    url, body = sent[0]
    again = page.context.request.post(
        url, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert again.status == 200  # after the redirect
    assert "Version 1 was already published from this form." in again.text()
    versions = list(PlanVersion.objects.filter(client_assessment=link))
    assert [v.number for v in versions] == [1]
    stored = versions[0].as_plan()
    assert stored.phases[0].exercises[0].id == swap.id
    assert versions[0].notes == "Typed during the swap."
    assert stored.phases[0].exercises[0].dose == swap_dose
    assert removed not in [e.id for e in stored.phases[0].exercises]
    assert [e.id for e in stored.phases[1].exercises] == [*in_two, add.id]
    assert [e.id for e in stored.phases[2].exercises][:2] == [three[1], three[0]]
    expect(page.get_by_role("button", name="Publish version 2")).to_be_visible()
