"""The plan page in real Chromium: axe-clean in every state, and its PDF link downloads a PDF."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone

from questionnaire.models import Assessment
from tests.personas import DEFORMITY, FOOTBALLER, GROWING_KNEE, ROUTINE
from tests.programs.pango import needs_weasyprint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

axe = Axe()


def plan_url(answers, *, completed: bool = True) -> str:
    assessment = Assessment.objects.create(
        answers=answers, completed_at=timezone.now() if completed else None
    )
    return reverse("programs:plan", args=[assessment.plan_token])


@pytest.mark.parametrize(
    "answers",
    [FOOTBALLER, ROUTINE, GROWING_KNEE, DEFORMITY],
    ids=["self_care", "routine", "growing_knee", "emergency"],
)
def test_the_plan_page_passes_axe(new_context, answers):
    page = new_context(bypass_csp=True).new_page()
    page.goto(plan_url(answers))
    page.get_by_role("heading", level=1).wait_for()
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()


def test_the_unfinished_and_unknown_plan_pages_pass_axe(new_context):
    page = new_context(bypass_csp=True).new_page()
    for url in (plan_url({"age": 30}, completed=False), "/plan/no-such-plan/"):
        page.goto(url)
        results = axe.run(page)
        assert results.violations_count == 0, f"{url}\n{results.generate_report()}"


def test_the_plan_page_loads_nothing_from_elsewhere_and_breaks_no_policy(new_context):
    page = new_context().new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text))
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(plan_url(FOOTBALLER))
    page.wait_for_load_state("networkidle")
    assert not [m for m in problems if "Content Security Policy" in m or "404" in m]
    assert requested and all(url.startswith(page.url.split("/plan/")[0]) for url in requested)
    drawings = page.locator("img.plan-card-img")
    assert drawings.count() >= 9
    # Lazy images below the fold have not loaded yet; fetch each drawing instead.
    for src in drawings.evaluate_all("images => images.map(i => i.src)"):
        response = page.request.get(src)
        assert response.ok and "svg" in response.headers["content-type"], src


@needs_weasyprint
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_pdf_link_downloads_the_plan(new_context, tmp_path, javascript):
    page = new_context(javascript=javascript, accept_downloads=True).new_page()
    page.goto(plan_url(ROUTINE))
    with page.expect_download() as info:
        page.get_by_role("link", name="PDF (A4)").click()
    download = info.value
    assert download.suggested_filename.startswith("knee-plan-")
    assert download.suggested_filename.endswith("-a4.pdf")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.read_bytes().startswith(b"%PDF-")


CHILD_ATHLETE = {**FOOTBALLER, "age": 11}
OLDER_UNSTEADY = {**ROUTINE, "age": 72, "falls_or_unsteady": True}


@pytest.mark.parametrize(
    ("answers", "said"),
    [
        (CHILD_ATHLETE, "Because you are 11, any jumping in the plan lands on two feet"),
        (OLDER_UNSTEADY, "Because you are 72, the plan leaves out jumps"),
        (GROWING_KNEE, "Your activity ladder"),
    ],
    ids=["child_athlete", "older_unsteady", "growing_knee"],
)
def test_the_plan_page_says_what_was_fitted_to_the_person_on_a_phone(new_context, answers, said):
    page = new_context(bypass_csp=True).new_page()  # phone size, 390 x 844
    page.goto(plan_url(answers))
    section = page.get_by_role("region", name="Fitted to you")
    section.wait_for()
    assert said in page.content()
    box = section.bounding_box()
    assert box is not None and box["width"] <= 390
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()


@needs_weasyprint
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_typed_name_prints_on_the_pdf_and_a_bad_one_is_explained(
    new_context, tmp_path, javascript
):
    import io

    from pypdf import PdfReader

    page = new_context(javascript=javascript, accept_downloads=True, bypass_csp=True).new_page()
    url = plan_url(ROUTINE)
    page.goto(url)
    field = page.get_by_label("Name to print on the PDF (optional)")
    field.fill("  Sam   Quill ")
    page.get_by_label("Paper size").select_option("letter")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download with this name").click()
    download = info.value
    assert download.suggested_filename.endswith("-letter.pdf")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    first_page = PdfReader(io.BytesIO(target.read_bytes())).pages[0].extract_text()
    assert "Plan for: Sam Quill" in first_page
    # The browser keeps to maxlength; a longer name (a link made by hand) is explained.
    page.goto(url + "pdf/?paper=a4&name=" + "x" * 61)
    assert page.get_by_text("at most 60 characters long; this one has 61").is_visible()
    assert page.get_by_label("Name to print on the PDF (optional)").input_value() == "x" * 61
    if javascript:  # axe runs as a script in the page
        results = axe.run(page)
        assert results.violations_count == 0, results.generate_report()
