from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from physios.models import Client, ClientAssessment, Invite, PlanVersion, ShareLink

# Link seeds never appear in the admin: with the secret key they would rebuild the links.
LINK_FIELDS = ("token_hash", "created_at", "expires_at", "revoked_at")


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin[Client]):
    list_display = ("display_name", "physio", "created_at", "touched_at")
    list_filter = ("created_at",)
    search_fields = ("display_name", "physio__username", "physio__email")
    raw_id_fields = ("physio",)


@admin.register(Invite)
class InviteAdmin(admin.ModelAdmin[Invite]):
    list_display = ("client", "created_at", "expires_at", "used_at", "revoked_at")
    list_filter = ("created_at",)
    search_fields = ("client__display_name", "client__physio__username")
    fields = ("client", *LINK_FIELDS, "used_at")
    readonly_fields = ("client", "token_hash", "created_at", "used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin[ShareLink]):
    list_display = ("client_assessment", "created_at", "expires_at", "revoked_at")
    fields = ("client_assessment", *LINK_FIELDS)
    readonly_fields = ("client_assessment", "token_hash", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class PlanVersionInline(admin.TabularInline[PlanVersion, ClientAssessment]):
    model = PlanVersion
    fields = ("number", "published_at", "published_by", "notes")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ClientAssessment)
class ClientAssessmentAdmin(admin.ModelAdmin[ClientAssessment]):
    list_display = ("client", "physio", "created_at", "completed_at")
    search_fields = ("client__display_name", "client__physio__username")
    readonly_fields = ("client", "assessment", "invite", "created_at")
    inlines = (PlanVersionInline,)

    @admin.display(description="physio")
    def physio(self, obj: ClientAssessment) -> str:
        return str(obj.client.physio)

    @admin.display(description="completed")
    def completed_at(self, obj: ClientAssessment) -> Any:
        return obj.assessment.completed_at


@admin.register(PlanVersion)
class PlanVersionAdmin(admin.ModelAdmin[PlanVersion]):
    list_display = ("client_assessment", "number", "published_at", "published_by")
    readonly_fields = (
        "client_assessment",
        "number",
        "plan",
        "notes",
        "published_at",
        "published_by",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
