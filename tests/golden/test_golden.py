"""Golden outputs: the assess and plan JSON, the plan page, the results page, the physio's
review and shared pages, and the PDF text, byte for byte as recorded.

Any change to what a person or a caller sees fails here. A change made on purpose re-records
the affected files with ``GOLDEN_RECORD=1 pytest tests/golden`` in a commit of its own that says
why. HTML is compared after a rendering-neutral normalisation (whitespace runs folded, the same
character entity spelled one way) and with the per-request CSRF token blanked.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import tempfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client as Browser
from django.urls import reverse

from physios.models import Client, ClientAssessment, Invite, PlanVersion, ShareLink
from questionnaire.models import Assessment

pytestmark = pytest.mark.django_db

HERE = Path(__file__).resolve().parent / "data"
RECORD = os.environ.get("GOLDEN_RECORD") == "1"
COMPLETED = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
PUBLISHED = dt.datetime(2026, 3, 9, 17, 0, tzinfo=dt.UTC)
EXPIRES = dt.datetime(2099, 1, 1, tzinfo=dt.UTC)
PDFTOTEXT = shutil.which("pdftotext")


def _inputs() -> dict[str, dict[str, Any]]:
    if RECORD:
        from tests.golden.cases import ANSWERS, PHYSIO

        found = {name: {"answers": answers} for name, answers in ANSWERS.items()}
        found |= {name: {"answers": a, "edits": e} for name, (a, e) in PHYSIO.items()}
        for case in found.values():
            # The commands take only valid answer sets; a stale set's bad answers stay in the row.
            case["valid_answers"] = _still_valid(case["answers"])
        return found
    return {
        path.name.removesuffix(".input.json"): json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(HERE.glob("*.input.json"))
    }


def test_there_are_at_least_twenty_golden_cases_with_physio_edits_among_them() -> None:
    assert len(INPUTS) >= 20
    assert sum("edits" in case for case in INPUTS.values()) >= 5


_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+|("X-CSRFToken": ")[^"]+')
_ENTITIES = {"&#39;": "&#x27;", "&#34;": "&quot;"}


def normalise_html(html: str) -> str:
    html = _CSRF.sub(lambda m: (m.group(1) or m.group(2)) + "CSRF", html)
    for spelling, canonical in _ENTITIES.items():
        html = html.replace(spelling, canonical)
    html = re.sub(r"\s+", " ", html).strip()
    # A space between two tags renders like a line break there: one tag per line for diffs.
    return re.sub(r"> <", ">\n<", html) + "\n"


def pdf_text(body: bytes) -> str:
    assert body.startswith(b"%PDF")
    assert PDFTOTEXT is not None, "pdftotext (poppler-utils) is needed for the golden test"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(body)
        handle.flush()
        out = subprocess.run(
            [PDFTOTEXT, "-layout", handle.name, "-"], capture_output=True, check=True
        )
    return out.stdout.decode("utf-8")


def _command(name: str, answers: dict[str, Any], tmp_path: Path) -> str:
    source = tmp_path / "answers.json"
    source.write_text(json.dumps(answers), encoding="utf-8")
    out = StringIO()
    call_command(name, str(source), stdout=out)
    return out.getvalue().rstrip("\n") + "\n"


def _assessment(name: str, answers: dict[str, Any]) -> Assessment:
    stem = re.sub(r"[^A-Za-z0-9]", "-", name)
    return Assessment.objects.create(
        token=f"resume-{stem}".ljust(24, "x")[:64],
        plan_token=f"plan-{stem}".ljust(24, "x")[:64],
        answers=answers,
        completed_at=COMPLETED,
        step="check",
    )


def _page(browser: Browser, url: str) -> str:
    response = browser.get(url)
    head = f"status {response.status_code}\n"
    if response.status_code in (301, 302):
        return head + f"location {response['Location']}\n"
    return head + normalise_html(response.content.decode("utf-8"))


def _pdf(browser: Browser, url: str) -> str:
    response = browser.get(url)
    if response.status_code != 200 or response["Content-Type"] != "application/pdf":
        return f"status {response.status_code}\n" + normalise_html(response.content.decode())
    return f"{response['Content-Disposition']}\n" + pdf_text(response.content)


def _review_post(page: Any, edits: dict[str, Any]) -> dict[str, Any]:
    """The review form as a physio would send it with these edits."""
    form = page.context["form"]
    plan = form.plan
    data: dict[str, Any] = {"notes": edits.get("notes", ""), "op": "publish"}
    data["version"] = form["version"].value()
    for cause in plan.assessment.causes:
        data[f"cause_{cause.id}"] = edits.get("causes", {}).get(cause.id, "keep")
    data["add_causes"] = list(edits.get("add", []))
    for p, phase in enumerate(plan.phases):
        data[f"p{p}_rows"] = len(phase.exercises)
        for e, exercise in enumerate(phase.exercises):
            for name, value in (("exercise", exercise.id), ("dose", exercise.dose)):
                # The field and the hidden copy of what it showed, as the page sends them.
                data[f"p{p}_e{e}_{name}"] = data[f"initial-p{p}_e{e}_{name}"] = value
    for p, e, new_id in edits.get("swap", []):
        data[f"p{p}_e{e}_exercise"] = new_id
    for p, e, dose in edits.get("dose", []):
        data[f"p{p}_e{e}_dose"] = dose
    return data


def _outputs(name: str, case: dict[str, Any], tmp_path: Path) -> dict[str, str]:
    answers = case["answers"]
    assessment = _assessment(name, answers)
    browser = Browser()
    out = {
        "assess.json": _command("assess", case["valid_answers"], tmp_path),
        "plan-page.html": _page(browser, reverse("programs:plan", args=[assessment.plan_token])),
        "plan.pdf.txt": _pdf(browser, reverse("programs:plan_pdf", args=[assessment.plan_token])),
        "results.html": _page(browser, reverse("questionnaire:results", args=[assessment.token])),
    }
    if "edits" not in case:
        out["plan.json"] = _command("plan", case["valid_answers"], tmp_path)
        return out
    # Fixed ids: they show in the physio's URLs, and PostgreSQL does not reuse a rolled-back id.
    physio = User.objects.create_user(
        "pat@example.org", "pat@example.org", first_name="Pat Lee", pk=1
    )
    client = Client.objects.create(pk=1, physio=physio, display_name="C.D.")
    invite = Invite.objects.create(
        pk=1, client=client, expires_at=EXPIRES, seed="invite-seed-" + name
    )
    link = ClientAssessment.objects.create(
        pk=1, client=client, assessment=assessment, invite=invite
    )
    # The review's heading shows the day the results came in: fixed, or the goldens age by the day.
    ClientAssessment.objects.filter(pk=link.pk).update(created_at=COMPLETED)
    link.refresh_from_db()
    browser.force_login(physio)
    review_url = reverse("physios:review", args=[client.pk, link.pk])
    edits = case["edits"]
    for step in (edits, edits.get("again")):
        if step is None:
            continue
        page = browser.get(review_url)
        response = browser.post(review_url, _review_post(page, step))
        assert response.status_code == 302, response.content.decode()
    PlanVersion.objects.filter(client_assessment=link).update(published_at=PUBLISHED)
    version = link.versions.order_by("-number").first()
    assert version is not None
    # Stored as JSON, whose key order PostgreSQL's jsonb does not keep: compared sorted.
    out["plan.json"] = json.dumps(version.plan, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    out["review.html"] = _page(browser, review_url).replace(_share_default(), "SHARE-DEFAULT")
    out["version.html"] = _page(
        browser, reverse("physios:version", args=[client.pk, link.pk, version.number])
    )
    share = ShareLink.objects.create(
        client_assessment=link, expires_at=EXPIRES, seed="share-seed-" + name
    )
    visitor = Browser()
    out["shared-page.html"] = _page(visitor, reverse("physios:shared_plan", args=[share.token]))
    out["shared.pdf.txt"] = _pdf(visitor, reverse("physios:shared_plan_pdf", args=[share.token]))
    return out


def _share_default() -> str:
    from django.utils import timezone

    return (timezone.localdate() + dt.timedelta(days=90)).isoformat()


def _still_valid(answers: dict[str, Any]) -> dict[str, Any]:
    import django

    django.setup()
    from questionnaire.content import get_content
    from questionnaire.engine import still_valid_answers

    return still_valid_answers(answers, get_content())


INPUTS = _inputs()


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_outputs_match_the_recorded_goldens(name: str, tmp_path: Path, settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    case = INPUTS[name]
    outputs = _outputs(name, case, tmp_path)
    if RECORD:
        HERE.mkdir(exist_ok=True)
        for old in HERE.glob(f"{name}.*"):
            old.unlink()
        (HERE / f"{name}.input.json").write_text(
            json.dumps(case, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        for suffix, text in outputs.items():
            (HERE / f"{name}.{suffix}").write_text(text, encoding="utf-8")
        return
    recorded = {
        path.name.removeprefix(f"{name}."): path.read_text(encoding="utf-8")
        for path in HERE.glob(f"{name}.*")
        if not path.name.endswith(".input.json")
    }
    assert set(outputs) == set(recorded)
    for suffix, text in outputs.items():
        assert text == recorded[suffix], f"{name}.{suffix} differs from the golden"
