"""The exercise library: every exercise a plan can prescribe, as reviewable data.

The exercises live in ``data/exercises.yaml``. This module loads them into frozen pydantic models
and cross-checks what the schema alone cannot: unique ids, known causes, a drawing for every
exercise under ``static/`` and a listed source for every citation. Problems are reported with the
file and the field that hold them, as ``questionnaire.content`` does. Pure Python: no Django.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Literal, get_args

from pydantic import Field, model_validator

from questionnaire.content import (
    CAUSE_IDS,
    ContentError,
    EvidenceTag,
    Frozen,
    Id,
    SourcesFile,
    Text,
    read_yaml,
)

BASE_DIR = Path(__file__).resolve().parent.parent
LIBRARY_FILE = Path(__file__).resolve().parent / "data" / "exercises.yaml"
STATIC_DIR = BASE_DIR / "static"
SOURCES_FILE = BASE_DIR / "questionnaire" / "data" / "sources.yaml"

# A plan needs a second choice for every cause, for when the first one hurts or is too easy.
MIN_EXERCISES_PER_CAUSE = 2

Role = Literal["mobilise", "activate", "strengthen", "integrate", "land", "aerobic"]
ROLES: tuple[str, ...] = get_args(Role)

# The contract's exercise tags (section 5.3): the builder's safety rules read these, never names.
TAGS: tuple[str, ...] = (
    "hip_targeted",
    "knee_targeted",
    "ankle_foot",
    "mobility",
    "balance",
    "supported",
    "single_leg_loaded",
    "deep_knee_flexion_loaded",
    "kneeling",
    "plyometric_two_foot",
    "plyometric_single_leg",
    "cutting",
    "eccentric_high_load",
    "aerobic",
)
JUMPING_TAGS = frozenset({"plyometric_two_foot", "plyometric_single_leg", "cutting"})
Illustration = Annotated[str, Field(pattern=r"^programs/[a-z0-9_-]+\.svg$")]


class Dose(Frozen):
    beginner: Text
    standard: Text
    advanced: Text


class Contraindications(Frozen):
    """What rules this one exercise out for a person, beyond the plan's rules by tag.

    ``people`` names person conditions from plan.yaml (its ``people`` list); the age band is
    inclusive and applies only when the age is given; ``pain_worst_max`` leaves the exercise out
    when the worst pain of the last week is above it."""

    people: tuple[Id, ...] = ()
    age_min: int | None = Field(default=None, ge=8, le=100)
    age_max: int | None = Field(default=None, ge=8, le=100)
    pain_worst_max: int | None = Field(default=None, ge=0, le=10)


class Exercise(Frozen):
    id: Id
    name: Text
    # The causes it works on. Empty for general work (knee strength, fitness) that the plan adds
    # by tag rather than by cause.
    targets: tuple[Id, ...] = ()
    role: Role
    tags: tuple[Id, ...] = Field(min_length=1)
    contraindications: Contraindications
    equipment: tuple[Text, ...] = ()
    steps: tuple[Text, ...] = Field(min_length=2)
    cue: Text
    mistakes: tuple[Text, ...] = Field(min_length=1)
    dose: Dose
    easier: Text
    harder: Text
    avoid_if: tuple[Text, ...] = Field(min_length=1)
    illustration: Illustration
    evidence: EvidenceTag
    sources: tuple[Id, ...] = Field(min_length=1)
    # What a clinician should check before release, as on rules and findings.
    review: str = ""

    @property
    def involves_jumping(self) -> bool:
        """Hops, jumps, landings or cuts: read from the tags, so the two cannot disagree."""
        return bool(JUMPING_TAGS & set(self.tags))

    @model_validator(mode="after")
    def _landing_is_jumping(self) -> Exercise:
        if (self.role == "land") != self.involves_jumping:
            raise ValueError(
                "a land exercise, and only a land exercise, carries a plyometric or cutting tag"
            )
        return self


class Library(Frozen):
    exercises: tuple[Exercise, ...] = Field(min_length=1)

    def get(self, exercise_id: str) -> Exercise:
        """Return the exercise with this id; raise KeyError if there is none."""
        for exercise in self.exercises:
            if exercise.id == exercise_id:
                return exercise
        raise KeyError(exercise_id)

    def for_cause(self, cause_id: str) -> tuple[Exercise, ...]:
        return tuple(e for e in self.exercises if cause_id in e.targets)


def load_library(
    path: Path = LIBRARY_FILE,
    static_dir: Path = STATIC_DIR,
    sources_path: Path = SOURCES_FILE,
) -> Library:
    """Load and cross-check the exercise library; raise ContentError naming file and field."""
    library = read_yaml(path, Library)
    sources = read_yaml(sources_path, SourcesFile).sources
    _cross_check(path.name, library, static_dir, frozenset(source.id for source in sources))
    return library


def _cross_check(file: str, library: Library, static_dir: Path, source_ids: frozenset[str]) -> None:
    seen: set[str] = set()
    for i, exercise in enumerate(library.exercises):
        where = f"exercises[{i}] (id={exercise.id})"
        if exercise.id in seen:
            raise ContentError(file, f"{where}.id", f"the id {exercise.id!r} appears twice")
        seen.add(exercise.id)
        _check_exercise(file, where, exercise, static_dir, source_ids)
    _check_coverage(file, library)


def _check_exercise(
    file: str, where: str, exercise: Exercise, static_dir: Path, source_ids: frozenset[str]
) -> None:
    for tag in exercise.tags:
        if tag not in TAGS:
            raise ContentError(
                file, f"{where}.tags", f"unknown tag {tag!r}; known: {', '.join(TAGS)}"
            )
    if len(set(exercise.tags)) != len(exercise.tags):
        raise ContentError(file, f"{where}.tags", "a tag appears twice")
    band = exercise.contraindications
    if band.age_min is not None and band.age_max is not None and band.age_min > band.age_max:
        raise ContentError(file, f"{where}.contraindications", "age_min must not be above age_max")
    for cause_id in exercise.targets:
        if cause_id not in CAUSE_IDS:
            known = ", ".join(CAUSE_IDS)
            raise ContentError(
                file, f"{where}.targets", f"unknown cause {cause_id!r}; known: {known}"
            )
    if not (static_dir / exercise.illustration).is_file():
        raise ContentError(
            file, f"{where}.illustration", f"no file {exercise.illustration!r} under {static_dir}"
        )
    for source_id in exercise.sources:
        if source_id not in source_ids:
            raise ContentError(
                file, f"{where}.sources", f"unknown source {source_id!r} (add it to sources.yaml)"
            )


def _check_coverage(file: str, library: Library) -> None:
    for cause_id in CAUSE_IDS:
        if len(library.for_cause(cause_id)) < MIN_EXERCISES_PER_CAUSE:
            raise ContentError(
                file,
                "exercises",
                f"the cause {cause_id!r} needs at least {MIN_EXERCISES_PER_CAUSE} exercises",
            )


@cache
def get_library() -> Library:
    """The shipped library, loaded once per process."""
    return load_library()
