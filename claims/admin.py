"""Claim types and the claims regulation in the back office's admin.

Claims themselves go through their lifecycle in the pages (file → answer → decide);
the admin shows them read-only.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from enterprise.admin import DecimalInputs, TrackedAdmin
from enterprise.admin_site import register_accusative

from .models import Claim, ClaimDocument, ClaimSettings, ClaimType


@admin.register(ClaimType)
class ClaimTypeAdmin(TrackedAdmin):
    list_display = ["name", "code", "loss_rule", "arbitrator_role", "active", "order"]
    list_filter = ["active", "loss_rule", "arbitrator_role"]
    search_fields = ["name", "code"]


@admin.register(ClaimSettings)
class ClaimSettingsAdmin(TrackedAdmin):
    list_display = ["enterprise", "answer_days"]


class ClaimDocumentInline(DecimalInputs, admin.TabularInline):
    model = ClaimDocument
    extra = 0
    fields = ["title", "number", "date", "file_name", "size"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Claim)
class ClaimAdmin(TrackedAdmin):
    list_display = ["number", "period", "claim_type", "status", "loss_amount", "final_amount"]
    list_filter = ["status", "claim_type", "arbitrator_level"]
    search_fields = ["=number", "description"]
    list_select_related = ["period", "claim_type"]
    inlines = [ClaimDocumentInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


register_accusative({"claims.claim": _("претензию")})
