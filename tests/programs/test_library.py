from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.dom import minidom

import pytest
import yaml

from programs.library import (
    LIBRARY_FILE,
    ROLES,
    STATIC_DIR,
    Library,
    get_library,
    load_library,
)
from questionnaire.content import CAUSE_IDS, ContentError

REQUIRED_IDS = (
    "clamshell",
    "banded_side_walk",
    "side_lying_hip_abduction",
    "glute_bridge",
    "hip_thrust",
    "romanian_deadlift",
    "step_up",
    "banded_seated_external_rotation",
    "single_leg_glute_bridge",
    "gastrocnemius_stretch",
    "soleus_stretch",
    "wall_ankle_mobilisation",
    "heel_elevated_squat",
    "frog_stretch",
    "butterfly_stretch",
    "piriformis_stretch",
    "single_leg_squat_to_box",
    "pistol_squat_progression",
    "single_leg_romanian_deadlift",
    "mirror_squat",
    "side_plank",
    "single_leg_balance",
    "walking_lunge",
    "two_foot_jump_landing",
    "lateral_hop_and_hold",
    "single_leg_hop_and_hold",
    "drop_jump_landing",
    "change_of_direction_cut",
    "nordic_hamstring",
    "squat_with_toe_raise",
)
JUMPING_WORDS = ("jump", "hop", "land", "bound", "cut")
Raw = dict[str, Any]


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def test_it_loads_the_shipped_library(library: Library) -> None:
    assert {e.id for e in library.exercises} >= set(REQUIRED_IDS)
    assert get_library() == library


@pytest.mark.parametrize("cause_id", CAUSE_IDS)
def test_it_targets_every_cause_with_at_least_two_exercises(
    library: Library, cause_id: str
) -> None:
    assert len(library.for_cause(cause_id)) >= 2


@pytest.mark.parametrize("role", ROLES)
def test_it_has_an_exercise_for_every_role(library: Library, role: str) -> None:
    assert any(e.role == role for e in library.exercises)


def test_it_flags_every_hopping_jumping_landing_or_cutting_drill(library: Library) -> None:
    named = [e for e in library.exercises if any(w in e.id for w in JUMPING_WORDS)]
    assert {e.id for e in named} >= {"two_foot_jump_landing", "change_of_direction_cut"}
    assert all(e.role == "land" and e.involves_jumping for e in named)
    assert all(e.involves_jumping for e in library.exercises if e.role == "land")


def test_it_keeps_jumping_out_of_every_other_role(library: Library) -> None:
    assert all(e.role == "land" for e in library.exercises if e.involves_jumping)


def test_it_warns_about_the_bump_below_the_kneecap_on_every_jumping_drill(library: Library) -> None:
    jumping = [e for e in library.exercises if e.involves_jumping]
    assert all(any("bump just below the kneecap" in a for a in e.avoid_if) for e in jumping)


def test_it_ships_small_self_contained_drawings(library: Library) -> None:
    for exercise in library.exercises:
        path = STATIC_DIR / exercise.illustration
        text = path.read_text(encoding="utf-8")
        root = minidom.parseString(text).documentElement
        assert root is not None and len(text.encode()) < 5000, path.name
        assert root.getAttribute("role") == "img" and not root.hasAttribute("width"), path.name
        assert not any(bad in text for bad in ("<image", "href", "<script", "base64")), path.name


def _write_broken(tmp_path: Path, mutate: Callable[[Raw], object]) -> Path:
    raw = yaml.safe_load(LIBRARY_FILE.read_text(encoding="utf-8"))
    mutate(raw)
    path = tmp_path / "exercises.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return path


def _first(raw: Raw) -> Raw:
    first: Raw = raw["exercises"][0]
    return first


ADDUCTOR_EXTRAS = {"frog_stretch", "piriformis_stretch"}


def _landing(raw: Raw) -> Raw:
    return next(e for e in raw["exercises"] if e["role"] == "land")


