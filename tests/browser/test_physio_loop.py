"""The whole physio loop in real Chromium: a physio and a client, each in their own browser."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from programs.library import get_library
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
