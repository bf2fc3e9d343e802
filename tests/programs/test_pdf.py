"""The PDF read back with pypdf, and the url_fetcher that only serves our static files."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from questionnaire.content import Content
from tests import personas
from tests.personas import DEFORMITY, FOOTBALLER, GROWING_KNEE, NIGHT_PAIN, ROUTINE
from tests.programs.pango import HAVE_WEASYPRINT, needs_weasyprint
from tests.questionnaire.cases import calm

pytestmark = needs_weasyprint

if HAVE_WEASYPRINT:
    from programs.pdf import StaticOnlyFetcher, render_plan_pdf, static_path

ROOT = Path(__file__).resolve().parents[2]
A4 = (595, 842)
LETTER = (612, 792)


@pytest.fixture(scope="module")
def pdfs(make_plan):
    cache: dict[tuple[str, str], PdfReader] = {}

    def get(name: str, answers, paper: str = "a4") -> PdfReader:
        if (name, paper) not in cache:
            body = render_plan_pdf(make_plan(answers), paper=paper)
            cache[name, paper] = PdfReader(io.BytesIO(body))
        return cache[name, paper]

    return get


def text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def size(reader: PdfReader) -> tuple[int, int]:
    box = reader.pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def test_a_full_plan_has_a_cover_every_phase_a_log_and_the_stop_list(pdfs, make_plan):
    reader = pdfs("footballer", FOOTBALLER)
    body = text(reader)
    plan = make_plan(FOOTBALLER)
    assert "Your 12-week knee plan" in body
    for phase in plan.phases:
        assert f"Phase {phase.number}: {phase.title}" in body
        for exercise in phase.exercises:
            assert exercise.name in body
    for heading in (
        "Pain rules",
        "Weekly log",
        "Re-test at weeks 6 and 12",
        "Stop and get checked",
    ):
        assert heading in body
    # Five phases for a jumping athlete, drawings twice the old size: a longer handout, still
    # short enough to carry.
    assert 5 <= len(reader.pages) <= 14
    assert size(reader) == A4


def test_every_page_carries_its_number_and_the_date(pdfs):
    reader = pdfs("footballer", FOOTBALLER)
    count = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        footer = page.extract_text()
        assert f"Page {number} of {count}" in footer
        assert "Knee plan ·" in footer


def _filled(page) -> float:
    """How far down the page its content reaches, as a share of the page's height (the footer,
    which every page has, left out)."""
    lowest = float(page.mediabox.height)

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        nonlocal lowest
        if text.strip() and "Page " not in text:
            lowest = min(lowest, cm[3] * tm[5] + cm[5])

    page.extract_text(visitor_text=visit)
    return 1 - lowest / float(page.mediabox.height)


# Covers of every length: a cover that ran a little over its page once left the pain rules'
# table alone on an all but blank page before phase 1 (11 of the 36 cases below, among them the
# growing knee, the weak-hip runner and the older adult), and a phase's last exercise and its
# "move on when" rule can run over too. Whatever the person, no page of the handout may be
# almost empty: each one uses at least a quarter of its height.
ALMOST_BLANK = 0.25
LAYOUTS = {
    "runner": personas.RUNNER,
    "weak-hip runner": personas.WEAK_HIP_RUNNER,
    "heel-lift responder": personas.HEEL_LIFT_RESPONDER,
    "footballer": FOOTBALLER,
    "growing knee": GROWING_KNEE,
    "routine": ROUTINE,
    "quiet": personas.QUIET,
    "older adult": calm(age=72, falls_or_unsteady=True),
    "child": calm(age=9, sport="jumping_pivoting"),
}


@pytest.mark.parametrize("with_answers", [True, False], ids=["plan-page", "no-answers"])
@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("name", list(LAYOUTS))
def test_no_page_of_a_plan_is_left_almost_blank(make_plan, name, paper, with_answers):
    # With the person's answers, as the plan page renders it, the cover lists the movement tests
    # not done; without them, as in the physio's print, it does not: two lengths of cover.
    answers = LAYOUTS[name]
    body = render_plan_pdf(
        make_plan(answers), paper=paper, answers=answers if with_answers else None
    )
    for number, page in enumerate(PdfReader(io.BytesIO(body)).pages, start=1):
        assert _filled(page) >= ALMOST_BLANK, f"page {number}: {page.extract_text()[:120]!r}"


def test_a_routine_plan_carries_its_referral_advice(pdfs):
    body = text(pdfs("routine", ROUTINE))
    assert "Book an assessment" in body
    assert "Shoes and insoles" in body


def _flat(body: str) -> str:
    return " ".join(body.split())


@pytest.mark.parametrize(
    ("name", "answers"),
    [
        ("emergency", DEFORMITY),
        ("urgent", NIGHT_PAIN),
        ("urgent-two-flags", calm(age=50, night_pain=True, lump_near_knee=True, pain_worst=6)),
        ("routine", ROUTINE),
    ],
)
def test_the_referral_is_said_once_with_every_red_flag_instruction(pdfs, make_plan, name, answers):
    plan = make_plan(answers)
    triage = plan.assessment.triage
    body = _flat(text(pdfs(name, answers)))
    flags = [f for f in plan.assessment.red_flags if f.level == triage.level]
    assert flags
    for flag in flags:
        assert body.count(_flat(flag.advice)) == 1, flag.id
    # The level's general summary only repeats the title and the note about exercises.
    assert _flat(triage.summary) not in body
    assert body.count(triage.title) == 1
    assert body.count(_flat(plan.referral.note)) == 1


def test_a_plan_without_a_referral_still_says_the_result(pdfs, make_plan):
    answers = calm(age=30, squat_knees_in="slight", sl_bridge_poor=True)
    assert make_plan(answers).assessment.triage.level == "self_care"
    assert "Result: Nothing found that needs a professional first." in _flat(
        text(pdfs("self-care", answers))
    )


def test_a_growing_knee_plan_has_no_jumping_drills(pdfs):
    body = text(pdfs("growing", GROWING_KNEE))
    assert "Two-foot jump and stick" not in body
    assert "Phase 4: Keep it going" in body


def test_no_plan_gives_a_one_page_referral_summary_for_a_clinician(pdfs):
    reader = pdfs("emergency", DEFORMITY)
    body = text(reader)
    assert len(reader.pages) == 1
    assert "Get emergency help now" in body
    assert "Answers given, for the clinician" in body
    assert "Does your knee look out of place" in body
    assert "Phase 1" not in body


def test_letter_paper_on_request(pdfs):
    assert size(pdfs("footballer", FOOTBALLER, "letter")) == LETTER


def test_the_fonts_are_embedded_and_subset(pdfs):
    reader = pdfs("footballer", FOOTBALLER)
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all("DejaVu" in font and "+" in font for font in fonts)


def test_the_pdf_is_small(make_plan):
    assert len(render_plan_pdf(make_plan(FOOTBALLER))) < 300_000


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/evil.css",
        "https://127.0.0.1/x.svg",
        "file:///etc/passwd",
        f"file://{ROOT}/manage.py",
        f"file://{ROOT}/static/../valgus_app/settings.py",
        f"file://{ROOT}/static/programs/missing.svg",
        "file://otherhost/static/programs/clamshell.svg",
        "data:text/plain,hello",
        "ftp://example.com/x",
    ],
)
def test_the_url_fetcher_refuses_anything_but_our_static_files(url):
    assert static_path(url) is None
    with pytest.raises(ValueError, match="refused"):
        StaticOnlyFetcher().fetch(url)


def test_the_url_fetcher_serves_a_drawing_and_a_font():
    drawing = StaticOnlyFetcher().fetch(f"file://{ROOT}/static/programs/clamshell.svg")
    assert drawing.content_type == "image/svg+xml"
    assert b"<svg" in drawing.read()
    font = StaticOnlyFetcher().fetch(f"file://{ROOT}/static/fonts/DejaVuSans.ttf")
    assert font.read(4) == b"\x00\x01\x00\x00"


def test_the_shipped_fonts_cover_every_character_the_pdf_can_print():
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    sources = [
        *(ROOT / "questionnaire" / "data").glob("*.yaml"),
        *(ROOT / "programs" / "data").glob("*.yaml"),
        ROOT / "templates" / "programs" / "plan_pdf.html",
    ]
    used = {c for path in sources for c in path.read_text(encoding="utf-8") if c.isprintable()}
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        covered = set(TTFont(ROOT / "static" / "fonts" / name).getBestCmap())
        assert not sorted(c for c in used if ord(c) not in covered), name


def _every_question_answered(content: Content) -> dict[str, object]:
    answers: dict[str, object] = {}
    for question in content.questions.values():
        if question.type == "bool":
            answers[question.id] = False
        elif question.type == "choice":
            answers[question.id] = question.choice_values[-1]
        else:
            # The longest numbers make the longest lines.
            largest = question.max or 0.0
            answers[question.id] = int(largest) if question.type == "int" else largest
    return {**answers, "age": 40, "deformity": True, "recent_injury": True}


# Contract version 2 adds 22 safety questions; the summary still fits one page with every
# question of the content answered, the most it can ever hold.
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_referral_summary_fits_one_page_with_every_question_answered(content, make_plan, paper):
    plan = make_plan(_every_question_answered(content))
    assert plan.phases == []
    reader = PdfReader(io.BytesIO(render_plan_pdf(plan, paper=paper)))
    assert len(reader.pages) == 1
    assert size(reader) == {"a4": A4, "letter": LETTER}[paper]
    assert "Knee check summary" in reader.pages[0].extract_text()


def test_the_referral_summary_marks_every_yes_for_the_clinician(make_plan):
    from programs.pdf import plan_print_html

    plan = make_plan(DEFORMITY)
    html = plan_print_html(plan, paper="a4", date=dt.date(2026, 3, 2))
    yes = sum(1 for line in plan.referral.answers if line.answer == "Yes")
    assert yes and html.count('<dd class="yes">Yes</dd>') == yes


@pytest.mark.parametrize(
    ("name", "answers", "title"),
    [("routine", ROUTINE, "Knee plan"), ("deformity", DEFORMITY, "Knee check: referral summary")],
)
def test_the_pdf_is_tagged_for_screen_readers_with_its_title_and_language(
    pdfs, name, answers, title
) -> None:
    reader = pdfs(name, answers)
    root = reader.trailer["/Root"]
    # PDF/UA-1: a structure tree a screen reader follows, marked content, the language and a
    # title shown instead of the file name.
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-GB"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata is not None and reader.metadata.title == title
    figures = list(_figures(root["/StructTreeRoot"]))
    if name == "routine":
        # Every drawing is described, so none reads as an unlabelled image.
        assert figures and all(alt.startswith("Drawing of the exercise: ") for alt in figures)


def _figures(node, depth: int = 0):
    """The /Alt text of every Figure in a structure tree."""
    node = node.get_object()
    if depth > 50:
        return
    if isinstance(node, dict):
        if node.get("/S") == "/Figure":
            yield str(node.get("/Alt", ""))
        kids = node.get("/K")
        if kids is not None:
            yield from _figures(kids, depth + 1)
    elif isinstance(node, list):
        for kid in node:
            yield from _figures(kid, depth + 1)


def test_a_render_leaves_the_collector_as_it_found_it(make_plan) -> None:
    """During a render the collector runs rarely (programs.pdf); afterwards its pace is the
    process's own again, and what the render built is collected, not left for later."""
    import gc

    before = gc.get_threshold()
    render_plan_pdf(make_plan(ROUTINE))
    assert gc.get_threshold() == before
    # What was loaded before the first render is frozen out of the collector's sight, once.
    frozen = gc.get_freeze_count()
    assert frozen > 0
    render_plan_pdf(make_plan(ROUTINE))
    assert gc.get_freeze_count() == frozen
    # Nothing the render built is left as cyclic garbage for the next collection.
    assert gc.collect() < 100


def test_renders_in_several_threads_restore_the_collector_when_the_last_one_ends(
    make_plan, monkeypatch
) -> None:
    import gc
    import threading

    import weasyprint

    from programs import pdf

    before = gc.get_threshold()
    seen: list[tuple[int, int, int]] = []
    first_inside, release = threading.Event(), threading.Event()

    class Slow(weasyprint.HTML):
        def render(self, *args, **kwargs):
            seen.append(gc.get_threshold())
            first_inside.set()
            release.wait(10)
            return super().render(*args, **kwargs)

    plan = make_plan(ROUTINE)
    monkeypatch.setattr("programs.pdf.HTML", Slow)
    threads = [threading.Thread(target=render_plan_pdf, args=(plan,)) for _ in range(2)]
    threads[0].start()
    assert first_inside.wait(10)
    threads[1].start()
    for _ in range(1000):  # both inside a render at once, within 10 s
        if len(seen) == 2:
            break
        threading.Event().wait(0.01)
    release.set()
    for thread in threads:
        thread.join(30)
    assert [threshold[0] for threshold in seen] == [pdf.RENDER_GC_THRESHOLD] * 2
    assert gc.get_threshold() == before