BROKEN: dict[str, tuple[Callable[[Raw], object], str, str]] = {
    "unknown field": (
        lambda raw: _first(raw).update(colour="red"),
        "exercises[0] (id=clamshell).colour",
        "Extra inputs are not permitted",
    ),
    "unknown cause": (
        lambda raw: _first(raw).update(targets=["weak_toes"]),
        "exercises[0] (id=clamshell).targets",
        "unknown cause 'weak_toes'",
    ),
    "duplicate id": (
        lambda raw: raw["exercises"][1].update(id="clamshell"),
        "exercises[1] (id=clamshell).id",
        "the id 'clamshell' appears twice",
    ),
    "missing illustration": (
        lambda raw: _first(raw).update(illustration="programs/no_such_drawing.svg"),
        "exercises[0] (id=clamshell).illustration",
        "programs/no_such_drawing.svg",
    ),
    "unknown source": (
        lambda raw: _first(raw).update(sources=["made_up_2024"]),
        "exercises[0] (id=clamshell).sources",
        "unknown source 'made_up_2024'",
    ),
    "bad role": (
        lambda raw: _first(raw).update(role="stretch"),
        "exercises[0] (id=clamshell).role",
        "Input should be",
    ),
    "too few steps": (
        lambda raw: _first(raw).update(steps=["Lie down."]),
        "exercises[0] (id=clamshell).steps",
        "at least 2 items",
    ),
    "landing drill not tagged as one": (
        lambda raw: _landing(raw).update(tags=["balance"]),
        "(id=two_foot_jump_landing)",
        "plyometric or cutting tag",
    ),
    "no tags": (
        lambda raw: _first(raw).pop("tags"),
        "exercises[0] (id=clamshell).tags",
        "Field required",
    ),
    "empty tags": (
        lambda raw: _first(raw).update(tags=[]),
        "exercises[0] (id=clamshell).tags",
        "at least 1 item",
    ),
    "unknown tag": (
        lambda raw: _first(raw).update(tags=["hip_targeted", "bouncy"]),
        "exercises[0] (id=clamshell).tags",
        "unknown tag 'bouncy'",
    ),
    "no contraindications": (
        lambda raw: _first(raw).pop("contraindications"),
        "exercises[0] (id=clamshell).contraindications",
        "Field required",
    ),
    "age band upside down": (
        lambda raw: _first(raw).update(contraindications={"age_min": 40, "age_max": 20}),
        "exercises[0] (id=clamshell).contraindications",
        "age_min must not be above age_max",
    ),
    "cause left with one exercise": (
        lambda raw: raw.update(
            exercises=[e for e in raw["exercises"] if e["id"] not in ADDUCTOR_EXTRAS]
        ),
        "exercises",
        "'adductor_tightness' needs at least 2 exercises",
    ),
}


@pytest.mark.parametrize(("mutate", "field", "message"), BROKEN.values(), ids=BROKEN.keys())
def test_it_names_the_file_and_field_of_a_broken_library(
    tmp_path: Path, mutate: Callable[[Raw], object], field: str, message: str
) -> None:
    path = _write_broken(tmp_path, mutate)

    with pytest.raises(ContentError) as caught:
        load_library(path)

    assert caught.value.file == "exercises.yaml"
    assert field in caught.value.field
    assert message in caught.value.message
    assert str(caught.value).startswith("exercises.yaml: ")


def test_it_reports_a_missing_drawing_against_the_static_folder_it_was_given(
    tmp_path: Path,
) -> None:
    with pytest.raises(ContentError) as caught:
        load_library(LIBRARY_FILE, static_dir=tmp_path)

    assert caught.value.field == "exercises[0] (id=clamshell).illustration"
    assert str(tmp_path) in caught.value.message


def test_it_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ContentError) as caught:
        load_library(tmp_path / "exercises.yaml")

    assert (caught.value.file, caught.value.message) == ("exercises.yaml", "the file is missing")
