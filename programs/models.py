"""Which cached PDFs belong to which assessment, so that deleting one deletes its PDFs at once.

The ``pdf`` cache alias is keyed by content (programs.pdf.cache_key, physios.pdf.shared_pdf_key),
so an assessment's PDFs cannot be found from the assessment alone: every key is recorded here
when its PDF is first asked for, and deleting an assessment (the person's "delete my answers", a
physio deleting a client, the retention command, the admin) deletes every recorded PDF and
render marker from the cache, and the finished render jobs that carried its pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.cache import caches
from django.db import models
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from questionnaire.models import Assessment

if TYPE_CHECKING:
    from django_tasks_db.models import DBTaskResultQuerySet

RENDER_TASK = "programs.tasks.render_pdf_job"


class CachedPdf(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["assessment", "key"], name="one_row_per_pdf_key"),
        )
        indexes = (models.Index(fields=["key"]),)

    def __str__(self) -> str:
        return f"PDF {self.key[:20]}… of assessment {self.assessment_id}"

    @staticmethod
    def record(assessment_id: int, key: str) -> None:
        CachedPdf.objects.bulk_create(
            [CachedPdf(assessment_id=assessment_id, key=key)], ignore_conflicts=True
        )

    @classmethod
    def has_owner(cls, key: str) -> bool:
        """Whether any assessment still wants this PDF (a render for a deleted one is dropped)."""
        return cls.objects.filter(key=key).exists()


def finished_render_jobs() -> DBTaskResultQuerySet:
    """The render jobs that have ended: their arguments still carry the pages they rendered."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=RENDER_TASK, status__in=["SUCCESSFUL", "FAILED"])


def forget_keys(keys: list[str]) -> None:
    """Delete these PDFs from the cache, with their render markers and finished render jobs."""
    from programs.tasks import marker

    caches["pdf"].delete_many([*keys, *(marker(key) for key in keys)])
    finished_render_jobs().filter(args_kwargs__args__0__in=keys).delete()


def pdfs_forget(*, assessment_ids: list[int]) -> int:
    """Delete the cached PDFs, render markers and finished render jobs of these assessments."""
    keys = list(
        CachedPdf.objects.filter(assessment_id__in=assessment_ids).values_list("key", flat=True)
    )
    if not keys:
        return 0
    forget_keys(keys)
    return len(keys)


@receiver(pre_delete, sender=Assessment)
def _forget_pdfs(sender: type[Assessment], instance: Assessment, **kwargs: Any) -> None:
    pdfs_forget(assessment_ids=[instance.pk])
