from __future__ import annotations

from django.contrib import admin

from questionnaire.models import Assessment


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin[Assessment]):
    list_display = ("pk", "created_at", "updated_at", "completed_at", "step")
    list_filter = ("completed_at",)
    # The link tokens stay hidden: anyone holding one could open and change the answers.
    exclude = ("token", "plan_token")
    readonly_fields = ("answers", "step", "completed_at", "created_at", "updated_at")
