"""The physio's pages: dashboard, clients, review, publishing versions, sharing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from physios.models import Client, Invite, PlanVersion, ShareLink
from programs.builder import plan_for
from programs.library import get_library
from questionnaire.models import Assessment

pytestmark = pytest.mark.django_db


def _generated(assessment: Assessment) -> dict[str, Any]:
    return plan_for(assessment.valid_answers()).model_dump(mode="json")


def _review_data(page: Any) -> dict[str, Any]:
    """The review form as the browser would send it, unchanged."""
    form = page.context["form"]
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = value
    return data


def test_adding_a_client_makes_a_questionnaire_link_with_a_qr_code(as_alice, alice):
    response = as_alice.post(reverse("physios:client_new"), {"display_name": "K.L."})
    client = Client.objects.get(physio=alice)
    assert response["Location"] == reverse("physios:client", args=[client.pk])
    page = as_alice.get(response["Location"])
    html = page.content.decode()
    invite = Invite.objects.get(client=client)
    assert f"/physio/invite/{invite.token}/" in html
    assert "<svg" in html and 'class="qr"' in html


def test_a_client_needs_a_name_or_initials(as_alice):
    response = as_alice.post(reverse("physios:client_new"), {"display_name": ""})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_the_dashboard_lists_clients_with_their_status_newest_activity_first(
    as_alice, alice, jd, jd_assessment
):
    fresh = Client.objects.create(physio=alice, display_name="Newest")
    Invite.objects.create(client=fresh, expires_at=Invite.default_expiry())
    Client.objects.create(physio=alice, display_name="Nobody yet")
    Assessment.objects.filter(pk=jd_assessment.assessment.pk).update(updated_at=timezone.now())
    rows = as_alice.get(reverse("physios:dashboard")).context["rows"]
    assert [(r["client"].display_name, r["status_word"]) for r in rows] == [
        ("J.D.", "Completed"),
        ("Nobody yet", "No link yet"),
        ("Newest", "Invited"),
    ]


def test_the_status_follows_the_client_through_the_loop(as_alice, jd, invite):
    def status() -> Any:
        return as_alice.get(reverse("physios:dashboard")).context["rows"][0]["status_word"]

    assert status() == "Invited"
    as_alice.__class__().post(reverse("physios:invite", args=[invite.token]), {"consent": "yes"})
    assert status() == "In progress"
    Assessment.objects.update(completed_at=timezone.now(), answers={"age": 30})
    assert status() == "Completed"
    link = jd.assessments.get()
    review = reverse("physios:review", args=[jd.pk, link.pk])
    assert as_alice.post(review, _review_data(as_alice.get(review))).status_code == 302
    as_alice.post(
        reverse("physios:share_new", args=[jd.pk, link.pk]),
        {"expires_on": (timezone.localdate() + dt.timedelta(days=5)).isoformat()},
    )
    assert status() == "Plan shared"


def test_the_review_shows_answers_triage_causes_evidence_and_the_plan(as_alice, jd, jd_assessment):
    page = as_alice.get(reverse("physios:review", args=[jd.pk, jd_assessment.pk]))
    html = page.content.decode()
    plan = _generated(jd_assessment.assessment)
    assert page.status_code == 200
    assert plan["assessment"]["triage"]["title"] in html
    top = plan["assessment"]["causes"][0]
    assert top["name"] in html
    assert top["reasons"][0]["explanation"] in html
    assert plan["phases"][0]["exercises"][0]["dose"] in html
    assert "Publish version 1" in html


def test_an_unfinished_assessment_shows_answers_but_no_plan(as_alice, jd, jd_assessment):
    Assessment.objects.update(completed_at=None)
    page = as_alice.get(reverse("physios:review", args=[jd.pk, jd_assessment.pk]))
    assert "has not finished" in page.content.decode()
    assert "form" not in page.context


def test_publishing_swaps_an_exercise_changes_a_dose_and_keeps_versions(
    as_alice, alice, jd, jd_assessment
):
    url = reverse("physios:review", args=[jd.pk, jd_assessment.pk])
    data = _review_data(as_alice.get(url))
    first = _generated(jd_assessment.assessment)["phases"][0]["exercises"]
    replacement = next(e for e in get_library().exercises if e.id not in {x["id"] for x in first})
    data["p0_e0_exercise"] = replacement.id
    data["p0_e1_dose"] = "2 x 8, slowly"
    data["notes"] = "Film your squat in week 6."
    cause = _generated(jd_assessment.assessment)["assessment"]["causes"][0]["id"]
    data[f"cause_{cause}"] = "dismiss"
    assert as_alice.post(url, data).status_code == 302

    v1 = PlanVersion.objects.get(client_assessment=jd_assessment, number=1)
    exercises = v1.plan["phases"][0]["exercises"]
    assert exercises[0]["id"] == replacement.id
    assert exercises[0]["name"] == replacement.name
    assert exercises[0]["dose"]  # the new exercise brings its own dose
    assert exercises[1]["dose"] == "2 x 8, slowly"
    assert v1.notes == "Film your squat in week 6."
    assert cause not in [c["id"] for c in v1.plan["assessment"]["causes"]]
    assert v1.plan["review"]["dismissed"] == [cause]
    assert v1.published_by == alice

    # Publishing again starts from version 1 and leaves it as it was.
    data = _review_data(as_alice.get(url))
    assert data["p0_e0_exercise"] == replacement.id
    data["add_causes"] = [cause]
    as_alice.post(url, data)
    v2 = PlanVersion.objects.get(client_assessment=jd_assessment, number=2)
    assert v2.plan["assessment"]["causes"][0]["id"] == cause
    assert PlanVersion.objects.get(pk=v1.pk).plan == v1.plan
    page = as_alice.get(reverse("physios:version", args=[jd.pk, jd_assessment.pk, 1]))
    assert replacement.name in page.content.decode()


def test_confirming_a_cause_puts_it_first(as_alice, jd, jd_assessment):
    url = reverse("physios:review", args=[jd.pk, jd_assessment.pk])
    data = _review_data(as_alice.get(url))
    last = _generated(jd_assessment.assessment)["assessment"]["causes"][-1]["id"]
    data[f"cause_{last}"] = "confirm"
    as_alice.post(url, data)
    causes = PlanVersion.objects.get().plan["assessment"]["causes"]
    assert causes[0]["id"] == last
    assert causes[0]["likelihood"] == "high"


def test_a_published_version_cannot_be_changed(share):
    version = PlanVersion.objects.get()
    version.notes = "changed"
    with pytest.raises(ValueError, match="cannot be changed"):
        version.save()


def test_bad_review_input_is_an_error_not_a_crash(as_alice, jd, jd_assessment):
    url = reverse("physios:review", args=[jd.pk, jd_assessment.pk])
    data = _review_data(as_alice.get(url))
    data["p0_e0_exercise"] = "no_such_exercise"
    data["p0_e1_dose"] = ""
    data[next(k for k in data if k.startswith("cause_"))] = "maybe"
    response = as_alice.post(url, data)
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not PlanVersion.objects.exists()


def test_sharing_needs_a_published_version_and_a_future_date(as_alice, jd, jd_assessment):
    url = reverse("physios:share_new", args=[jd.pk, jd_assessment.pk])
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    as_alice.post(url, {"expires_on": tomorrow})
    assert not ShareLink.objects.exists()
    as_alice.post(
        reverse("physios:review", args=[jd.pk, jd_assessment.pk]),
        _review_data(as_alice.get(reverse("physios:review", args=[jd.pk, jd_assessment.pk]))),
    )
    for bad in ("", "yesterday", timezone.localdate().isoformat(), "2999-01-01"):
        as_alice.post(url, {"expires_on": bad})
    assert not ShareLink.objects.exists()
    as_alice.post(url, {"expires_on": tomorrow})
    share = ShareLink.objects.get()
    assert timezone.localtime(share.expires_at).date().isoformat() == tomorrow
    page = as_alice.get(reverse("physios:review", args=[jd.pk, jd_assessment.pk]))
    assert f"/physio/plan/{share.token}/" in page.content.decode()


def test_a_new_questionnaire_link_puts_two_assessments_side_by_side(as_alice, jd, jd_assessment):
    as_alice.post(reverse("physios:invite_new", args=[jd.pk]))
    invite = jd.invites.usable().filter(used_at__isnull=True).get()
    client = as_alice.__class__()
    client.post(reverse("physios:invite", args=[invite.token]), {"consent": "yes"})
    Assessment.objects.filter(client_link__invite=invite).update(
        answers={"age": 31, "squat_knees_in": "none"}, completed_at=timezone.now()
    )
    page = as_alice.get(reverse("physios:client", args=[jd.pk]))
    columns = page.context["columns"]
    assert len(columns) == 2
    html = page.content.decode()
    assert html.count("Review") >= 2
    age_row = next(r for r in page.context["rows"] if r["cells"][1] == "31 years")
    assert age_row["cells"][0] == "30 years"


def test_a_new_questionnaire_link_stops_the_unused_one(as_alice, jd, invite):
    as_alice.post(reverse("physios:invite_new", args=[jd.pk]))
    invite.refresh_from_db()
    assert invite.revoked_at is not None
    assert jd.invites.usable().count() == 1


def test_an_emergency_that_stopped_the_questionnaire_shows_on_the_dashboard_and_review(
    as_alice, jd, jd_assessment
):
    from tests.personas import EMERGENCY

    Assessment.objects.update(answers=EMERGENCY, completed_at=None)
    rows = as_alice.get(reverse("physios:dashboard")).context["rows"]
    assert rows[0]["status_word"] == "Stopped at the safety check"
    page = as_alice.get(reverse("physios:review", args=[jd.pk, jd_assessment.pk]))
    assert "The safety check stopped" in page.content.decode()


def test_deleting_a_client_erases_their_answers_plans_and_links(as_alice, jd, share):
    url = reverse("physios:client_delete", args=[jd.pk])
    assert "cannot be undone" in as_alice.get(url).content.decode()
    response = as_alice.post(url)
    assert response["Location"] == reverse("physios:dashboard")
    assert not Client.objects.exists()
    assert not Assessment.objects.exists()
    assert not PlanVersion.objects.exists()
    assert not ShareLink.objects.exists()
    visitor = as_alice.__class__()
    assert visitor.get(reverse("physios:shared_plan", args=[share.token])).status_code == 404
